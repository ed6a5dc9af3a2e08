"""Forms of governance, membership and the party workspace (the services validate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imvo.core.forms import CountryField, limit_choices
from imvo.covenants.forms import DateInput
from imvo.covenants.models import (
    Adherence,
    Covenant,
    Decision,
    GovernanceBody,
    Meeting,
    MembershipApplication,
    Organisation,
    StakeholderGroup,
    Theme,
    Visibility,
)


class BodyForm(forms.Form):
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description_nl = forms.CharField(
        label=_("Description (Dutch)"), widget=forms.Textarea, required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea, required=False
    )


class SeatForm(forms.Form):
    group = forms.ChoiceField(label=_("Constituency"), choices=StakeholderGroup.choices)
    organisation = forms.ModelChoiceField(
        label=_("Party organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Leave empty for the independent chair or another independent seat."),
    )
    holder = forms.CharField(label=_("Seat holder (person)"), max_length=200, required=False)
    substitute = forms.CharField(label=_("Substitute"), max_length=200, required=False)
    is_chair = forms.BooleanField(label=_("Chair"), required=False)
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput(), required=False)
    term_end = forms.DateField(label=_("Term ends"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, covenant: Covenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = Organisation.objects.in_covenant(covenant, role=Adherence.Role.PARTY, active=True)
        limit_choices(self, "organisation", parties.order_by("name"))


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class AgendaItemForm(forms.Form):
    title_nl = forms.CharField(label=_("Agenda item (Dutch)"), max_length=300)
    title_en = forms.CharField(label=_("Agenda item (English)"), max_length=300)
    paper_nl = forms.CharField(label=_("Paper (Dutch)"), widget=forms.Textarea, required=False)
    paper_en = forms.CharField(label=_("Paper (English)"), widget=forms.Textarea, required=False)
    paper_visibility = forms.ChoiceField(
        label=_("Paper visible to"), choices=Visibility.choices, initial=Visibility.BODY
    )
    paper_file = forms.FileField(
        label=_("Paper as a file"),
        required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx) or OpenDocument (.odt), at most 20 MB."),
    )


class MinutesForm(forms.Form):
    minutes_nl = forms.CharField(label=_("Minutes (Dutch)"), widget=forms.Textarea, required=False)
    minutes_en = forms.CharField(
        label=_("Minutes (English)"), widget=forms.Textarea, required=False
    )
    visibility = forms.ChoiceField(
        label=_("Minutes visible to"), choices=Visibility.choices, initial=Visibility.BODY
    )


class DecisionForm(forms.Form):
    text_nl = forms.CharField(label=_("Decision (Dutch)"), widget=forms.Textarea)
    text_en = forms.CharField(label=_("Decision (English)"), widget=forms.Textarea)
    date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    meeting = forms.ModelChoiceField(
        label=_("Taken in the meeting of"), queryset=Meeting.objects.none(), required=False
    )
    mode = forms.ChoiceField(label=_("Taken by"), choices=Decision.Mode.choices)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, required=False)
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )

    def __init__(self, *args: Any, body: GovernanceBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "meeting", body.meetings.all())


class ApplicationForm(forms.ModelForm[MembershipApplication]):
    class Meta:
        model = MembershipApplication
        fields = [
            "organisation_name",
            "chamber_of_commerce",
            "country",
            "website",
            "contact_name",
            "contact_email",
            "motivation",
            "conditions_accepted",
        ]
        help_texts = {"country": _("ISO 3166-1 alpha-2 code, e.g. NL")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conditions_accepted"].required = True


class AdmitForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("admit", _("Admit as party")), ("reject", _("Do not admit"))],
        widget=forms.RadioSelect,
    )
    start_date = forms.DateField(label=_("Member from"), widget=DateInput(), required=False)
    reason = forms.CharField(
        label=_("Reason (when not admitting)"), widget=forms.Textarea, required=False
    )


class ObstacleForm(forms.Form):
    title = forms.CharField(label=_("Obstacle"), max_length=300)
    country = CountryField(label=_("Country"))
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)
    description = forms.CharField(label=_("What is the problem"), widget=forms.Textarea)
    ask = forms.CharField(label=_("What is asked of government"), widget=forms.Textarea)

    def __init__(self, *args: Any, covenant: Covenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "theme", Theme.objects.usable_in(covenant))


class ObstacleHandleForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What government does"),
        choices=[
            ("accept", _("Accept and assign")),
            ("report", _("Report an action taken")),
            ("close", _("Close with a result")),
            ("decline", _("Decline")),
        ],
    )
    text = forms.CharField(
        label=_("Assigned to / action / result"),
        widget=forms.Textarea,
        help_text=_("Accepting: the ministry or embassy that takes it up."),
    )


class ReminderForm(forms.Form):
    message = forms.CharField(label=_("Reminder to your members"), widget=forms.Textarea)


class KpiCommentForm(forms.Form):
    agreement = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your comment on the progress"), widget=forms.Textarea(attrs={"rows": 2})
    )
