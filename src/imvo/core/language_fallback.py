"""A string a partly translated language lacks is shown in English, not in Dutch.

Django fills the gaps of every language's catalogue from the catalogue of
LANGUAGE_CODE (`DjangoTranslation._add_fallback` in
`django.utils.translation.trans_real`). Ours is Dutch, so a French or Bengali
reader (a worker abroad filing a complaint) read French or Bengali mixed with
Dutch. The source strings (msgids) are English, which that reader is far more
likely to read. Decision (docs/channels.md, "Languages"): no fallback catalogue
at all, so a missing string is the msgid, English. Dutch itself has no fallback
anyway, and a reader who chose no language still gets Dutch: LANGUAGE_CODE
stays "nl" (the language of pages, mails and tasks outside a request).

Why not LANGUAGE_CODE = "en" with a middleware choosing Dutch: LANGUAGE_CODE is
also the language of every mail, task and command outside a request; moving it
would change all of those to fix only the gaps of partial catalogues.
"""

from django.utils.translation import trans_real


def _no_fallback(self: trans_real.DjangoTranslation, localedirs: object = None) -> None:
    """Add no fallback catalogue: `gettext` then returns the (English) msgid."""


def install() -> None:
    """Replace Django's fallback to LANGUAGE_CODE; called from `CoreConfig.ready`."""
    if not hasattr(trans_real.DjangoTranslation, "_add_fallback"):  # pragma: no cover
        # A Django upgrade renamed it: fail at start, not silently mix in Dutch.
        raise RuntimeError(
            "django.utils.translation.trans_real changed: review core/language_fallback.py"
        )
    trans_real.DjangoTranslation._add_fallback = _no_fallback
    # A catalogue loaded by an earlier app's ready() kept the Dutch fallback.
    trans_real._translations.clear()  # type: ignore[attr-defined]
