"""The public complaint form: plain words, every field explained, little required."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from imvo.complaints import evidence
from imvo.complaints.models import Complaint, OnBehalfConsent
from imvo.complaints.services import filing
from imvo.core.cache import cached
from imvo.core.errors import DomainError
from imvo.core.forms import MultipleFileField, MultipleFileInput


def form_cache_version() -> str:
    from django.utils.translation import get_language

    from imvo.covenants.services import public_version

    return f"{public_version()}:{get_language()}"


def _covenant_choices() -> list[tuple[str, str]]:
    """The covenants that take complaints (slug, name in the current language),
    cached under the covenants' public data version."""
    return cached(
        f"complaints:covenant-choices:{form_cache_version()}",
        lambda: [(c.slug, str(c.name)) for c in filing.open_covenants()],
    )


def member_choices(covenant_slug: str) -> list[tuple[str, str]]:
    """The active member companies (id, name) of one open covenant, cached under
    the covenants' public data version (a change to covenants, members or
    adherences starts a new one). Empty for an unknown or closed covenant.

    The form lists only the chosen covenant's members: listing every member of
    every covenant made the page 283 KB at 5,000 members (docs/performance.md)."""
    slug = str(covenant_slug or "")[:100]
    if not slug or "\x00" in slug:  # no slug holds NUL; PostgreSQL refuses it in a query
        return []

    def members() -> list[tuple[str, str]]:
        covenant = filing.open_covenants().filter(slug=slug).first()
        if covenant is None:
            return []
        return [
            (str(pk), name) for pk, name in filing.members_of(covenant).values_list("pk", "name")
        ]

    return cached(f"complaints:member-choices:{form_cache_version()}:{slug}", members)


class FastSelect(forms.Select):
    """A select rendered in one pass of Python string building.

    Django renders each <option> through a template; with thousands of member
    companies on the complaint form that took most of the page's time (the load
    test in docs/performance.md). Same HTML, same escaping, same choices. With
    nothing chosen (every first visit) the options are the same for everyone, so
    their HTML is cached under ``cache_key`` (set by the form to the data version).
    """

    cache_key = ""

    def use_required_attribute(self, initial: Any) -> bool:
        # Select's own check lists every choice to find the first; skip it for
        # an optional field, where the answer is False anyway.
        return self.is_required and super().use_required_attribute(initial)

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        from django.forms.utils import flatatt
        from django.utils.safestring import mark_safe

        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        if self.cache_key and selected <= {""}:
            inner = cached(f"fast-select:{self.cache_key}", lambda: self._options(selected))
        else:
            inner = self._options(selected)
        return mark_safe(f"<select{flatatt(final)}>{inner}</select>")

    def _options(self, selected: set[str]) -> str:
        from html import escape  # Django's escape is this, behind a slower lazy wrapper

        def option(v: Any, label: Any) -> str:
            v = "" if v is None else str(v)
            sel = " selected" if v in selected else ""
            return f'<option value="{escape(v)}"{sel}>{escape(str(label))}</option>'

        parts: list[str] = []
        for group, opts in self.choices:
            if isinstance(opts, list | tuple):
                parts.append(f'<optgroup label="{escape(str(group))}">')
                parts.extend(option(v, label) for v, label in opts)
                parts.append("</optgroup>")
            else:
                parts.append(option(group, opts))
        return "".join(parts)  # every value escaped above


def read_uploads(uploads: list[Any]) -> list[tuple[str, bytes]]:
    """Check count and size before reading a file into memory."""
    if len(uploads) > evidence.MAX_EVIDENCE_FILES:
        raise DomainError(
            gettext("You can add at most %(n)d files at a time.")
            % {"n": evidence.MAX_EVIDENCE_FILES}
        )
    out = []
    for f in uploads:
        if (f.size or 0) > evidence.MAX_EVIDENCE_BYTES:
            raise DomainError(
                gettext("%(name)s is too large; the limit is %(limit)d MB per file.")
                % {"name": f.name, "limit": evidence.MAX_EVIDENCE_BYTES // 1048576}
            )
        out.append((f.name or "file", f.read()))
    return out


class _FilingForm(forms.Form):
    """What the public complaint form and the on-behalf form share: no ":" after
    labels, the covenants and topics to choose from, evidence read with its count
    and size checked, and the cleaned fields handed to the filing service."""

    # Fields the view turns into objects itself (or does not pass on); every other
    # field is a keyword argument of the filing service, passed on as cleaned.
    resolved_by_view = ("covenant", "respondent", "facility", "location_query", "evidence")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No ":" after labels: most are questions, and Django only recognises ASCII "?",
        # so labels ending in the full-width or Arabic question mark got a stray colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.covenant_choices = _covenant_choices()
        fields: dict[str, Any] = self.fields
        fields["covenant"].choices = [("", "—"), *self.covenant_choices]
        fields["topics"].choices = [(code, label) for code, label, _codes in filing.TOPICS]

    def clean_evidence(self) -> list[tuple[str, bytes]]:
        try:
            # Count and size only: a file that cannot be made safe is refused
            # after the complaint is saved (evidence.store_evidence), not here.
            return read_uploads(self.files.getlist("evidence") if self.files else [])
        except DomainError as e:
            raise forms.ValidationError(str(e)) from e

    def error_summary(self) -> list[dict[str, str]]:
        """Every error of the sent form, in the form's order, with the id of the
        field it belongs to: the summary at the top of the form links each error
        to its field (to the first box of a group of choices), so a person using
        a keyboard or a screen reader gets from the list to the field at once.
        Errors of the form as a whole have no field (empty ``anchor``)."""
        out = []
        for name, errors in self.errors.items():
            anchor, label = "", ""
            if name in self.fields:
                bf = self[name]
                group = isinstance(
                    bf.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
                )
                anchor = f"{bf.auto_id}_0" if group else bf.auto_id
                label = str(bf.label or "")
            out += [{"anchor": anchor, "label": label, "message": str(e)} for e in errors]
        return out

    def filing_arguments(self) -> dict[str, Any]:
        """The cleaned fields that are `filing.NewComplaint`'s as they are."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.resolved_by_view}


class ComplaintForm(_FilingForm):
    covenant = forms.ChoiceField(
        label=_("Which agreement is this about?"),
        help_text=_("The sector of the company or workplace. Choose the closest one."),
    )
    complainant_type = forms.ChoiceField(
        label=_("Who is complaining?"),
        choices=Complaint.ComplainantType.choices,
        initial=Complaint.ComplainantType.AFFECTED,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_("Tell it in your own words and your own language. Who was harmed, and how?"),
        widget=forms.Textarea(attrs={"rows": 7}),
        min_length=10,
        max_length=20000,
    )
    topics = forms.MultipleChoiceField(
        label=_("What is it about?"),
        help_text=_("Tick all that fit. You may skip this."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    location = forms.CharField(
        label=_("Where did it happen?"),
        help_text=_(
            "Name of the factory, farm or mine, the town and the country, as far as you know."
        ),
        required=False,
        max_length=500,
    )
    location_query = forms.CharField(
        label=_("Look up the workplace in the public list"),
        help_text=_("Type part of its name and press Search. You may skip this."),
        required=False,
        max_length=filing.LOCATION_QUERY_MAX,
    )
    facility = forms.CharField(required=False, widget=forms.RadioSelect)
    respondent = forms.ChoiceField(
        label=_("Which company buys from this workplace?"),
        help_text=_("Only if you know it. If not, we will find out."),
        required=False,
        widget=FastSelect,
    )
    respondent_text = forms.CharField(
        label=_("Brand or company name, if it is not in the list"),
        required=False,
        max_length=300,
    )
    when = forms.CharField(
        label=_("When did it happen?"),
        help_text=_("A date, a month, or 'still going on'."),
        required=False,
        max_length=200,
    )
    remedy_sought = forms.CharField(
        label=_("What should happen to put it right?"),
        help_text=_("For example: pay what is owed, give the job back, make the building safe."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    anonymous = forms.BooleanField(
        label=_("Keep my name secret"),
        help_text=_(
            "If ticked, the company never learns who you are. The committee may still need a way to reach you."
        ),
        required=False,
        initial=True,
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    contact = forms.CharField(
        label=_("How can we reach you safely?"),
        help_text=_(
            "Phone, e-mail or a person we may contact. You may leave this empty and use your receipt code instead."
        ),
        required=False,
        max_length=300,
    )
    share_identity_with_company = forms.BooleanField(
        label=_("The company may know my name"),
        help_text=_("Only if you did not ask to keep your name secret."),
        required=False,
    )
    evidence = MultipleFileField(
        label=_("Photos or documents (optional)"),
        help_text=_(
            "Up to 5 files: photos (JPEG, PNG, WebP) or PDF, at most 5 MB each. We remove location and camera data from photos, and author details from PDF files. Choose files last: changing the language empties this field."
        ),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(
        self, *args: Any, facilities: list[dict[str, Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        # The company picker lists the members of the chosen covenant only; with no
        # covenant chosen yet, the "Show its companies" button reloads the form
        # (without JavaScript) with that covenant's members.
        chosen = (
            self.data.get("covenant") if self.is_bound else self.initial.get("covenant")
        ) or ""
        members = member_choices(chosen)
        fields["respondent"].choices = [("", _("I do not know / not listed")), *members]
        fields["respondent"].widget.cache_key = f"respondent:{form_cache_version()}:{chosen[:100]}"
        self.covenant_chosen = chosen in {slug for slug, _name in self.covenant_choices}
        self.facilities = facilities or []
        self.fields["facility"].widget.choices = [("", _("None of these"))] + [
            (str(f["id"]), f"{f['name']}, {f.get('address', '')} ({f.get('country', '')})")
            for f in self.facilities
        ]


LANGUAGE_CHOICES = settings.LANGUAGES


class OnBehalfForm(_FilingForm):
    """A union or NGO files a complaint for workers, with their consent recorded
    (services/on_behalf.py). Signed-in staff of the organisation use it."""

    covenant = forms.ChoiceField(label=_("Which agreement is this about?"))
    respondent = forms.ChoiceField(
        label=_("The member company concerned, if known"), required=False
    )
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 7}),
        min_length=10,
        max_length=20000,
    )
    language = forms.ChoiceField(
        label=_("Language the workers read"),
        help_text=_("The committee writes its reasons to the workers in this language."),
        choices=LANGUAGE_CHOICES,
    )
    topics = forms.MultipleChoiceField(
        label=_("What is it about?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    location = forms.CharField(label=_("Where did it happen?"), required=False, max_length=500)
    when = forms.CharField(label=_("When did it happen?"), required=False, max_length=200)
    remedy_sought = forms.CharField(
        label=_("What should happen to put it right?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    consent_who = forms.CharField(
        label=_("Who gave their consent"),
        help_text=_(
            "Names, or how many workers and which (e.g. '14 sewing operators of line 3')."
            " Encrypted; the company never sees it unless the workers agreed."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    consent_how = forms.ChoiceField(
        label=_("How they consented"),
        choices=OnBehalfConsent.How.choices,
        widget=forms.RadioSelect,
    )
    consent_given_on = forms.DateField(
        label=_("On which day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_scope = forms.MultipleChoiceField(
        label=_("What they agreed to"),
        choices=OnBehalfConsent.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[OnBehalfConsent.Scope.FILE, OnBehalfConsent.Scope.FOLLOW],
    )
    evidence = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        # Every member company (the service checks it is a member of the covenant chosen).
        members = [(str(o.pk), o.name) for o in filing.members_of()]
        fields["respondent"].choices = [("", _("Not known")), *members]
