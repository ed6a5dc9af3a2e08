"""A POST without a form object: the service's outcome reaches the user as a message."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.flash import flash_outcome
from imvo.core.forms import Done


def _post():
    request = RequestFactory().post("/")
    # What MessageMiddleware would attach.
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _said(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_a_done_action_hands_back_its_result_and_says_so():
    request = _post()
    assert flash_outcome(request, lambda: 42, "Saved.") == Done(42)
    assert _said(request) == [("success", "Saved.")]


def _refuse(error):
    def action():
        raise error

    return action


def test_a_refusal_is_the_only_message():
    request = _post()
    assert flash_outcome(request, _refuse(DomainError("Choose a covenant.")), "Saved.") is None
    assert _said(request) == [("error", "Choose a covenant.")]


def test_a_permission_refusal_is_a_refusal_too():
    request = _post()
    assert flash_outcome(request, _refuse(PermissionDeniedError("Not yours.")), "Saved.") is None
    assert _said(request) == [("error", "Not yours.")]


def test_any_other_error_is_not_swallowed():
    request = _post()
    with pytest.raises(ValueError, match="bug"):
        flash_outcome(request, _refuse(ValueError("bug")), "Saved.")
    assert _said(request) == []
