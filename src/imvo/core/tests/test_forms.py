"""A form page's POST: the service runs only on a valid form, and its refusal is
shown on the form instead of escaping as an error page."""

from typing import Any

import pytest
from django import forms
from django.test import RequestFactory

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.forms import Done, MultipleFileField, submit


class NameForm(forms.Form):
    name = forms.CharField()


def _post(data):
    return RequestFactory().post("/", data)


def test_a_valid_post_runs_the_action_and_hands_back_its_result():
    form = NameForm({"name": "FNV"})
    done = submit(_post({"name": "FNV"}), form, lambda: form.cleaned_data["name"].lower())
    assert done == Done("fnv")


def test_an_action_returning_none_still_counts_as_done():
    form = NameForm({"name": "FNV"})
    assert submit(_post({}), form, lambda: None) == Done(None)


def test_a_get_or_an_invalid_form_does_not_run_the_action():
    ran = []
    assert submit(RequestFactory().get("/"), NameForm({"name": "x"}), lambda: ran.append(1)) is None
    invalid = NameForm({"name": ""})
    assert submit(_post({}), invalid, lambda: ran.append(1)) is None
    assert ran == []
    assert "name" in invalid.errors


def _refuse(error: DomainError):
    def action():
        raise error

    return action


def test_a_refusal_becomes_the_forms_error():
    form = NameForm({"name": "FNV"})
    assert submit(_post({}), form, _refuse(DomainError("Already a party."))) is None
    assert form.non_field_errors() == ["Already a party."]


def test_a_refusal_can_name_the_field_it_is_about():
    form = NameForm({"name": "FNV"})
    refused = submit(
        _post({}), form, _refuse(PermissionDeniedError("Not yours.")), error_field="name"
    )
    assert refused is None
    assert form.errors["name"] == ["Not yours."]


def test_other_errors_are_not_swallowed():
    form = NameForm({"name": "FNV"})
    with pytest.raises(ZeroDivisionError):
        submit(_post({}), form, lambda: 1 // 0)


class KindForm(forms.Form):
    kind: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None)
    kinds: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None, required=False
    )


@pytest.mark.django_db
def test_limit_choices_offers_only_the_rows_given():
    from django.contrib.contenttypes.models import ContentType

    from imvo.core.forms import limit_choices

    auth = ContentType.objects.filter(app_label="auth")
    inside, outside = auth.first(), ContentType.objects.exclude(app_label="auth").first()
    assert inside is not None and outside is not None
    form = KindForm({"kind": outside.pk, "kinds": [inside.pk, outside.pk]})
    limit_choices(form, "kind", auth)
    limit_choices(form, "kinds", auth)
    assert not form.is_valid()
    assert set(form.errors) == {"kind", "kinds"}


def test_a_multiple_file_field_cleans_to_a_list_of_the_files_sent():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.datastructures import MultiValueDict

    class Upload(forms.Form):
        attachments = MultipleFileField(required=False)

    a = SimpleUploadedFile("a.txt", b"a")
    b = SimpleUploadedFile("b.txt", b"b")
    assert Upload().fields["attachments"].widget.allow_multiple_selected
    form = Upload(data={}, files=MultiValueDict({"attachments": [a, b]}))
    assert form.is_valid()
    assert form.cleaned_data["attachments"] == [a, b]
    empty = Upload(data={}, files=MultiValueDict())
    assert empty.is_valid()
    assert empty.cleaned_data["attachments"] == []
