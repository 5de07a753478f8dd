"""Contact lists on the API: create, read, rename and delete them; their members listed, added and taken off.
Every endpoint asks for the `contacts:write` scope."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import CursorPagination, PaginatedListMixin
from config.inputs import InputSerializer
from config.openapi import problem
from messaging import selectors
from messaging.api.contacts import ContactSerializer
from messaging.models import Contact, ContactList
from messaging.services.contacts.lists import (
    MAX_DESCRIPTION,
    MAX_LIST_NAME,
    contact_list_add,
    contact_list_create,
    contact_list_delete,
    contact_list_remove,
    contact_list_update,
)

NAME_TAKEN = problem(409, "Another list has the name (without regard to case)")


class ContactListSerializer(serializers.ModelSerializer):
    members = serializers.IntegerField(read_only=True, help_text="Contacts on the list")

    class Meta:
        model = ContactList
        fields = ["id", "name", "description", "members", "created_at", "updated_at"]
        read_only_fields = fields


class ContactListWriteSerializer(InputSerializer):
    name = serializers.CharField(max_length=MAX_LIST_NAME, help_text="Unique without regard to case")
    description = serializers.CharField(max_length=MAX_DESCRIPTION, required=False, allow_blank=True)


class MembersSerializer(InputSerializer):
    contact_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000)


class MembersAddedSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="Contacts that were not on the list yet")


def _list(list_id: int) -> ContactList:
    return get_object_or_404(selectors.contact_lists(), pk=list_id)


class ByNamePagination(CursorPagination):
    """Lists page by name (unique), as the UI shows them."""

    ordering = "name"


class ListsView(PaginatedListMixin, APIView):
    """GET lists the contact lists by name, with their member counts; POST creates one."""

    required_scopes = ("contacts:write",)
    pagination_class = ByNamePagination

    @extend_schema(responses=ContactListSerializer(many=True), operation_id="lists_list", tags=["lists"])
    def get(self, request):
        return self.paginated(request, selectors.contact_lists(), ContactListSerializer)

    @extend_schema(
        request=ContactListWriteSerializer,
        responses={201: ContactListSerializer, **NAME_TAKEN},
        operation_id="lists_create",
        tags=["lists"],
        description="409 when another list has the name (without regard to case).",
    )
    def post(self, request):
        serializer = ContactListWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact_list = contact_list_create(**serializer.validated_data)
        return Response(ContactListSerializer(_list(contact_list.pk)).data, status=status.HTTP_201_CREATED)


class ListDetailView(APIView):
    """GET one list; PATCH renames it or changes its description; DELETE deletes it (its contacts stay)."""

    required_scopes = ("contacts:write",)

    @extend_schema(responses=ContactListSerializer, operation_id="lists_read", tags=["lists"])
    def get(self, request, list_id: int):
        return Response(ContactListSerializer(_list(list_id)).data)

    @extend_schema(
        request=ContactListWriteSerializer(partial=True),
        responses={200: ContactListSerializer, **NAME_TAKEN},
        operation_id="lists_update",
        tags=["lists"],
    )
    def patch(self, request, list_id: int):
        contact_list = _list(list_id)
        serializer = ContactListWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contact_list_update(contact_list=contact_list, **serializer.validated_data)
        return Response(ContactListSerializer(_list(list_id)).data)

    @extend_schema(responses={204: None}, operation_id="lists_delete", tags=["lists"])
    def delete(self, request, list_id: int):
        contact_list_delete(tenant=request.tenant, contact_list=_list(list_id), actor_label=str(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListMembersView(generics.ListAPIView):
    """GET lists the contacts on a list, newest first (cursor pages); POST adds contacts to it."""

    required_scopes = ("contacts:write",)
    serializer_class = ContactSerializer
    pagination_class = CursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a list
            return Contact.objects.none()
        return selectors.contacts_matching(list_id=_list(self.kwargs["list_id"]).pk)

    @extend_schema(operation_id="lists_members", tags=["lists"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=MembersSerializer,
        responses={200: MembersAddedSerializer, **problem(422, "An id names no contact: none is added")},
        operation_id="lists_members_add",
        tags=["lists"],
        description="Adds the contacts with these ids; those on the list already stay once. An id that names no "
        "contact refuses the whole request (422, `contact_ids`), adding none.",
    )
    def post(self, request, list_id: int):
        contact_list = _list(list_id)
        serializer = MembersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        added = contact_list_add(contact_list=contact_list, contact_ids=serializer.validated_data["contact_ids"])
        return Response({"added": added})


class ListMemberView(APIView):
    """DELETE takes a contact off a list (the contact stays); 404 when it is not on it."""

    required_scopes = ("contacts:write",)

    @extend_schema(responses={204: None}, operation_id="lists_members_remove", tags=["lists"])
    def delete(self, request, list_id: int, contact_id: int):
        if not contact_list_remove(contact_list=_list(list_id), contact_ids=[contact_id]):
            raise NotFound(f"contact {contact_id} is not on list {list_id}")
        return Response(status=status.HTTP_204_NO_CONTENT)
