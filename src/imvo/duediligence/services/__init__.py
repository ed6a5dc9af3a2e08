"""The due-diligence cycle as plain functions, one topic per module.

- `access`: who is a member, who reviews, which submissions and actions one sees;
- `frameworks`: installing a ready-made framework and adapting it (elements,
  questions, weights);
- `scoring`: the score of answers, per element and in total;
- `submissions`: the member's yearly submission, from draft to handed in, and
  the immutable versions kept of it;
- `action_plan`: the member's SMART actions, progress with evidence, and
  remediation cases;
- `review`: the secretariat's queue, assessment and decision, and the letter;
- `escalation`: the path for members that persistently fall short;
- `figures`: covenant aggregates per year (for the public report);
- `exports`: assessment results per member (confidential, secretariat only).

A function that changes something comes as a pair: `check_*` validates and
authorises, then calls `do_*`, which writes (and assumes the checks were made).
Views, the API, commands and tasks call `check_*`; trusted callers (demo data)
may call `do_*`.

Who may do what:

- a *member* is a user whose company has an active *party* adherence in the
  covenant (unions, NGOs, government and branch organisations are parties too,
  but the yearly due-diligence submission is the companies' obligation); it
  sees and edits only its own organisation's submissions, action plan and
  remediation cases;
- a *reviewer* is the covenant's secretariat (``is_secretariat(user, covenant)``);
  it sees only the covenants it serves, and a member's submission only once
  handed in (`Submission.objects.visible_to`, built on `core.scoping`).

Anything else is reported as "not found" (views answer 404), never as "not yours".
"""
