"""The form for sharing a practice or lesson, with several files at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from imvo.accounts.seams import AnyUser
from imvo.core.forms import MultipleFileField, limit_choices
from imvo.covenants.models import Covenant, Theme
from imvo.library.models import LearningItem
from imvo.library.services import covenants_user_may_share_in


class LearningForm(forms.Form):
    covenant = forms.ModelChoiceField(
        queryset=Covenant.objects.none(), label=gettext_lazy("Covenant")
    )
    kind = forms.ChoiceField(choices=LearningItem.Kind.choices, label=gettext_lazy("Kind"))
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), required=False, label=gettext_lazy("Theme")
    )
    summary = forms.CharField(max_length=300, required=False, label=gettext_lazy("Summary"))
    text = forms.CharField(widget=forms.Textarea, label=gettext_lazy("Text"))
    attachments = MultipleFileField(
        required=False,
        label=gettext_lazy("Attachments"),
        help_text=gettext_lazy(
            "At most 3 files of at most 5 MB: PDF, PNG, JPEG, DOCX, XLSX, ODT, TXT, CSV."
        ),
    )

    def __init__(self, user: AnyUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        covenants = covenants_user_may_share_in(user)
        limit_choices(self, "covenant", covenants)
        limit_choices(self, "theme", Theme.objects.usable_in(covenants))
