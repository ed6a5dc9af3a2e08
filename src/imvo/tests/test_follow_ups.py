"""The secretariat's covenant page says what is overdue across the apps (issue 17):
KPI measurements, applications, due-diligence reports not started, complaints
over their time limit; counts only, each with a link to the app's page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from imvo.core.registry import follow_ups_for
from imvo.testing import client_for, make_agreement

pytestmark = pytest.mark.django_db


def test_covenant_page_counts_what_is_overdue_in_every_app(world, settings, tmp_path, monkeypatch):
    from imvo.complaints import crypto
    from imvo.complaints.models import Complaint
    from imvo.complaints.services import filing
    from imvo.covenants.services import membership

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("IMVO_COMPLAINTS_KEY_FILE", str(tmp_path / "keys" / "complaints.key"))
    crypto.forget_keys()
    x = world.covenant_x
    make_agreement(
        x, baseline_date=date(2024, 1, 1), deadline=timezone.localdate() + timedelta(days=400)
    )
    membership.check_apply(x, "Zeeland B.V.", "Ann", "ann@zeeland.example", True)
    filed = filing.check_file_complaint(
        filing.NewComplaint(covenant=x, description="Wages unpaid for months.")
    )
    Complaint.objects.filter(pk=filed.complaint.pk).update(
        due=timezone.localdate() - timedelta(days=1)
    )
    counts = {f.label: f.count for f in follow_ups_for(x)}
    assert counts["KPIs without a measurement for more than a year"] == 1
    assert counts["Applications to join waiting for a decision"] == 1
    year = timezone.localdate().year - 1
    assert counts[f"Members that have not started their due-diligence report {year}"] == 2
    assert counts["Complaints over their time limit"] == 1
    assert all(f.count for f in follow_ups_for(x))  # nothing listed with zero
    c = client_for(world.secretariat_x, "en")
    page = c.get(f"/manage/{x.slug}/").content.decode()
    assert "Complaints over their time limit" in page and "Wages unpaid" not in page
    # Covenant Y has nothing overdue of X's.
    assert not [f for f in follow_ups_for(world.covenant_y) if "Complaints" in f.label]
