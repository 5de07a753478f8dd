"""Forms of the tenant UI (shape only; services validate the business rules)."""

from django import forms

from messaging.models import Sender


class SenderForm(forms.Form):
    kind = forms.ChoiceField(choices=Sender.Kind.choices)
    address = forms.CharField(max_length=34, help_text="Phone number, short code, alphanumeric ID or MG… SID")
    country = forms.CharField(max_length=2, min_length=2, help_text="ISO 3166-1 alpha-2, e.g. US")
    mps = forms.DecimalField(max_digits=7, decimal_places=2, min_value=0.01, label="MPS")
    label = forms.CharField(max_length=80, required=False)


class PoolForm(forms.Form):
    name = forms.CharField(max_length=80)
    senders = forms.ModelMultipleChoiceField(queryset=Sender.objects.none(), widget=forms.CheckboxSelectMultiple)
    two_way = forms.BooleanField(required=False, initial=True, label="Replies expected (two-way)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["senders"].queryset = Sender.objects.all()
