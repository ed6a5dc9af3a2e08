from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class ReportingConfig(appconfig.ImvoConfig):
    name = "imvo.reporting"
    verbose_name = _("Reporting")
    offers = ("nav", "demo")
    verifiers = {"published-reports": "apps.published_report_fingerprints"}


def published_report_fingerprints() -> dict[str, str]:
    """A sample of published reports (their frozen PDF) as stored, for the restore check."""
    import hashlib

    from imvo.core.backup import sample_rows
    from imvo.reporting.models import PublishedReport

    return {
        f"report {r.pk}": hashlib.sha256(bytes(r.pdf)).hexdigest()
        for r in sample_rows(PublishedReport.objects.all())
    }
