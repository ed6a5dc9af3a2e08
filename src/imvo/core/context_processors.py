from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    """Values every template needs: the platform name and the demo flag."""
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "DEMO": getattr(settings, "DEBUG", False),
    }
