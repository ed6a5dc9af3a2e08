from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class SupplychainConfig(appconfig.ImvoConfig):
    name = "imvo.supplychain"
    verbose_name = _("Supply chain")
    offers = ("nav", "demo", "report")
    media = (
        ("supplier-lists", "supplier-lists", "supplier lists as uploaded (the original files)"),
    )

    def connect(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from imvo.core.cache import bump_on_change
        from imvo.supplychain import models, publication

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
        # An edited, merged or deleted facility: the matcher's prepared registry is
        # rebuilt on next use (new facilities are added to it without this).
        post_save.connect(_facility_saved, sender=models.Facility, dispatch_uid="sc-index-s")
        post_delete.connect(_facility_deleted, sender=models.Facility, dispatch_uid="sc-index-d")
        # A published year's snapshot follows its disclosures (publication.py); a
        # new disclosure version refreshes it itself, once it holds its lists
        # (disclosure.py: seen half-made, a member would drop out of the count).
        for model in (models.SupplierList, models.Match):
            post_save.connect(
                publication.refresh_on_change, sender=model, dispatch_uid=f"sc-refresh-{model}"
            )


def _facility_saved(sender: object, created: bool = False, **kwargs: object) -> None:
    if not created:
        from imvo.supplychain import registry_index

        registry_index.mark_stale()


def _facility_deleted(sender: object, **kwargs: object) -> None:
    from imvo.supplychain import registry_index

    registry_index.mark_stale()
