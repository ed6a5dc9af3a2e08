"""The secretariat's work on a report and its published editions: section
texts, publishing (a frozen snapshot, HTML and PDF per language), and finding
the editions readers see.

Publishing freezes the report: the data snapshot, the rendered HTML and the PDF
are stored in a :class:`~imvo.reporting.models.PublishedReport`, so later data
changes never alter a published edition.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant
from imvo.covenants.seams import require_secretariat
from imvo.reporting.models import PublishedReport, SectionText
from imvo.reporting.render import render_report_html, render_report_pdf
from imvo.reporting.services.build import build_report, check_year


@transaction.atomic
def save_section_text(
    user: AnyUser, covenant: Covenant, year: int, key: str, *, nl: str, en: str
) -> SectionText:
    """The secretariat's own words for one section, in Dutch and English, kept until
    the report is published. A language left empty is shown in the other language,
    marked, in that language's edition (and listed by the content check)."""
    require_secretariat(user, covenant)
    check_year(covenant, year)
    if max(len(nl), len(en)) > 20000:
        raise DomainError(_("Keep a section's text under 20,000 characters."))
    obj, _created = SectionText.objects.update_or_create(
        covenant=covenant,
        year=year,
        section_key=key[:60],
        defaults={
            "text_nl": nl.strip(),
            "text_en": en.strip(),
            "updated_by": roles.signed_in(user),
            "updated": timezone.now(),
        },
    )
    return obj


def publish_report(
    user: AnyUser,
    covenant: Covenant,
    year: int,
    today: date | None = None,
    progress: Callable[[str], object] | None = None,
    skip_failed_sections: bool = False,
) -> PublishedReport:
    """Freeze the report as a new version, in every fully translated language (nl, en).

    Each language gets its own stored snapshot, HTML and PDF, with the
    secretariat's text in that language (the other one, marked, where it is missing). Returns the edition in the active language.
    A report whose sections failed is refused, unless ``skip_failed_sections``
    (used by the demo only): then the failed sections are left out and the
    errors stay recorded in the snapshot.
    """
    from django.conf import settings
    from django.db import IntegrityError
    from django.utils import translation

    require_secretariat(user, covenant)
    languages = list(getattr(settings, "FULL_LANGUAGES", ["en"]))
    active = (get_language() or languages[0])[:2]
    # The active language first, so a refusal is worded in the reader's language.
    languages.sort(key=lambda lang: lang != active)
    version = (
        PublishedReport.objects.filter(covenant=covenant, year=year).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    ) + 1
    now = timezone.now()
    editions = []
    # Rendering takes seconds: do it before the (short) write transaction.
    for lang in languages:
        with translation.override(lang):
            data = build_report(covenant, year, today, progress=progress)
            if data["errors"] and not skip_failed_sections:
                raise DomainError(
                    _("The report cannot be published while sections fail: %(errors)s")
                    % {"errors": " ".join(data["errors"])}
                )
            edition = PublishedReport(
                covenant=covenant,
                year=year,
                version=version,
                language=lang,
                snapshot=data,
                published_by=roles.signed_in(user),
                published_at=now,
            )
            if progress:
                progress(_("HTML"))
            edition.html = render_report_html(data, edition)
            if progress:
                progress(_("PDF"))
            edition.pdf = render_report_pdf(data, edition, body=edition.html)
            editions.append(edition)
    try:
        with transaction.atomic():
            for edition in editions:
                edition.save()
    except IntegrityError:
        # The unique (covenant, year, version, language) caught a simultaneous publication.
        raise DomainError(
            _("Another edition was published at the same moment; reload the page and try again.")
        ) from None
    return next((e for e in editions if e.language == active), editions[0])


def published_reports(covenant: Covenant | None = None) -> QuerySet[PublishedReport]:
    """Published reports are public. Lists defer the large stored fields."""
    qs = PublishedReport.objects.select_related("covenant").defer("html", "pdf", "snapshot")
    if covenant is not None:
        qs = qs.filter(covenant=covenant)
    return qs


def _prefer_language(editions: list[PublishedReport]) -> PublishedReport | None:
    """Of one version's editions, the one in the active language, else English, else any."""
    lang = (get_language() or "en")[:2]
    for wanted in (lang, "en"):
        for e in editions:
            if e.language == wanted:
                return e
    return editions[0] if editions else None


def latest_edition(
    covenant: Covenant, year: int, version: int | None = None
) -> PublishedReport | None:
    """The newest (or the given) version of a year's report, in the reader's language."""
    qs = PublishedReport.objects.filter(covenant=covenant, year=year)
    if version is None:
        version = qs.aggregate(v=Max("version"))["v"]
    if version is None:
        return None
    return _prefer_language(list(qs.filter(version=version).select_related("covenant")))


def editions_of(covenant: Covenant, year: int) -> list[PublishedReport]:
    """Every version of a year's report, oldest first, each in the reader's language
    (as `latest_edition` picks it): one query, the large stored fields deferred."""
    versions: dict[int, list[PublishedReport]] = {}
    for r in published_reports(covenant).filter(year=year).order_by("version", "language"):
        versions.setdefault(r.version, []).append(r)
    return [e for e in (_prefer_language(g) for g in versions.values()) if e is not None]


def versions_of(covenant: Covenant, year: int) -> list[int]:
    return sorted(
        set(
            PublishedReport.objects.filter(covenant=covenant, year=year).values_list(
                "version", flat=True
            )
        ),
        reverse=True,
    )


def latest_editions(covenant: Covenant | None = None) -> list[PublishedReport]:
    """The newest version of every published (covenant, year), in the reader's language
    (of one covenant, or of all)."""
    groups: dict[tuple[int, int], list[PublishedReport]] = {}
    for r in published_reports(covenant).order_by("covenant__name_en", "-year", "-version"):
        group = groups.setdefault((r.covenant_id, r.year), [])
        if not group or group[0].version == r.version:
            group.append(r)
    return [e for e in (_prefer_language(g) for g in groups.values()) if e is not None]


def latest_editions_of(covenant: Covenant) -> list[PublishedReport]:
    return latest_editions(covenant)
