"""Forced-labour readiness (Regulation (EU) 2024/3015, applying from 14 December 2027).

Per member: the products and locations it sources with a forced-labour risk,
from three sources, each named on the line it flags:

- the risk engine's forced-labour theme score per location (`risk.company_scan`);
- the ILAB list of goods produced with forced labour (`risk.ListedGood`);
- the EU database of forced-labour risk areas and products (Art. 8), imported
  with `import_listings` once published; until then any list in the same form.

The EU database's format is not yet published. Decided (docs/regulation.md):
CSV or JSON with the columns country (ISO alpha-2), region, product, hs_code,
reference and listed_on (YYYY-MM-DD); an import replaces the source's earlier
listings, and a file with a bad row imports nothing (row and column named).

The evidence file answers a competent authority's request for a member's
due-diligence information on products (Arts. 15-17): a ZIP with a PDF and JSON
listing, per flagged location, the flags, the member's register entries and
actions on forced labour from its latest handed-in submission, and the
engagement log entries linked to them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.core.countries import is_code
from imvo.core.errors import DomainError
from imvo.core.pdf import html_to_pdf
from imvo.covenants.models import Covenant, Organisation
from imvo.duediligence.models import Submission
from imvo.regulation import legal
from imvo.regulation.models import EngagementEntry, RetainedDocument, RiskListing
from imvo.regulation.services.access import NotFound, member_or_former
from imvo.regulation.services.retention import retained
from imvo.risk.models import ListedGood, RegisterEntry
from imvo.risk.seams import company_scan, good_label

THEME = "forced-labour"
LISTING_COLUMNS = ("country", "region", "product", "hs_code", "reference", "listed_on")


# --- importing risk listings -------------------------------------------------------------


def _read(name: str, data: bytes) -> list[dict[str, str]]:
    """The file's rows; a file that cannot be read (not UTF-8, not JSON, nested
    deeper than Python's JSON reader goes, a broken CSV) is a DomainError naming it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DomainError(_("%(name)s is not UTF-8 text (byte %(pos)s): save it as UTF-8 and import it again.")
                          % {"name": name, "pos": e.start}) from None  # fmt: skip
    if name.lower().endswith(".json"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise DomainError(_("%(name)s is not valid JSON: %(msg)s (line %(line)s).")
                              % {"name": name, "msg": e.msg, "line": e.lineno}) from None  # fmt: skip
        except RecursionError:
            raise DomainError(_("%(name)s is nested too deeply to read: a listing file is a list of entries.")
                              % {"name": name}) from None  # fmt: skip
        entries = doc.get("entries") if isinstance(doc, dict) else doc
        if not isinstance(entries, list):
            raise DomainError(_("%(name)s: expected a list of entries.") % {"name": name})
        return [
            {k: str(v or "") for k, v in e.items()} if isinstance(e, dict) else {} for e in entries
        ]
    try:
        reader = csv.DictReader(io.StringIO(text))
        missing = {"country", "product"} - {h.strip().lower() for h in reader.fieldnames or []}
        if missing:
            raise DomainError(_("%(name)s lacks the columns %(cols)s.")
                              % {"name": name, "cols": ", ".join(sorted(missing))})  # fmt: skip
        return [{(k or "").strip().lower(): _cell(v) for k, v in r.items()} for r in reader]
    except csv.Error as e:
        raise DomainError(_("%(name)s is not a readable CSV file: %(msg)s.")
                          % {"name": name, "msg": e}) from None  # fmt: skip


def _cell(v: str | list[str] | None) -> str:
    """A cell; the extra cells of a row longer than its header come as a list."""
    return (" ".join(v) if isinstance(v, list) else v or "").strip()


def check_listing_rows(rows: list[dict[str, str]], first_row: int = 2) -> list[str]:
    """One message per bad row, naming the row and the column."""
    errors = []
    for n, r in enumerate(rows, start=first_row):
        if not is_code(r.get("country", "")):
            errors.append(_("row %(n)s, country: %(v)s is not an ISO 3166 alpha-2 code")
                          % {"n": n, "v": r.get("country") or "-"})  # fmt: skip
        if not (r.get("product") or r.get("region")):
            errors.append(_("row %(n)s, product: name a product or a region (an area listed for all products)")
                          % {"n": n})  # fmt: skip
        if r.get("listed_on"):
            try:
                date.fromisoformat(r["listed_on"])
            except ValueError:
                errors.append(_("row %(n)s, listed_on: %(v)s is not a date (YYYY-MM-DD)")
                              % {"n": n, "v": r["listed_on"]})  # fmt: skip
    return errors


@transaction.atomic
def import_listings(source: str, name: str, data: bytes) -> int:
    """Replace the source's listings with the file's (trusted callers: the CLI)."""
    rows = _read(name, data)
    errors = check_listing_rows(rows, first_row=1 if name.lower().endswith(".json") else 2)
    if errors:
        raise DomainError(_("Nothing imported from %(name)s: %(errors)s")
                          % {"name": name, "errors": "; ".join(errors[:20])})  # fmt: skip
    RiskListing.objects.filter(source=source).delete()
    RiskListing.objects.bulk_create(
        RiskListing(
            source=source,
            country=r["country"].upper(),
            region=r.get("region", "")[:200],
            product=r.get("product", "")[:200],
            hs_code=r.get("hs_code", "")[:12],
            reference=r.get("reference", "")[:300],
            listed_on=date.fromisoformat(r["listed_on"]) if r.get("listed_on") else None,
        )
        for r in rows
    )
    return len(rows)


# --- readiness ---------------------------------------------------------------------------


def _same_product(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    return bool(a and b) and (a in b or b in a)


@dataclass
class Location:
    name: str
    country: str
    sector: str
    product: str
    score: float | None
    level: str
    ilab: list[str] = field(default_factory=list)
    eu: list[str] = field(default_factory=list)
    register: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.level == "high" or bool(self.ilab or self.eu or self.register)


def locations(organisation: Organisation, covenant: Covenant) -> list[Location]:
    """Every sourcing location of the member with its forced-labour flags, flagged first."""
    scan = company_scan(organisation, covenant)
    rows = {r["row_id"]: r for r in scan.rows.iter_rows(named=True)}
    goods = list(ListedGood.objects.filter(forced_labour=True).select_related("source"))
    listings = list(RiskListing.objects.all())
    register = list(RegisterEntry.objects.filter(organisation=organisation, theme_code=THEME))
    out = []
    for s in scan.scores.filter(scan.scores["theme"].cast(str) == THEME).iter_rows(named=True):
        row = rows.get(s["row_id"], {})
        country = row.get("country") or ""
        loc = Location(
            name=str(row.get("name") or ""), country=country, sector=str(row.get("sector") or ""),
            product=str(row.get("good") or ""), score=s["score"], level=str(s["level"] or ""),
        )  # fmt: skip
        # What the member called it, the engine's good and its sector: any may match a list.
        names = [n for n in (loc.name, loc.product, loc.sector) if n]
        # The good named in the reader's language (as the page's product column).
        loc.ilab = [f"ILAB {g.source.edition_year}: {good_label(g.good)} ({g.country})" for g in goods
                    if g.country == country and any(_same_product(g.good, n) for n in names)]  # fmt: skip
        loc.eu = [f"{x.source}: {x.product or x.region} ({x.country}) {x.reference}".strip()
                  for x in listings if x.country == country
                  and (not x.product or any(_same_product(x.product, n) for n in names))]  # fmt: skip
        loc.register = [e.heading for e in register if e.country in ("", country)]
        out.append(loc)
    return sorted(out, key=lambda x: (not x.flagged, -(x.score or 0), x.country, x.name))


def readiness(user: AnyUser, covenant: Covenant) -> tuple[Organisation, list[Location]]:
    org = member_or_former(user, covenant)
    if org is None:
        raise NotFound(_("There is no such covenant."))
    return org, locations(org, covenant)


# --- the evidence file -----------------------------------------------------------------------


def evidence(organisation: Organisation, covenant: Covenant, product: str = "") -> dict[str, Any]:
    locs = [loc for loc in locations(organisation, covenant) if loc.flagged]
    if product:
        locs = [
            loc for loc in locs
            if any(_same_product(product, n) for n in (loc.name, loc.product, loc.sector) if n)
        ]  # fmt: skip
    sub = (
        Submission.objects.filter(covenant=covenant, organisation=organisation)
        .handed_in()
        .order_by("-year")
        .first()
    )
    version = sub.versions.order_by("-number").first() if sub else None
    data = version.data if version else {}
    register = [e for e in data.get("risk_register", []) if e.get("theme_code") == THEME]
    ids = {e["id"] for e in register}
    actions = [a for a in data.get("action_plan", [])
               if THEME in (a.get("theme") or "") or "forced" in (a.get("risk") or "").lower()]  # fmt: skip
    engagements = [
        {"date": e.date.isoformat(), "stakeholder": e.stakeholder, "how": e.method,
         "on_what": e.topic, "outcome": e.outcome,
         "confirmed": e.confirmed_at.isoformat() if e.confirmed_at else None}
        for e in EngagementEntry.objects.filter(organisation=organisation, covenant=covenant)
        .prefetch_related("register_entries")
        if {r.pk for r in e.register_entries.all()} & ids or "forced" in e.topic.lower()
    ]  # fmt: skip
    return {
        "operator": organisation.name,
        "covenant": covenant.slug,
        "made_on": timezone.localdate().isoformat(),
        "product_asked": product,
        "legal_text": legal.FLR,
        "made_from": f"submission-{sub.pk}-v{version.number}" if sub and version else None,
        "locations": [asdict(loc) for loc in locs],
        "register_entries": register,
        "actions": actions,
        "remediation_cases": data.get("remediation_cases", []),
        "engagements": engagements,
        "sources": ["risk engine forced-labour theme", "ILAB list of goods",
                    *sorted({x.source for x in RiskListing.objects.all()})],
    }  # fmt: skip


def evidence_zip(body: dict[str, Any]) -> bytes:
    pdf = html_to_pdf(render_to_string("regulation/forced_labour.html", {"e": body}))
    js = json.dumps(body, indent=1, ensure_ascii=False, default=str).encode()
    buf = io.BytesIO()
    stamp = date.fromisoformat(body["made_on"]).timetuple()[:6]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("evidence.pdf", pdf), ("evidence.json", js)):
            z.writestr(zipfile.ZipInfo(name, date_time=stamp), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def check_evidence_file(user: AnyUser, covenant: Covenant, product: str = "") -> RetainedDocument:
    org = member_or_former(user, covenant)
    if org is None:
        raise NotFound(_("There is no such covenant."))
    body = evidence(org, covenant, product.strip())
    data = evidence_zip(body)
    digest = hashlib.sha256(data).hexdigest()
    from imvo.core.uploads import safe_name

    return retained(
        covenant, org, RetainedDocument.Kind.FORCED_LABOUR, "zip", timezone.localdate().year,
        f"fl-{digest[:20]}", safe_name(f"forced-labour-evidence-{org.slug}.zip"), lambda: data,
        by=user,
    )  # fmt: skip
