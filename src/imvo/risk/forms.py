"""Forms for the company's sourcing and its risk register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from imvo.risk import reference as ref
from imvo.risk.models import RegisterEntry
from imvo.risk.services import SCALE_LABELS


def _scale(name: str, label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[
            (i + 1, format_lazy("{} - {}", i + 1, text))
            for i, text in enumerate(SCALE_LABELS[name])
        ],
    )


class SourcingForm(forms.Form):
    country = forms.CharField(
        label=_("Country"), max_length=100, help_text=_("A name or ISO code, e.g. Bangladesh or BD")
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", "-")] + [(s, ref.SECTOR_LABELS[s]) for s in ref.SECTORS],
    )
    product = forms.CharField(label=_("Product"), max_length=200, required=False)
    workers = forms.IntegerField(label=_("Workers (if known)"), min_value=0, required=False)


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    scale = _scale("scale", _("Scale: how grave the harm is"))
    scope = _scale("scope", _("Scope: how many people it reaches"))
    irremediability = _scale("irremediability", _("Irremediable character: can it be put right?"))
    likelihood = _scale("likelihood", _("Likelihood"))
    involvement = forms.ChoiceField(
        label=_("Involvement"), choices=RegisterEntry.Involvement.choices
    )
    leverage = forms.CharField(
        label=_("Leverage"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    leverage_share = forms.FloatField(
        label=_("Share of the facility's output you buy (%)"),
        required=False,
        min_value=0,
        max_value=100,
    )
    members_sharing = forms.IntegerField(
        label=_("Other covenant members sourcing there"), required=False, min_value=0
    )
    status = forms.ChoiceField(label=_("Status"), choices=RegisterEntry.Status.choices)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    override_priority = forms.FloatField(
        label=_("Set the priority by hand (0..100)"), required=False, min_value=0, max_value=100
    )
    clear_override = forms.BooleanField(label=_("Withdraw the hand-set priority"), required=False)
    override_reason = forms.CharField(
        label=_("Reason for setting or withdrawing the priority by hand"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NewEntryForm(forms.Form):
    theme_code = forms.ChoiceField(
        label=_("Theme"), choices=[(c, ref.THEME_LABELS[c]) for c in ref.THEME_CODES]
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
