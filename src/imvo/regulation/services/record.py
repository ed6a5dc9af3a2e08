"""The frozen submission and the datapoints it evidences, each citing its source.

Exports are made from a *version* of a submission (what was handed in or
decided, immutable), never from the live draft: made again, they give the same
answer. What the version does not hold is read as of that version's moment:
the engagement log (entries dated in the year and recorded before the version
was made) and the covenant's complaints figures for the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.complaints.seams import complaint_figures
from imvo.duediligence.models import Element, Submission, SubmissionVersion
from imvo.duediligence.seams import get_submission
from imvo.regulation.models import EngagementEntry
from imvo.regulation.services.access import NotFound
from imvo.regulation.services.mapping import Mapped, effective_mapping, lookup


@dataclass(frozen=True)
class Datapoint:
    """One mapped fact of the record: what it says, what it evidences, where it comes from."""

    key: str
    label: str
    value: str | int | float | None
    detail: str
    mapped: Mapped
    source: str  # in words: which version, which part
    source_url: str  # the platform page that shows it

    @property
    def shown_label(self) -> str:
        """The label for a page, in the reader's language where it is the mapping's own."""
        return self.mapped.shown_label if self.label == self.mapped.label else self.label

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "detail": self.detail,
            "csddd_articles": list(self.mapped.articles),
            "esrs_s2": list(self.mapped.esrs),
            "oecd_step": self.mapped.oecd_step,
            "legal_version": self.mapped.legal_version,
            "source": self.source,
            "source_url": self.source_url,
        }


@dataclass
class FrozenRecord:
    submission: Submission
    version: SubmissionVersion
    data: dict[str, Any]
    engagements: list[EngagementEntry] = field(default_factory=list)
    complaints: dict[str, Any] = field(default_factory=dict)

    @property
    def made(self) -> datetime:
        return self.version.created

    @property
    def source_id(self) -> str:
        """What an export is made from, stable: submission and version number."""
        return f"submission-{self.submission.pk}-v{self.version.number}"

    @property
    def version_url(self) -> str:
        return reverse("duediligence:version", args=[self.submission.pk, self.version.number])


def frozen_record(user: AnyUser, submission_id: int, number: int | None = None) -> FrozenRecord:
    """The submission's latest version (or version `number`) as the user may see it."""
    sub = get_submission(user, submission_id)
    versions = sub.versions.order_by("-number")
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise NotFound(
            _(
                "This submission has not been handed in yet: exports are made from what was handed in."
            )
        )
    return load_record(sub, version)


def load_record(sub: Submission, version: SubmissionVersion) -> FrozenRecord:
    engagements = list(
        EngagementEntry.objects.filter(
            sub.of_same_member(),
            date__year=sub.year,
            recorded__lte=version.created,
        )
        .select_related("stakeholder_organisation")
        .order_by("date", "id")
    )
    return FrozenRecord(
        submission=sub,
        version=version,
        data=version.data,
        engagements=engagements,
        complaints=complaint_figures(sub.covenant, sub.year).as_dict(),
    )


def datapoints(rec: FrozenRecord) -> list[Datapoint]:
    """Every mapped datapoint of the frozen record, in mapping order."""
    mapping = effective_mapping(rec.submission.covenant)
    v = rec.version
    where = _("submission %(id)s, version %(n)s of %(date)s") % {
        "id": rec.submission.pk,
        "n": v.number,
        "date": v.created.date().isoformat(),
    }
    steps = dict(
        Element.objects.filter(framework_id=rec.submission.framework_id).values_list(
            "code", "oecd_step"
        )
    )
    out: list[Datapoint] = []

    def add(key: str, label: str, value: Any, detail: str, source: str, url: str,
            step: int | None = None) -> None:  # fmt: skip
        m = lookup(mapping, key, step)
        out.append(Datapoint(key, m.label or label, value, detail, m, source, url))

    for a in rec.data.get("answers", []):
        value = a["value"] or (a["explanation"] if a["value"] == "" else "")
        detail = a["explanation"] if a["value"] else ""
        add(
            f"question:{a['question']}", a["text"], value or "", detail,
            _("%(where)s: answer to question %(q)s") % {"where": where, "q": a["question"]},
            f"{rec.version_url}#q-{a['question']}", steps.get(a["element"], 1),
        )  # fmt: skip

    register = rec.data.get("risk_register", [])
    reg_src = _("%(where)s: risk register as handed in") % {"where": where}
    add("register:entries", "", len(register),
        "; ".join(f"{e['title']} ({e['country'] or '-'}, priority {e['priority']:.1f})"
                  for e in register[:10]),
        reg_src, rec.version_url)  # fmt: skip
    severe = [e for e in register if (e.get("severity") or 0) >= 8]
    add("register:severe", "", len(severe), "; ".join(e["title"] for e in severe[:10]),
        reg_src, rec.version_url)  # fmt: skip

    plan = rec.data.get("action_plan", [])
    plan_src = _("%(where)s: action plan as handed in") % {"where": where}
    add("actions:count", "", len(plan), "; ".join(a["what"] for a in plan[:10]),
        plan_src, rec.version_url)  # fmt: skip
    add("actions:targets", "", sum(1 for a in plan if a.get("target")),
        "; ".join(f"{a['what']}: {a['target']} by {a['deadline']}" for a in plan[:10]),
        plan_src, rec.version_url)  # fmt: skip
    ok = [a for a in plan if a.get("tracking") in ("done", "on_track")]
    add("actions:progress", "", len(ok), _("%(ok)s of %(n)s actions done or on track")
        % {"ok": len(ok), "n": len(plan)}, plan_src, rec.version_url)  # fmt: skip

    cases = rec.data.get("remediation_cases", [])
    case_src = _("%(where)s: remediation cases as handed in") % {"where": where}
    add("remediation:cases", "", len(cases),
        "; ".join(f"{c['opened']}: {c['what_happened'][:80]}" for c in cases[:10]),
        case_src, rec.version_url)  # fmt: skip
    add("remediation:remedied", "", sum(1 for c in cases if c["status"] == "remedied"), "",
        case_src, rec.version_url)  # fmt: skip

    f = rec.complaints
    cov = rec.submission.covenant
    fig_src = _("complaints figures of covenant %(c)s for %(y)s (UNGP 31 aggregates)") % {
        "c": cov.slug, "y": rec.submission.year}  # fmt: skip
    fig_url = reverse("complaints:figures_covenant", args=[cov.slug])
    add("complaints:received", "", f["received"],
        _("admissible %(a)s, inadmissible %(i)s, open %(o)s")
        % {"a": f["admissible"], "i": f["inadmissible"], "o": f["open"]}, fig_src, fig_url)  # fmt: skip
    add("complaints:resolved", "", f["resolved"],
        _("remedies agreed %(a)s, carried out %(c)s")
        % {"a": f["remedies_agreed"], "c": f["remedies_carried_out"]}, fig_src, fig_url)  # fmt: skip
    add("complaints:within-limits", "", f["within_time_limits_percent"],
        _("median days to acknowledge %(a)s, to decide %(d)s")
        % {"a": f["median_days_to_acknowledge"], "d": f["median_days_to_decision"]},
        fig_src, fig_url)  # fmt: skip

    eng_src = _("engagement log: entries dated in %(y)s, recorded by %(date)s") % {
        "y": rec.submission.year, "date": v.created.date().isoformat()}  # fmt: skip
    eng_url = reverse("regulation:engagement", args=[cov.slug])
    add("engagement:entries", "", len(rec.engagements),
        "; ".join(f"{e.date}: {e.stakeholder} ({e.get_method_display()}) on {e.topic[:60]}"
                  for e in rec.engagements[:10]), eng_src, eng_url)  # fmt: skip
    confirmed = [e for e in rec.engagements if e.confirmed_at and e.confirmed_at <= v.created]
    add("engagement:confirmed", "", len(confirmed), "; ".join(e.stakeholder for e in confirmed),
        eng_src, eng_url)  # fmt: skip
    return out
