"""Each app's declared config (core.appconfig) registers what its ready() registered
by hand before: the same functions under the same app labels, in the order of the floors."""

from __future__ import annotations

from imvo.collective import plan_notes, register_notes
from imvo.complaints import restore_check
from imvo.core import backup
from imvo.core.registry import registry
from imvo.reporting import apps as reporting_apps
from imvo.risk import tasks


def test_the_start_page_demo_and_report_keep_the_order_of_the_floors() -> None:
    assert list(registry.nav_links) == [
        "covenants",
        "supplychain",
        "risk",
        "duediligence",
        "complaints",
        "library",
        "collective",
        "regulation",
        "parties",
        "reporting",
    ]
    assert list(registry.demo_loaders) == list(registry.nav_links)
    assert list(registry.report_sections) == [
        "covenants",
        "supplychain",
        "risk",
        "duediligence",
        "complaints",
        "collective",
    ]
    assert list(registry.follow_ups) == ["covenants", "duediligence", "complaints"]


def test_offers_are_the_apps_own_functions() -> None:
    from imvo.covenants import demo, followup, nav, report

    assert registry.nav_links["covenants"] is nav.links_for
    assert registry.demo_loaders["covenants"] is demo.load
    assert registry.report_sections["covenants"] is report.report_sections
    assert registry.follow_ups["covenants"] is followup.follow_ups
    assert registry.risk_notes == {"collective": register_notes.notes_for}
    assert registry.plan_notes == {"collective": plan_notes.plan_notes}
    assert registry.submission_notes == {"collective": plan_notes.submission_notes}
    assert registry.disclosure_version_hooks == {"risk": tasks.on_disclosure_version}


def test_restore_checks_are_the_apps_own_functions() -> None:
    # Folders, chores and that the checks run: core/tests (test_storage, test_schedule, test_backup).
    assert backup._verifiers["complaints"] is restore_check.fingerprints
    assert backup._verifiers["published-reports"] is reporting_apps.published_report_fingerprints
