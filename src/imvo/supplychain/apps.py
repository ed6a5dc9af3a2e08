from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplychainConfig(AppConfig):
    name = "imvo.supplychain"
    verbose_name = _("Supply chain")

    def ready(self) -> None:
        from imvo.core import storage

        storage.register_media(
            "supplier-lists", "supplier-lists", "supplier lists as uploaded (the original files)"
        )
        from imvo.core.cache import bump_on_change
        from imvo.core.registry import registry
        from imvo.supplychain import demo, models, nav, publication, report

        # The public list's pages are cached (docs/performance.md): a processed
        # list, a decision, a merged facility or a publication decision starts a
        # new cache version.
        bump_on_change(
            publication.bump_public_list_version,
            (
                models.SupplierList,
                models.Match,
                models.Facility,
                models.DisclosurePolicy,
                models.PublishedYear,
            ),
            uid="sc",
        )
        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_app(
            "supplychain", nav=nav.links_for, demo=demo.load, report=report.report_sections
        )
