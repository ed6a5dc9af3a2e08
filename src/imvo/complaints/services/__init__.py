"""The complaints mechanism as plain functions, one topic per module.

- `filing`: taking in a complaint (the public form, the API, partner gateways);
- `following`: the complainant's side, by receipt code;
- `access`: who sees which case, and in which role;
- `workflow`: the case moving through its states, messages, what the company gets;
- `committee`: seats, declared interests and recusal;
- `forwarding`: a production-location complaint passed to the members linked to it;
- `deadlines`: time limits per covenant, reminders, the overdue list;
- `retention`: removing personal data after closure, key rotation;
- `publication`: the anonymised outcome, checked by a second person;
- `figures`: the UNGP 31 effectiveness figures.

A function that changes something comes as a pair: `check_*` validates and
authorises, then calls `do_*`, which writes (and assumes the checks were made).
Views, the API, commands and tasks call `check_*`; trusted callers (demo data,
scheduled jobs) may call `do_*`.

Infrastructure sits beside this package, not in it: `receipts`, `limits`,
`evidence` (file checks and cleaning), `audit` (the hash chain), `crypto`.

Access in one sentence: the covenant's complaints committee (minus members
recused from a case) and its secretariat, acting as case officers, see a case;
the company complained about sees what the procedure gives it once
admissibility is decided (a summary, messages and evidence the committee
shares, the decision), never an anonymous complainant's identity; a member a
production-location complaint was forwarded to sees that forwarding only.
Platform administrators are not case officers and see no case.
"""
