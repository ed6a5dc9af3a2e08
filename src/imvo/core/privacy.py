"""Nothing a complainant wrote reaches an error page or a log line.

The paths in ``settings.IMVO_PRIVATE_PATHS`` take what a complainant writes,
their files and their receipt code. For a request to one of them:

- `PrivatePathReporterFilter` (``DEFAULT_EXCEPTION_REPORTER_FILTER``): the
  error report, the DEBUG page included, shows the names of form fields but
  not their values, and no local variable of any frame;
- `PrivatePathExceptionReporter` (``DEFAULT_EXCEPTION_REPORTER``): nor the query
  string, the uploaded files' names, cookies, the request headers (the client
  address is one) or the exception's message (it may quote the input);
- `PrivatePathLogFilter` (on every log handler): a log record of such a
  request, or of a complaints logger, keeps its traceback's code lines and
  the exception's type, not its message, and loses the request object.

Django's own sensitive-variable markers only cover the frames they decorate;
a complaint's text passes through many, so the whole path is private.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

HIDDEN = "(hidden: private path)"
PRIVATE_LOGGERS = ("imvo.complaints",)


def is_private(request: HttpRequest | None) -> bool:
    path = getattr(request, "path", "") or ""
    return bool(path) and path.startswith(tuple(getattr(settings, "IMVO_PRIVATE_PATHS", ())))


class PrivatePathReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request: HttpRequest | None) -> bool:
        return is_private(request) or super().is_active(request)

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is not None and is_private(request):
            return {key: self.cleansed_substitute for key in request.POST}
        return super().get_post_parameters(request)

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        if is_private(request):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)


class PrivatePathExceptionReporter(ExceptionReporter):
    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if is_private(self.request):
            data["request_GET_items"] = []
            data["request_FILES_items"] = []
            data["request_COOKIES_items"] = []
            data["request_meta"] = {}
            data["request_insecure_uri"] = getattr(self.request, "path", "")
            if self.exc_value is not None:
                data["exception_value"] = HIDDEN
                for frame in data.get("frames", []):
                    frame["exc_cause"] = None
                    frame["exc_context"] = None
        return data


class PrivatePathLogFilter(logging.Filter):
    """Strip what a complainant sent from log records of private paths."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        private = is_private(request) or record.name.startswith(PRIVATE_LOGGERS)
        if not private:
            return True
        if request is not None:
            record.request = None
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _value, tb = record.exc_info
            record.exc_text = (
                "Traceback (most recent call last):\n"
                + "".join(traceback.format_tb(tb))
                + f"{exc_type.__name__}: {HIDDEN}"
            )
            record.exc_info = None
        return True
