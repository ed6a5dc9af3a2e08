from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imvo.core.forms import limit_choices
from imvo.covenants.models import (
    Adherence,
    Agreement,
    Covenant,
    KpiMeasurement,
    KpiUnit,
    Organisation,
    ProcessStep,
    Theme,
)
from imvo.covenants.services import measurement_date_problem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CovenantForm(forms.ModelForm):
    class Meta:
        model = Covenant
        fields = [
            "name_nl",
            "name_en",
            "slug",
            "sector",
            "phase",
            "start_date",
            "end_date",
            "description_nl",
            "description_en",
            "website",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            years = (end - start).days / 365.25
            if years <= 0:
                self.add_error("end_date", _("The end date must come after the start date."))
            elif not 2.5 <= years <= 5.5:
                self.add_error(
                    "end_date",
                    _("An IMVO covenant runs 3 to 5 years; this term is %(y).1f years.")
                    % {"y": years},
                )
        return data


class AdherenceForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.all(), label=_("Organisation"))
    role = forms.ChoiceField(choices=Adherence.Role.choices, label=_("Role"))
    since = forms.DateField(label=_("Since"), widget=DateInput())


class AdherenceChangeForm(forms.Form):
    role = forms.ChoiceField(choices=Adherence.Role.choices, label=_("Role"))
    status = forms.ChoiceField(choices=Adherence.Status.choices, label=_("Status"))
    on = forms.DateField(label=_("Date of change"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "type", "country", "website", "description"]


class OwnOrganisationForm(forms.ModelForm):
    """What a member may change about its own organisation."""

    class Meta:
        model = Organisation
        fields = ["website", "description"]


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "number",
            "title_nl",
            "title_en",
            "text_nl",
            "text_en",
            "outcome_nl",
            "outcome_en",
            "owners",
            "themes",
            "kpi_name_nl",
            "kpi_name_en",
            "kpi_unit",
            "baseline",
            "baseline_date",
            "target",
            "deadline",
        ]
        widgets = {
            "baseline_date": DateInput(),
            "deadline": DateInput(),
            "owners": forms.CheckboxSelectMultiple(),
            "themes": forms.CheckboxSelectMultiple(),
            "text_nl": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
            "outcome_nl": forms.Textarea(attrs={"rows": 2}),
            "outcome_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, covenant: Covenant, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "owners", Organisation.objects.in_covenant(covenant, role=Adherence.Role.PARTY)
        )
        limit_choices(self, "themes", Theme.objects.usable_in(covenant))
        self.fields["themes"].label_from_instance = lambda t: t.name  # type: ignore[attr-defined]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        b, d = data.get("baseline_date"), data.get("deadline")
        if b and d and d <= b:
            self.add_error("deadline", _("The deadline must come after the baseline date."))
        if data.get("baseline") is not None and data.get("baseline") == data.get("target"):
            self.add_error("target", _("The target must differ from the baseline."))
        if KpiUnit.counts_whole(data.get("kpi_unit") or ""):
            for name in ("baseline", "target"):
                value = data.get(name)
                if value is not None and value != value.to_integral_value():
                    self.add_error(name, _("This unit counts things: give a whole number."))
        return data


class MeasurementForm(forms.ModelForm):
    """A measurement of `agreement`'s KPI; its date is checked here too, so that
    a date out of bounds shows on the date field (services.measurement_date_problem)."""

    class Meta:
        model = KpiMeasurement
        fields = ["date", "value", "source", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def clean_date(self) -> Any:
        on = self.cleaned_data["date"]
        if problem := measurement_date_problem(self.agreement, on):
            raise forms.ValidationError(problem)
        return on


class StepForm(forms.ModelForm):
    class Meta:
        model = ProcessStep
        fields = ["status", "started", "completed"]
        widgets = {"started": DateInput(), "completed": DateInput()}
