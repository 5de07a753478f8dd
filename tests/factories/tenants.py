"""Factories of public-schema rows: people and their memberships."""

from __future__ import annotations

import factory

from tenants.models import Membership, User

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who signs in with `PASSWORD`."""

    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A role in a tenant: `MembershipFactory(tenant=tenant_a, role="operator")`."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OPERATOR
