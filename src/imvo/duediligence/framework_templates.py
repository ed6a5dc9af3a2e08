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

# code, OECD step, title, weight, [(code, kind, text, help, weight)]
TEMPLATES: dict[str, dict[str, Any]] = {
    "garment": {
        "name": "Garment and textile assessment framework",
        "kind": "weighted",
        "description": (
            "The framework the garment and textile covenant's secretariat uses to assess "
            "members' yearly action plans. Targets and actions count for 40% of the score."
        ),
        "meets": 70,
        "partly": 50,
        "elements": [
            (
                "policy",
                1,
                "Policy and management",
                15,
                [
                    (
                        "policy-adopted",
                        "yesno",
                        "Has the board adopted a responsible business conduct policy that covers the covenant's themes?",
                        "Attach or link the policy in the explanation.",
                        2,
                    ),
                    (
                        "responsible-person",
                        "yesno",
                        "Is a named person responsible for due diligence, with mandate and budget?",
                        "",
                        1,
                    ),
                    (
                        "supplier-code",
                        "yesno",
                        "Are the policy's expectations part of supplier contracts or a code of conduct?",
                        "",
                        1,
                    ),
                ],
            ),
            (
                "risk-analysis",
                2,
                "Risk analysis: inventory and prioritisation",
                20,
                [
                    (
                        "tier1-mapped",
                        "yesno",
                        "Have you mapped all your tier-1 production locations?",
                        "",
                        1,
                    ),
                    (
                        "beyond-tier1",
                        "yesno",
                        "Have you mapped locations beyond tier 1 (wet processing, raw materials)?",
                        "",
                        1,
                    ),
                    (
                        "themes-assessed",
                        "yesno",
                        "Have you assessed the risks on all of the covenant's themes per country and product?",
                        "",
                        1,
                    ),
                    (
                        "prioritised",
                        "yesno",
                        "Have you prioritised the risks by severity and likelihood?",
                        "Severity: scale, scope and irremediable character (UNGP 14 and 24).",
                        1,
                    ),
                ],
            ),
            (
                "targets-actions",
                3,
                "Targets and actions for all themes",
                40,
                [
                    (
                        "smart-actions",
                        "yesno",
                        "Does every prioritised risk have a SMART action (what, owner, deadline, target)?",
                        "",
                        2,
                    ),
                    (
                        "all-themes",
                        "yesno",
                        "Do your targets cover all of the covenant's themes where you found risks?",
                        "",
                        1,
                    ),
                    (
                        "purchasing",
                        "yesno",
                        "Have you adjusted your own purchasing practices (prices, lead times) to reduce risks?",
                        "",
                        1,
                    ),
                    (
                        "leverage",
                        "yesno",
                        "Do you use your leverage, alone or with other members, at shared suppliers?",
                        "",
                        1,
                    ),
                ],
            ),
            (
                "evaluation-communication",
                4,
                "Evaluation and communication",
                15,
                [
                    (
                        "tracking",
                        "yesno",
                        "Do you track the implementation and results of your actions with indicators?",
                        "",
                        1,
                    ),
                    (
                        "public-report",
                        "yesno",
                        "Do you publish a yearly report on your due diligence?",
                        "",
                        1,
                    ),
                    (
                        "locations-public",
                        "yesno",
                        "Are your production locations on the covenant's public list?",
                        "",
                        1,
                    ),
                ],
            ),
            (
                "stakeholders",
                6,
                "Stakeholder consultation and remedy",
                10,
                [
                    (
                        "consulted",
                        "yesno",
                        "Did you consult workers, trade unions or NGOs in your risk analysis?",
                        "",
                        1,
                    ),
                    (
                        "grievance",
                        "yesno",
                        "Do workers in your chain have access to an effective grievance mechanism?",
                        "",
                        1,
                    ),
                    (
                        "remedy",
                        "yesno",
                        "Where you caused or contributed to harm, did you provide for or cooperate in remedy?",
                        "",
                        1,
                    ),
                    (
                        "stakeholder-notes",
                        "text",
                        "Which stakeholders did you consult this year, and on what?",
                        "",
                        0,
                    ),
                ],
            ),
        ],
    },
    "maturity": {
        "name": "Due-diligence maturity self-assessment",
        "kind": "maturity",
        "description": (
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
                    "Policy and management systems",
                    "How mature is responsible business conduct embedded in your policy and management?",
                    "1 no policy; 3 policy adopted and owned; 5 integrated in governance, incentives and purchasing.",
                ),
                (
                    2,
                    "Identify and assess",
                    "How mature is your identification and assessment of adverse impacts?",
                    "1 none; 3 chain mapped and risks prioritised; 5 continuous, with rights holders involved.",
                ),
                (
                    3,
                    "Cease, prevent, mitigate",
                    "How mature are your actions to cease, prevent and mitigate harm?",
                    "1 none; 3 SMART plan for priority risks; 5 leverage used across the chain, results shown.",
                ),
                (
                    4,
                    "Track",
                    "How mature is your tracking of implementation and results?",
                    "1 none; 3 indicators per action; 5 independent verification.",
                ),
                (
                    5,
                    "Communicate",
                    "How mature is your communication on how you address impacts?",
                    "1 none; 3 yearly public report; 5 locations, impacts and results disclosed.",
                ),
                (
                    6,
                    "Remediation",
                    "How mature is your provision of or cooperation in remediation?",
                    "1 none; 3 grievance mechanism available; 5 remedy delivered and its effectiveness evaluated.",
                ),
            ]
        ],
    },
}
