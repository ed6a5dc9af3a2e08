"""Ready-made assessment frameworks a covenant's secretariat can install and then adapt.

- ``garment``: the garment and textile covenant's assessment framework (policy;
  risk analysis with inventory and prioritisation; targets and actions for all
  themes, 40% of the score; evaluation and communication; stakeholder
  consultation and remedy). Weights sum to 100.
- ``maturity``: a five-level maturity self-assessment per OECD step, like the
  metals covenant's. Each step weighs the same; the level (1-5) maps to 0, 25,
  50, 75 or 100 points.

Yes/no questions also accept "partly" (half the points): reviewers of the
garment covenant gave partial credit when a policy existed but was not yet
adopted by the board, and a binary answer hid that.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

# code, OECD step, title, weight, [(code, kind, text, help, weight)]
TEMPLATES: dict[str, dict[str, Any]] = {
    "garment": {
        "name": N_("Garment and textile assessment framework"),
        "kind": "weighted",
        "description": N_(
            "The framework the garment and textile covenant's secretariat uses to assess "
            "members' yearly action plans. Targets and actions count for 40% of the score."
        ),
        "meets": 70,
        "partly": 50,
        "elements": [
            (
                "policy",
                1,
                N_("Policy and management"),
                15,
                [
                    (
                        "policy-adopted",
                        "yesno",
                        N_(
                            "Has the board adopted a responsible business conduct policy that covers the covenant's themes?"
                        ),
                        N_("Attach or link the policy in the explanation."),
                        2,
                    ),
                    (
                        "responsible-person",
                        "yesno",
                        N_(
                            "Is a named person responsible for due diligence, with mandate and budget?"
                        ),
                        "",
                        1,
                    ),
                    (
                        "supplier-code",
                        "yesno",
                        N_(
                            "Are the policy's expectations part of supplier contracts or a code of conduct?"
                        ),
                        "",
                        1,
                    ),
                ],
            ),
            (
                "risk-analysis",
                2,
                N_("Risk analysis: inventory and prioritisation"),
                20,
                [
                    (
                        "tier1-mapped",
                        "yesno",
                        N_("Have you mapped all your tier-1 production locations?"),
                        "",
                        1,
                    ),
                    (
                        "beyond-tier1",
                        "yesno",
                        N_(
                            "Have you mapped locations beyond tier 1 (wet processing, raw materials)?"
                        ),
                        "",
                        1,
                    ),
                    (
                        "themes-assessed",
                        "yesno",
                        N_(
                            "Have you assessed the risks on all of the covenant's themes per country and product?"
                        ),
                        "",
                        1,
                    ),
                    (
                        "prioritised",
                        "yesno",
                        N_("Have you prioritised the risks by severity and likelihood?"),
                        N_("Severity: scale, scope and irremediable character (UNGP 14 and 24)."),
                        1,
                    ),
                ],
            ),
            (
                "targets-actions",
                3,
                N_("Targets and actions for all themes"),
                40,
                [
                    (
                        "smart-actions",
                        "yesno",
                        N_(
                            "Does every prioritised risk have a SMART action (what, owner, deadline, target)?"
                        ),
                        "",
                        2,
                    ),
                    (
                        "all-themes",
                        "yesno",
                        N_(
                            "Do your targets cover all of the covenant's themes where you found risks?"
                        ),
                        "",
                        1,
                    ),
                    (
                        "purchasing",
                        "yesno",
                        N_(
                            "Have you adjusted your own purchasing practices (prices, lead times) to reduce risks?"
                        ),
                        "",
                        1,
                    ),
                    (
                        "leverage",
                        "yesno",
                        N_(
                            "Do you use your leverage, alone or with other members, at shared suppliers?"
                        ),
                        "",
                        1,
                    ),
                ],
            ),
            (
                "evaluation-communication",
                4,
                N_("Evaluation and communication"),
                15,
                [
                    (
                        "tracking",
                        "yesno",
                        N_(
                            "Do you track the implementation and results of your actions with indicators?"
                        ),
                        "",
                        1,
                    ),
                    (
                        "public-report",
                        "yesno",
                        N_("Do you publish a yearly report on your due diligence?"),
                        "",
                        1,
                    ),
                    (
                        "locations-public",
                        "yesno",
                        N_("Are your production locations on the covenant's public list?"),
                        "",
                        1,
                    ),
                ],
            ),
            (
                "stakeholders",
                6,
                N_("Stakeholder consultation and remedy"),
                10,
                [
                    (
                        "consulted",
                        "yesno",
                        N_("Did you consult workers, trade unions or NGOs in your risk analysis?"),
                        "",
                        1,
                    ),
                    (
                        "grievance",
                        "yesno",
                        N_(
                            "Do workers in your chain have access to an effective grievance mechanism?"
                        ),
                        "",
                        1,
                    ),
                    (
                        "remedy",
                        "yesno",
                        N_(
                            "Where you caused or contributed to harm, did you provide for or cooperate in remedy?"
                        ),
                        "",
                        1,
                    ),
                    (
                        "stakeholder-notes",
                        "text",
                        N_("Which stakeholders did you consult this year, and on what?"),
                        "",
                        0,
                    ),
                ],
            ),
        ],
    },
    "maturity": {
        "name": N_("Due-diligence maturity self-assessment"),
        "kind": "maturity",
        "description": N_(
            "Five maturity levels per OECD step: 1 ad hoc, 2 aware, 3 defined, 4 managed, "
            "5 leading. Each step weighs the same."
        ),
        "meets": 50,
        "partly": 25,
        "elements": [
            (f"step-{n}", n, title, 1, [(f"level-{n}", "level", question, help_, 1)])
            for n, title, question, help_ in [
                (
                    1,
                    N_("Policy and management systems"),
                    N_(
                        "How mature is responsible business conduct embedded in your policy and management?"
                    ),
                    N_(
                        "1 no policy; 3 policy adopted and owned; 5 integrated in governance, incentives and purchasing."
                    ),
                ),
                (
                    2,
                    N_("Identify and assess"),
                    N_("How mature is your identification and assessment of adverse impacts?"),
                    N_(
                        "1 none; 3 chain mapped and risks prioritised; 5 continuous, with rights holders involved."
                    ),
                ),
                (
                    3,
                    N_("Cease, prevent, mitigate"),
                    N_("How mature are your actions to cease, prevent and mitigate harm?"),
                    N_(
                        "1 none; 3 SMART plan for priority risks; 5 leverage used across the chain, results shown."
                    ),
                ),
                (
                    4,
                    N_("Track"),
                    N_("How mature is your tracking of implementation and results?"),
                    N_("1 none; 3 indicators per action; 5 independent verification."),
                ),
                (
                    5,
                    N_("Communicate"),
                    N_("How mature is your communication on how you address impacts?"),
                    N_(
                        "1 none; 3 yearly public report; 5 locations, impacts and results disclosed."
                    ),
                ),
                (
                    6,
                    N_("Remediation"),
                    N_("How mature is your provision of or cooperation in remediation?"),
                    N_(
                        "1 none; 3 grievance mechanism available; 5 remedy delivered and its effectiveness evaluated."
                    ),
                ),
            ]
        ],
    },
}


def _texts() -> frozenset[str]:
    """Every text of the templates a user reads (names, descriptions, element
    titles, questions and guidance): the msgids `shown` translates."""
    out: set[str] = set()
    for spec in TEMPLATES.values():
        out.update((spec["name"], spec["description"]))
        for _code, _step, title, _weight, questions in spec["elements"]:
            out.add(title)
            for _q, _kind, text, help_, _qw in questions:
                out.update((text, help_))
    out.discard("")
    return frozenset(out)


KNOWN = _texts()


def shown(text: str) -> str:
    """`text` of a framework, element or question in the reader's language.

    Installing a template copies its English texts into the database
    (`Framework.name`, `Element.title`, `Question.text` / `help`), where the
    secretariat may then edit them. Those rows have one text, not a Dutch and an
    English one, so they are translated when shown: a text still equal to the
    template's (one of `KNOWN`, the gettext msgids marked above) is looked up in
    the catalogue; a text the secretariat wrote or changed is its own and is
    shown as written. Stored and exported values stay the English source."""
    return gettext(text) if text in KNOWN else text
