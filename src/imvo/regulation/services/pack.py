"""The CSDDD evidence pack: one ZIP a member can file or hand to a supervisor.

Inside: a PDF summary per due-diligence article (Arts. 7-16) listing the
evidence mapped to it, the risk register, the action plan, the engagement
log, the complaints figures and a manifest with each file's SHA-256. Made from
a frozen version with fixed dates inside, so made again it is the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from django.template.loader import render_to_string

from imvo.core.exports import to_xlsx_bytes
from imvo.core.pdf import html_to_pdf
from imvo.regulation import legal
from imvo.regulation.services.esrs import meta
from imvo.regulation.services.record import Datapoint, FrozenRecord, datapoints

REGISTER_HEADER = ["id", "title", "theme_code", "country", "product", "severity", "likelihood",
                   "priority", "involvement", "status", "owner"]  # fmt: skip
PLAN_HEADER = ["id", "what", "risk", "theme", "owner", "start", "deadline", "target", "status",
               "progress", "tracking"]  # fmt: skip
LOG_HEADER = ["date", "who", "stakeholder", "union_or_ngo_on_platform", "how", "on_what",
              "outcome", "risks", "actions", "confirmed_at"]  # fmt: skip


def article_pdf(rec: FrozenRecord, article: str, points: list[Datapoint]) -> bytes:
    html = render_to_string(
        "regulation/article.html",
        {"rec": rec, "article": legal.CSDDD_ARTICLES[article], "points": points,
         "meta": meta(rec), "legal": legal},
    )  # fmt: skip
    return html_to_pdf(html)


def engagement_rows(rec: FrozenRecord) -> list[list[Any]]:
    return [
        [e.date.isoformat(), e.get_kind_display(), e.stakeholder,
         e.stakeholder_organisation.name if e.stakeholder_organisation else "",
         e.get_method_display(), e.topic, e.outcome,
         "; ".join(str(r.pk) for r in e.register_entries.all()),
         "; ".join(str(a.pk) for a in e.actions.all()),
         e.confirmed_at.isoformat() if e.confirmed_at and e.confirmed_at <= rec.made else ""]
        for e in rec.engagements
    ]  # fmt: skip


def files(rec: FrozenRecord) -> dict[str, bytes]:
    points = datapoints(rec)
    made = rec.made.replace(tzinfo=None)
    out: dict[str, bytes] = {}
    for art in legal.CSDDD_ARTICLES:
        mine = [p for p in points if art in p.mapped.articles]
        out[f"articles/art-{int(art):02d}.pdf"] = article_pdf(rec, art, mine)
    reg = rec.data.get("risk_register", [])
    out["risk-register.xlsx"] = to_xlsx_bytes(
        REGISTER_HEADER, [[e.get(k) for k in REGISTER_HEADER] for e in reg], "risk register",
        created=made,
    )  # fmt: skip
    plan = rec.data.get("action_plan", [])
    out["action-plan.xlsx"] = to_xlsx_bytes(
        PLAN_HEADER, [[a.get(k) for k in PLAN_HEADER] for a in plan], "action plan", created=made
    )
    out["engagement-log.xlsx"] = to_xlsx_bytes(
        LOG_HEADER, engagement_rows(rec), "engagement log", created=made
    )
    out["complaints-figures.json"] = json.dumps(
        rec.complaints, indent=1, sort_keys=True, default=str
    ).encode()
    out["datapoints.json"] = json.dumps(
        [p.as_dict() for p in points], indent=1, ensure_ascii=False, default=str
    ).encode()
    manifest = {
        **meta(rec),
        "legal_texts": [legal.CSDDD, legal.ESRS, legal.LKSG],
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(out.items())},
    }
    out["manifest.json"] = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
    return out


def render(rec: FrozenRecord) -> bytes:
    stamp = rec.made.timetuple()[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in sorted(files(rec).items()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()
