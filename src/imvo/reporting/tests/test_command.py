"""`imvo report COVENANT YEAR --out report.pdf`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from imvo.reporting.tests.helpers import reporting_covenant

pytestmark = pytest.mark.django_db


def test_builds_pdf_by_slug_and_id(tmp_path):
    c, *_ = reporting_covenant(slug="garment")
    out = tmp_path / "report.pdf"
    call_command("report", "garment", "2025", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    out2 = tmp_path / "by-id.pdf"
    call_command("report", str(c.pk), "2024", "--out", str(out2))
    assert out2.stat().st_size > 1000


def test_clear_errors(tmp_path):
    reporting_covenant(slug="garment")
    with pytest.raises(CommandError, match=r"Unknown covenant 'nope'\. Known covenants: garment"):
        call_command("report", "nope", "2025", "--out", str(tmp_path / "r.pdf"))
    with pytest.raises(CommandError, match="2031 is outside the term"):
        call_command("report", "garment", "2031", "--out", str(tmp_path / "r.pdf"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("report", "garment", "2025", "--out", str(tmp_path / "no" / "r.pdf"))
    with pytest.raises(CommandError, match="no published report"):
        call_command("report", "garment", "2025", "--published", "--out", str(tmp_path / "r.pdf"))
    assert not (tmp_path / "r.pdf").exists()
