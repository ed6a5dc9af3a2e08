"""Forms for the action plan, remediation cases and the escalation path."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imvo.core.forms import limit_choices
from imvo.covenants.models import Agreement, Covenant, Theme
from imvo.duediligence.framework_templates import TEMPLATES, shown
from imvo.duediligence.models import (
    Action,
    Element,
    EscalationStep,
    OecdStep,
    Question,
    RemediationCase,
)
from imvo.risk.seams import readable_entry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.ModelForm):
    agreements = forms.ModelMultipleChoiceField(
        queryset=Agreement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Covenant agreements it serves"),
    )

    class Meta:
        model = Action
        fields = [
            "theme",
            "risk",
            "what",
            "owner",
            "start",
            "deadline",
            "target",
            "budget",
            "status",
        ]
        widgets = {"start": DATE, "deadline": DATE, "what": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self,
        *args: Any,
        covenant: Covenant,
        risks: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "theme", Theme.objects.usable_in(covenant))
        limit_choices(self, "agreements", covenant.agreements.all())
        if self.instance.pk:
            self.fields["agreements"].initial = list(self.instance.agreements.all())
        if risks:
            self.fields["risk"].help_text = _("From your risk register: %(list)s") % {
                "list": "; ".join(readable_entry(r).heading for r in risks[:8])
            }


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("Evidence (PDF, image, office file; max 10 MB)"), required=False
    )


class CaseForm(forms.ModelForm):
    class Meta:
        model = RemediationCase
        fields = ["opened", "what_happened", "affected", "remedy", "status", "action"]
        widgets = {
            "opened": DATE,
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "affected": forms.Textarea(attrs={"rows": 2}),
            "remedy": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, actions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "action", actions)


class EscalationForm(forms.ModelForm):
    class Meta:
        model = EscalationStep
        fields = ["organisation", "step", "date", "reason", "deadline", "decision"]
        widgets = {"date": DATE, "deadline": DATE, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, covenant: Covenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from imvo.covenants.models import Organisation

        companies = Organisation.objects.in_covenant(covenant).filter(
            type=Organisation.Type.COMPANY
        )
        limit_choices(self, "organisation", companies)
        from imvo.covenants.seams import citable_decisions

        limit_choices(self, "decision", citable_decisions(covenant))


class InstallForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Ready-made framework"),
        choices=[(k, _(v["name"])) for k, v in TEMPLATES.items()],
    )


class ElementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    oecd_step = forms.TypedChoiceField(label=_("OECD step"), choices=OecdStep.choices, coerce=int)
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_digits=5, decimal_places=2)


class QuestionForm(forms.Form):
    element = forms.ModelChoiceField(label=_("Element"), queryset=Element.objects.none())
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    help = forms.CharField(label=_("Guidance"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    weight = forms.DecimalField(
        label=_("Weight within the element"),
        min_value=0,
        max_digits=5,
        decimal_places=2,
        initial=1,
    )

    def __init__(self, *args: Any, framework: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "element", framework.elements.all())
        # A ready-made element's title in the reader's language, as on the page.
        self.fields["element"].label_from_instance = lambda e: shown(e.title)  # type: ignore[attr-defined]
