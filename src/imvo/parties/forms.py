from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imvo.core.forms import CountryField, limit_choices
from imvo.covenants.models import Covenant, Theme


class SignalForm(forms.Form):
    title = forms.CharField(label=_("The problem, in a line"), max_length=300)
    description = forms.CharField(label=_("What is happening"), widget=forms.Textarea)
    facility_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    search = forms.CharField(required=False, widget=forms.HiddenInput)
    location = forms.CharField(
        label=_("Production location (when it is not on the public list)"),
        max_length=300,
        required=False,
    )
    country = CountryField(label=_("Country"), required=False)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)

    def __init__(self, *args: Any, covenant: Covenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "theme", Theme.objects.usable_in(covenant))


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("What your company does about it"), widget=forms.Textarea)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Why the signal is closed"), widget=forms.Textarea)
