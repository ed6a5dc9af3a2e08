from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "imvo.reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from imvo.core import backup
        from imvo.core.registry import registry
        from imvo.reporting import demo, nav

        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_app("reporting", nav=nav.links_for, demo=demo.load)
        backup.register_verifier("published-reports", _published_report_fingerprints)


def _published_report_fingerprints() -> dict[str, str]:
    """A sample of published reports (their frozen PDF) as stored, for the restore check."""
    import hashlib

    from imvo.core.backup import sample
    from imvo.reporting.models import PublishedReport

    ids = sample(list(PublishedReport.objects.order_by("pk").values_list("pk", flat=True)))
    return {
        f"report {r.pk}": hashlib.sha256(bytes(r.pdf)).hexdigest()
        for r in PublishedReport.objects.filter(pk__in=ids)
    }
