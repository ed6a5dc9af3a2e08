"""Bilingual (nl/en) content fields stored side by side on a model."""

from django.utils.translation import get_language, gettext_noop


def pick(obj: object, field: str) -> str:
    """Return obj.<field>_<lang> for the active language, falling back to the other one."""
    lang = (get_language() or "nl")[:2]
    order = [lang, "en", "nl"]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


# Django strings its own catalogues do not translate yet; listed so makemessages finds them.
DJANGO_GAPS = [gettext_noop("- Select an option -")]
