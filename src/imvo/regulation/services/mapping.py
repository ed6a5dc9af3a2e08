"""The mapping of the record's datapoints to the law, per covenant.

Defaults are data (`legal.DEFAULT_ROWS`); a secretariat's change is stored as a
`MappingRow` of its covenant and wins over the default. A question no row names
(one the secretariat added to its framework) maps by its element's OECD step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.models import User
from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant
from imvo.regulation import legal
from imvo.regulation.models import MappingRow
from imvo.regulation.services.access import require_secretariat


@dataclass(frozen=True)
class Mapped:
    key: str
    label: str
    oecd_step: int
    articles: tuple[str, ...]
    esrs: tuple[str, ...]
    vsme: bool
    legal_version: str
    edited: bool = False  # the covenant's own row, not the default

    @property
    def shown_label(self) -> str:
        """The label for a page: a default row's in the reader's language (written in
        English, `legal.DEFAULT_ROWS`); a covenant's own row as its secretariat wrote it.
        Exports keep `label`."""
        return self.label if self.edited else _(self.label)


def _split(text: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[\s,;]+", text.strip()) if p)


def _from_default(row: legal.DefaultRow) -> Mapped:
    return Mapped(row.key, row.label, row.oecd_step, row.articles, row.esrs, row.vsme,
                  legal.VERSION)  # fmt: skip


def _from_row(row: MappingRow) -> Mapped:
    return Mapped(row.key, row.label, row.oecd_step, _split(row.articles), _split(row.esrs),
                  row.vsme, row.legal_version, edited=True)  # fmt: skip


def effective_mapping(covenant: Covenant) -> dict[str, Mapped]:
    """Every mapped datapoint of the covenant: its own rows over the defaults."""
    out = {r.key: _from_default(r) for r in legal.DEFAULT_ROWS}
    for row in MappingRow.objects.filter(covenant=covenant):
        out[row.key] = _from_row(row)
    return out


def lookup(mapping: dict[str, Mapped], key: str, oecd_step: int | None = None) -> Mapped:
    if key in mapping:
        return mapping[key]
    if oecd_step is not None and key.startswith("question:"):
        return _from_default(legal.step_default(key.split(":", 1)[1], oecd_step))
    raise KeyError(key)


def validate_row(
    articles: str, esrs: str, oecd_step: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The articles and disclosure requirements as lists, or an error naming the wrong one."""
    arts, drs = _split(articles), _split(esrs)
    if not arts:
        raise DomainError(_("Name at least one CSDDD article (7 to 16)."))
    for a in arts:
        if a not in legal.CSDDD_ARTICLES:
            raise DomainError(
                _("CSDDD article %(a)s is not one of the due-diligence articles 7 to 16.")
                % {"a": a}
            )
    for d in drs:
        if d not in legal.ESRS_S2:
            raise DomainError(
                _("%(d)s is not an ESRS S2 disclosure requirement (S2-1 to S2-5).") % {"d": d}
            )
    if oecd_step not in range(1, 7):
        raise DomainError(_("The OECD step is a number from 1 to 6."))
    return arts, drs


def check_set_row(
    user: AnyUser, covenant: Covenant, key: str, *, label: str, articles: str, esrs: str,
    oecd_step: int, vsme: bool,
) -> MappingRow:  # fmt: skip
    require_secretariat(user, covenant)
    known = effective_mapping(covenant)
    if key not in known:
        raise DomainError(_("There is no datapoint %(key)s in the mapping.") % {"key": key})
    arts, drs = validate_row(articles, esrs, oecd_step)
    return do_set_row(
        covenant, key, label.strip() or known[key].label, arts, drs, oecd_step, vsme,
        user if isinstance(user, User) else None,
    )  # fmt: skip


@transaction.atomic
def do_set_row(
    covenant: Covenant, key: str, label: str, articles: tuple[str, ...], esrs: tuple[str, ...],
    oecd_step: int, vsme: bool, by: User | None = None,
) -> MappingRow:  # fmt: skip
    row, _created = MappingRow.objects.update_or_create(
        covenant=covenant,
        key=key,
        defaults={
            "label": label,
            "articles": ", ".join(articles),
            "esrs": ", ".join(esrs),
            "oecd_step": oecd_step,
            "vsme": vsme,
            "legal_version": legal.VERSION,
            "changed_by": by,
            "changed": timezone.now(),
        },
    )
    return row


def check_reset_row(user: AnyUser, covenant: Covenant, key: str) -> None:
    """Back to the platform's default for this datapoint."""
    require_secretariat(user, covenant)
    MappingRow.objects.filter(covenant=covenant, key=key).delete()
