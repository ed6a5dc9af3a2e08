"""The legal frame as data: versions used, CSDDD articles, ESRS S2 disclosure
requirements, and the default mapping of the platform's due-diligence record to them.

Sourced from issue 19's text (the frame as of late 2026); docs/regulation.md
shows the same table and the decisions made where the law is ambiguous. A
covenant's secretariat edits the mapping per covenant (`MappingRow`); these are
the defaults every covenant starts from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# The versions of the legal texts this mapping was written against.
CSDDD = "CSDDD: Directive (EU) 2024/1760 as amended by the 2025-26 Omnibus (text of late 2026)"
ESRS = "ESRS S2: Delegated Regulation (EU) 2023/2772, S2-1 to S2-5, with the value-chain cap of Directive (EU) 2026/470"
FLR = "Forced Labour Regulation: Regulation (EU) 2024/3015 (applies from 14 December 2027)"
EUDR = "EUDR: Regulation (EU) 2023/1115 as amended (applies from 30 December 2026; micro and small firms June 2027)"
LKSG = "LkSG section 10(1): documentation kept 7 years (the BAFA report is abolished)"
VERSION = "2026-12"  # stamped on each mapping row and export

# The same versions in the reader's language, for the pages. Exports keep the
# English stamps above, so an export made again is the same bytes in any language.
SHOWN = {
    "CSDDD": _(
        "CSDDD: Directive (EU) 2024/1760 as amended by the 2025-26 Omnibus (text of late 2026)"
    ),
    "ESRS": _(
        "ESRS S2: Delegated Regulation (EU) 2023/2772, S2-1 to S2-5, with the value-chain cap "
        "of Directive (EU) 2026/470"
    ),
    "FLR": _("Forced Labour Regulation: Regulation (EU) 2024/3015 (applies from 14 December 2027)"),
    "EUDR": _(
        "EUDR: Regulation (EU) 2023/1115 as amended (applies from 30 December 2026; micro and "
        "small firms June 2027)"
    ),
    "LKSG": _("LkSG section 10(1): documentation kept 7 years (the BAFA report is abolished)"),
}

CSDDD_ARTICLES: dict[str, str] = {
    "7": "Art. 7 Integrating due diligence into policies and risk management",
    "8": "Art. 8 Identifying and assessing adverse impacts",
    "9": "Art. 9 Prioritising identified adverse impacts",
    "10": "Art. 10 Preventing potential adverse impacts",
    "11": "Art. 11 Bringing actual adverse impacts to an end",
    "12": "Art. 12 Remediation of actual adverse impacts",
    "13": "Art. 13 Meaningful engagement with stakeholders",
    "14": "Art. 14 Notification mechanism and complaints procedure",
    "15": "Art. 15 Monitoring",
    "16": "Art. 16 Communicating",
}

ESRS_S2: dict[str, str] = {
    "S2-1": "S2-1 Policies related to value chain workers",
    "S2-2": "S2-2 Processes for engaging with value chain workers about impacts",
    "S2-3": "S2-3 Processes to remediate negative impacts and channels to raise concerns",
    "S2-4": "S2-4 Taking action on material impacts, and the effectiveness of those actions",
    "S2-5": "S2-5 Targets related to managing material impacts",
}

# OECD step (the platform's) -> CSDDD articles it evidences by default.
STEP_ARTICLES: dict[int, tuple[str, ...]] = {
    1: ("7",),
    2: ("8", "9"),
    3: ("10", "11"),
    4: ("15",),
    5: ("16",),
    6: ("12", "14"),
}
STEP_ESRS: dict[int, tuple[str, ...]] = {
    1: ("S2-1",),
    2: ("S2-4",),
    3: ("S2-4",),
    4: ("S2-4", "S2-5"),
    5: ("S2-1",),
    6: ("S2-3",),
}


@dataclass(frozen=True)
class DefaultRow:
    key: str  # "question:<code>", "register:...", "actions:...", "complaints:..." ...
    label: str
    oecd_step: int
    articles: tuple[str, ...]
    esrs: tuple[str, ...]
    vsme: bool = False  # within the voluntary SME standard (VSME): may be asked of small suppliers


def _q(code: str, label: str, step: int, articles: tuple[str, ...], esrs: tuple[str, ...],
       vsme: bool = False) -> DefaultRow:  # fmt: skip
    return DefaultRow(f"question:{code}", label, step, articles, esrs, vsme)


# VSME: the basic module asks whether the company has a code of conduct or
# human-rights policy and a complaints-handling mechanism, and about severe
# human-rights incidents (VSME C6, C7); anything further is beyond the cap.
# The labels are written in English, stored so in a covenant's own rows and kept so
# in exports; pages show a default row's label in the reader's language
# (`Mapped.shown_label`).
MATURITY_LABELS = (
    gettext_noop("Maturity level, OECD step 1"),
    gettext_noop("Maturity level, OECD step 2"),
    gettext_noop("Maturity level, OECD step 3"),
    gettext_noop("Maturity level, OECD step 4"),
    gettext_noop("Maturity level, OECD step 5"),
    gettext_noop("Maturity level, OECD step 6"),
)

DEFAULT_ROWS: tuple[DefaultRow, ...] = (
    # The garment framework's questions.
    _q("policy-adopted", gettext_noop("Board-adopted RBC policy covering the themes"), 1, ("7",), ("S2-1",), True),
    _q("responsible-person", gettext_noop("Named person responsible, with mandate and budget"), 1, ("7",), ("S2-1",)),
    _q("supplier-code", gettext_noop("Expectations in supplier contracts or code of conduct"), 1, ("7", "10"), ("S2-1",), True),
    _q("tier1-mapped", gettext_noop("Tier-1 production locations mapped"), 2, ("8",), ("S2-4",)),
    _q("beyond-tier1", gettext_noop("Locations beyond tier 1 mapped"), 2, ("8",), ("S2-4",)),
    _q("themes-assessed", gettext_noop("Risks assessed on all themes per country and product"), 2, ("8",), ("S2-4",)),
    _q("prioritised", gettext_noop("Risks prioritised by severity and likelihood"), 2, ("9",), ("S2-4",)),
    _q("smart-actions", gettext_noop("A SMART action for every prioritised risk"), 3, ("10", "11"), ("S2-4", "S2-5")),
    _q("all-themes", gettext_noop("Targets cover every theme with risks"), 3, ("10",), ("S2-5",)),
    _q("purchasing", gettext_noop("Own purchasing practices adjusted"), 3, ("10",), ("S2-4",)),
    _q("leverage", gettext_noop("Leverage used, alone or with other members"), 3, ("10", "11"), ("S2-4",)),
    _q("tracking", gettext_noop("Implementation and results tracked with indicators"), 4, ("15",), ("S2-4", "S2-5")),
    _q("public-report", gettext_noop("Yearly public report on due diligence"), 5, ("16",), ("S2-1",)),
    _q("locations-public", gettext_noop("Production locations on the public list"), 5, ("16",), ("S2-1",)),
    _q("consulted", gettext_noop("Workers, unions or NGOs consulted in the risk analysis"), 2, ("13",), ("S2-2",)),
    _q("grievance", gettext_noop("Workers have access to an effective grievance mechanism"), 6, ("14",), ("S2-3",), True),
    _q("remedy", gettext_noop("Remedy provided for or cooperated in"), 6, ("12",), ("S2-3",)),
    _q("stakeholder-notes", gettext_noop("Stakeholders consulted this year, and on what"), 2, ("13",), ("S2-2",)),
    # The maturity framework's questions (one per OECD step).
    *(
        _q(f"level-{n}", MATURITY_LABELS[n - 1], n, STEP_ARTICLES[n], STEP_ESRS[n], n == 1)
        for n in range(1, 7)
    ),
    # The risk register, action plan and remediation cases of the frozen submission.
    DefaultRow("register:entries", gettext_noop("Prioritised risks in the risk register"), 2, ("8", "9"), ("S2-4",)),
    DefaultRow("register:severe", gettext_noop("Risks of the highest severity (severity 8 or more)"), 2, ("9",), ("S2-4",)),
    DefaultRow("actions:count", gettext_noop("Actions in the action plan"), 3, ("10", "11"), ("S2-4",)),
    DefaultRow("actions:targets", gettext_noop("Measurable targets of the actions"), 4, ("15",), ("S2-5",)),
    DefaultRow("actions:progress", gettext_noop("Actions done or on track"), 4, ("15",), ("S2-4",)),
    DefaultRow("remediation:cases", gettext_noop("Remediation cases"), 6, ("12",), ("S2-3",)),
    DefaultRow("remediation:remedied", gettext_noop("Remediation cases remedied"), 6, ("12",), ("S2-3",)),
    # The covenant's complaints mechanism (the member takes part in it: CSDDD Art. 14(5)).
    DefaultRow("complaints:received", gettext_noop("Complaints received by the covenant's mechanism"), 6, ("14",), ("S2-3",)),
    DefaultRow("complaints:resolved", gettext_noop("Complaints resolved"), 6, ("14",), ("S2-3",)),
    DefaultRow("complaints:within-limits", gettext_noop("Steps taken within the time limits (%)"), 6, ("14",), ("S2-3",)),
    # The stakeholder engagement log.
    DefaultRow("engagement:entries", gettext_noop("Stakeholder engagements in the year"), 2, ("13",), ("S2-2",)),
    DefaultRow("engagement:confirmed", gettext_noop("Engagements confirmed by the union or NGO named"), 2, ("13",), ("S2-2",)),
)  # fmt: skip

DEFAULT_BY_KEY: dict[str, DefaultRow] = {r.key: r for r in DEFAULT_ROWS}


def step_default(code: str, step: int) -> DefaultRow:
    """A question no row names (a secretariat's own question): mapped by its OECD step."""
    return DefaultRow(f"question:{code}", code, step, STEP_ARTICLES[step], STEP_ESRS[step])
