"""What a new edition of a published report changes in the public figures.

Publishing a new edition replaces what the public reads in the report and on the
covenant's dashboard (whose sector risk is the newest edition's, T47), so before
it is published the secretariat is shown, section by section, each figure that
moves (old -> new), each table and chart that changes, and sections added or
gone (docs/reporting.md, "A new edition"). Compared in the reader's language:
the edition in that language against the draft built now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from imvo.covenants.models import Covenant
from imvo.reporting.models import PublishedReport
from imvo.reporting.services.build import build_report
from imvo.reporting.services.publication import latest_edition


@dataclass(frozen=True)
class Change:
    """One change a new edition makes to what the public reads."""

    section: str  # the section's title
    what: str  # said for the secretariat: "Sourcing rows scanned: 6 -> 7"


def _plain(data: Any) -> Any:
    """As the published snapshot stores it (JSON), so both sides compare alike."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def _shown(figure: dict[str, Any]) -> str:
    value = "\u2013" if figure.get("value") is None else str(figure["value"])
    return f"{value} {figure.get('unit') or ''}".strip()


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {str(item.get(key, "")): item for item in items}


def _section_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out: list[str] = []
    before, after = _by(old.get("figures", []), "label"), _by(new.get("figures", []), "label")
    for label, figure in after.items():
        if label not in before:
            out.append(_("%(label)s: new, %(value)s") % {"label": label, "value": _shown(figure)})
        elif _shown(before[label]) != _shown(figure):
            out.append(
                _("%(label)s: %(old)s → %(new)s")
                % {"label": label, "old": _shown(before[label]), "new": _shown(figure)}
            )
    out += [
        _("%(label)s: no longer shown (was %(value)s)") % {"label": label, "value": _shown(f)}
        for label, f in before.items()
        if label not in after
    ]
    for kind, key, items in (
        (_("Table"), "caption", "tables"),
        (_("Chart"), "title", "charts"),
    ):
        was, now = _by(old.get(items, []), key), _by(new.get(items, []), key)
        for name in [*now, *(name for name in was if name not in now)]:
            if name not in was:
                out.append(_("%(kind)s “%(name)s”: new") % {"kind": kind, "name": name})
            elif name not in now:
                out.append(_("%(kind)s “%(name)s”: no longer shown") % {"kind": kind, "name": name})
            elif was[name] != now[name]:
                out.append(_("%(kind)s “%(name)s”: changed") % {"kind": kind, "name": name})
    if old.get("text") != new.get("text"):
        out.append(_("Text changed"))
    return out


def edition_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes from one report's data (`old`, a stored snapshot) to another's."""
    new = _plain(new)
    before = _by(old.get("sections", []), "key")
    after = _by(new.get("sections", []), "key")
    changes: list[Change] = []
    for key, section in after.items():
        title = str(section.get("title", key))
        if key not in before:
            changes.append(Change(title, _("New section")))
            continue
        changes += [Change(title, what) for what in _section_changes(before[key], section)]
    changes += [
        Change(str(s.get("title", key)), _("Section no longer in the report"))
        for key, s in before.items()
        if key not in after
    ]
    return changes


def changes_since_published(
    covenant: Covenant, year: int, today: date | None = None
) -> tuple[PublishedReport | None, list[Change]]:
    """The newest edition of the year's report (None: none yet) and what publishing
    today's draft as a new edition would change in it."""
    edition = latest_edition(covenant, year)
    if edition is None:
        return None, []
    return edition, edition_changes(edition.snapshot, build_report(covenant, year, today))
