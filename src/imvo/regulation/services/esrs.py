"""The ESRS S2 disclosure draft of a member for a year: each datapoint of the frozen
record under the disclosure requirements it serves, with its source."""

from __future__ import annotations

import json
from typing import Any

from django.template.loader import render_to_string

from imvo.core.exports import to_xlsx_bytes
from imvo.regulation import legal
from imvo.regulation.services.record import Datapoint, FrozenRecord, datapoints

FORMATS = ("html", "xlsx", "json")
HEADER = ["disclosure_requirement", "datapoint", "label", "value", "detail", "csddd_articles",
          "oecd_step", "legal_version", "source", "source_url"]  # fmt: skip


def by_requirement(points: list[Datapoint]) -> list[tuple[str, str, list[Datapoint]]]:
    """(code, title, datapoints) per ESRS S2 requirement, in the standard's order."""
    return [
        (code, title, [p for p in points if code in p.mapped.esrs])
        for code, title in legal.ESRS_S2.items()
    ]


def meta(rec: FrozenRecord) -> dict[str, Any]:
    return {
        "organisation": rec.submission.organisation.name,
        "covenant": rec.submission.covenant.slug,
        "year": rec.submission.year,
        "made_from": rec.source_id,
        "version_made": rec.made.isoformat(),
        "legal_texts": [legal.ESRS, legal.CSDDD],
        "mapping_version": legal.VERSION,
    }


def rows(points: list[Datapoint]) -> list[list[Any]]:
    return [
        [code, p.key, p.label, p.value, p.detail, ", ".join(p.mapped.articles),
         p.mapped.oecd_step, p.mapped.legal_version, p.source, p.source_url]
        for code, _title, pts in by_requirement(points)
        for p in pts
    ]  # fmt: skip


def render(rec: FrozenRecord, fmt: str) -> bytes:
    points = datapoints(rec)
    if fmt == "json":
        body = {
            "meta": meta(rec),
            "disclosure_requirements": [
                {"code": code, "title": title, "datapoints": [p.as_dict() for p in pts]}
                for code, title, pts in by_requirement(points)
            ],
        }
        return json.dumps(body, ensure_ascii=False, indent=1, default=str).encode()
    if fmt == "xlsx":
        notes = [f"{k}: {v}" for k, v in meta(rec).items()]
        return to_xlsx_bytes(HEADER, rows(points), sheet="ESRS S2", notes=notes,
                             created=rec.made.replace(tzinfo=None))  # fmt: skip
    html = render_to_string(
        "regulation/esrs_s2.html",
        {"rec": rec, "meta": meta(rec), "requirements": by_requirement(points), "legal": legal},
    )
    return html.encode()
