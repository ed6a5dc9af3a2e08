"""What every form page does with a POST: validate the form, call the service, and
show the service's refusal on the form.

A service refuses with a `DomainError` whose message is written for the user; the
page shows it on the form and asks again, so no page writes that try/except itself:

    if done := submit(request, form, lambda: services.check_add_seat(user, body, **data)):
        messages.success(request, _("Seat added."))
        return redirect(...)
    return render(...)  # a GET, an invalid form or a refusal: the form again

A form whose choices depend on who asks (the covenant's themes, the user's
organisations) narrows them in its `__init__` with `limit_choices`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest

from imvo.core.errors import DomainError


@dataclass(frozen=True)
class Done[T]:
    """The form's action ran; `result` is what the service returned."""

    result: T


def submit[T](
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[], T],
    *,
    error_field: str | None = None,
) -> Done[T] | None:
    """On a POST with a valid form, run `action` (the service call).

    A `DomainError` becomes the form's error on `error_field` (the whole form when
    None). Returns `Done` when the action ran, None on a GET, an invalid form or a
    refusal (the page then shows the form again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action()
    except DomainError as e:
        form.add_error(error_field, str(e))
        return None
    return Done(result)


def limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Offer only the rows of `queryset` in the form's model choice field `name`
    (single or multiple): a choice outside them is refused as invalid."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe): cleans to a list,
    empty when none was sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _country_options() -> list[tuple[str, str]]:
    from imvo.core.countries import country_choices

    return [("", "-"), *country_choices()]


class CountryField(forms.ChoiceField):
    """A country picked by its name in the reader's language; cleans to the ISO
    3166-1 alpha-2 code the services take. The names are read when the form is
    shown, so a Dutch page lists "Ethiopië" and an English one "Ethiopia"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", _country_options)
        super().__init__(**kwargs)
