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
        # A published year's snapshot follows its disclosures (publication.py).
        from django.db.models.signals import m2m_changed, post_save

        for model in (models.SupplierList, models.Match, models.DisclosureVersion):
            post_save.connect(
                publication.refresh_on_change, sender=model, dispatch_uid=f"sc-refresh-{model}"
            )
        # A new version is saved first and given its lists after: refresh then too.
        m2m_changed.connect(
            publication.refresh_on_change,
            sender=models.DisclosureVersion.lists.through,
            dispatch_uid="sc-refresh-version-lists",
        )
        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_app(
            "supplychain", nav=nav.links_for, demo=demo.load, report=report.report_sections
        )
