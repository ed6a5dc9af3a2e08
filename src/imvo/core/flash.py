"""What a page does with a POST that has no form object (buttons and small inline
forms): run the service call and tell the user how it went in a message shown on
the next page.

A service refuses with a `DomainError` whose message is written for the user; it
becomes an error message, otherwise `success` is shown:

    if done := flash_outcome(request, lambda: cap.check_close(user, action), _("Closed.")):
        return redirect(...)
    return redirect(...)  # refused: the error message says why

Pages with a form show a refusal on the form instead (`imvo.core.forms.submit`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from imvo.core.errors import DomainError
from imvo.core.forms import Done


def flash_outcome[T](request: HttpRequest, action: Callable[[], T], success: str) -> Done[T] | None:
    """Run `action` (the service call); flash `success`, or the service's refusal.

    Returns `Done` when the action ran, None when it was refused."""
    try:
        result = action()
    except DomainError as e:
        messages.error(request, str(e))
        return None
    messages.success(request, success)
    return Done(result)
