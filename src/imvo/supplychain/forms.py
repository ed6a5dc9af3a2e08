"""Forms of the supply-chain pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.covenants.models import Covenant
from imvo.supplychain import parsing


class UploadForm(forms.Form):
    covenant = forms.ModelChoiceField(
        queryset=Covenant.objects.none(), label=_("Covenant"), empty_label=None
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    file = forms.FileField(
        label=_("Supplier list"),
        help_text=_(
            "CSV (any encoding and delimiter), .xlsx, .xls or .ods. Columns for name, address "
            "and country are needed; product, sector, tier, number of workers, coordinates and "
            "identifiers are optional. Headers in Dutch, English, German or French are recognised, "
            "and an address split over columns (building, street, house number, address lines "
            "2 and 3, district, postcode, city, state or province) is joined into one."
        ),
        # Django's own words ("The submitted file is empty.") named no file type.
        error_messages={
            "empty": _(
                "The file you chose is empty (0 bytes): there is nothing in it to read. "
                "Choose the saved supplier list (.xlsx, .xls, .ods or .csv) and upload it again."
            )
        },
    )

    mode = forms.ChoiceField(
        label=_("If the year already has a disclosure"),
        choices=[
            ("add", _("Add this file to this year's disclosure (another business unit or tier)")),
            ("replace", _("Replace this year's disclosure with this file")),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "The first file of a year becomes its disclosure: nothing to choose. For a year "
            "that has one (listed above), choose; an upload without the choice is refused and "
            "nothing is stored. You see the effect and can still change the choice before you "
            "confirm; replaced files stay in the history."
        ),
    )

    def __init__(self, *args: Any, covenants: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["covenant"].queryset = covenants  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.now().year - 1
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.xlsx,.xls,.ods"


FIELD_CHOICES_LABELS = {
    "name": _("Name"),
    "address": _("Address"),
    "building": _("Building (joined to the address)"),
    "house_number": _("House number (joined to the address)"),
    "address_2": _("Address line 2 (joined to the address)"),
    "address_3": _("Address line 3 (joined to the address)"),
    "district": _("District (joined to the address)"),
    "postcode": _("Postcode (joined to the address)"),
    "city": _("City (joined to the address)"),
    "region": _("State or province (joined to the address)"),
    "country": _("Country"),
    "sector": _("Sector"),
    "product": _("Product"),
    "tier": _("Tier"),
    "workers": _("Number of workers"),
    "lat": _("Latitude"),
    "lng": _("Longitude"),
    "coordinates": _("Coordinates (latitude, longitude)"),
    "identifier": _("Identifier"),
}


def columns_read(header: list[str], column_map: dict[str, int]) -> list[tuple[str, Any]]:
    """Each column of the file with the field it was read as (None: not used), for
    the preview: a column read as the wrong field, or left out, shows there."""
    field_of = {int(i): f for f, i in column_map.items()}
    return [
        (h, FIELD_CHOICES_LABELS[field_of[i]] if i in field_of else None)
        for i, h in enumerate(header)
    ]


class MappingForm(forms.Form):
    """Which column of the file holds which field."""

    def __init__(self, *args: Any, header: list[str], initial_map: dict[str, int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in this file)"))] + [(str(i), h) for i, h in enumerate(header)]
        for f in parsing.FIELDS:
            self.fields[f] = forms.TypedChoiceField(
                label=FIELD_CHOICES_LABELS[f],
                choices=choices,
                required=f in parsing.REQUIRED,
                coerce=int,
                empty_value=None,
                initial=str(initial_map[f]) if f in initial_map else "",
            )
