"""Benchmark: covenant-level due-diligence figures over many assessed submissions.

Builds a throw-away SQLite database with one covenant, MEMBERS member companies
and three assessed years on the garment framework, then times

- ``covenant_figures`` (the bulk path the figures page, API and report use:
  a fixed number of queries, whatever the number of members), against
- the baseline: one ``scorecard`` per decided submission (what a naive
  per-member loop would do: several queries per submission).

Both must give the same mean score per element; the script checks that.

    .venv/bin/python benchmarks/bench_duediligence.py [MEMBERS]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    tmp = tempfile.mkdtemp(prefix="imvo-bench-dd-")
    os.environ["IMVO_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
    os.environ.setdefault("DEBUG", "1")  # a throw-away local database, not a deployment
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from imvo.accounts.models import User
    from imvo.accounts.services import grant_role
    from imvo.covenants.models import Adherence, Covenant, Organisation
    from imvo.duediligence.models import Answer, Question, Submission
    from imvo.duediligence.services import figures, frameworks, scoring

    cov = Covenant.objects.create(slug="bench", name_nl="B", name_en="B", sector="garment")
    sec = User.objects.create_user("bench-sec", password="x")  # noqa: S106
    grant_role(sec, cov, "secretariat")
    fw = frameworks.check_install_framework(sec, cov, "garment")
    questions = list(Question.objects.filter(element__framework=fw))
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Company {i}", slug=f"company-{i}", type="company")
        for i in range(members)
    )
    Adherence.objects.bulk_create(
        Adherence(covenant=cov, organisation=o, role="party") for o in orgs
    )
    rng = random.Random(1)
    t0 = time.perf_counter()
    subs = Submission.objects.bulk_create(
        Submission(
            covenant=cov,
            organisation=o,
            year=y,
            framework=fw,
            status="decided",
            decision=rng.choice(["meets", "partly", "does_not_meet"]),
        )
        for y in (2023, 2024, 2025)
        for o in orgs
    )
    Answer.objects.bulk_create(
        Answer(submission=s, question=q, value=rng.choice(["yes", "partly", "no"]))
        for s in subs
        for q in questions
    )
    print(
        f"set-up: {members} members x 3 years = {len(subs)} submissions, "
        f"{len(subs) * len(questions)} answers in {time.perf_counter() - t0:.1f}s"
    )

    def bulk() -> dict:
        return figures.covenant_figures(cov)

    def baseline() -> dict:
        per: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
        for s in Submission.objects.filter(covenant=cov, status="decided").select_related(
            "framework"
        ):
            for r in scoring.scorecard(s).elements:
                if r.score is not None:
                    per[(s.year, r.element.title)].append(r.score)
        return {k: float(scoring.quantize(sum(v, Decimal(0)) / len(v))) for k, v in per.items()}

    def timed(fn, runs):  # type: ignore[no-untyped-def]
        """Best of `runs` wall-clock times, and the number of SQL queries of one run."""
        count = [0]

        def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            count[0] += 1
            return execute(sql, params, many, context)

        best = float("inf")
        out = None
        for _ in range(runs):
            count[0] = 0
            with connection.execute_wrapper(counter):
                t = time.perf_counter()
                out = fn()
                best = min(best, time.perf_counter() - t)
        return best, count[0], out

    t_bulk, q_bulk, fig = timed(bulk, 3)
    t_base, q_base, base = timed(baseline, 1)
    for y in fig["years"]:
        for title, mean in y["elements"].items():
            assert base[(y["year"], title)] == mean, (y["year"], title)
    print(f"baseline (scorecard per submission): {t_base * 1000:8.1f} ms, {q_base} queries")
    print(f"covenant_figures (bulk):             {t_bulk * 1000:8.1f} ms, {q_bulk} queries")
    print(f"speed-up: {t_base / t_bulk:.1f}x; same per-element means: yes")


if __name__ == "__main__":
    main()
