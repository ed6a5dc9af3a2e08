"""The assessment letter's PDF fetches no server file and no URL, whatever markup the
template lets through (the secretariat's feedback is typed text)."""

from __future__ import annotations

import pytest

from imvo.core.testing import HOSTILE_MARKUP
from imvo.duediligence.models import Submission
from imvo.duediligence.services import frameworks, review, submissions

pytestmark = pytest.mark.django_db


def test_the_letter_fetches_nothing(world, monkeypatch, pdf_reads) -> None:
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    sub.status = Submission.Status.DECIDED
    sub.save()
    monkeypatch.setattr(review, "render_to_string", lambda *a, **k: HOSTILE_MARKUP)
    assert review.assessment_letter_pdf(world.secretariat_x, sub).startswith(b"%PDF-")
    assert pdf_reads == []


def test_the_letter_uses_one_font_family_even_for_its_page_numbers(world, tmp_path) -> None:
    """The page number in the letter's bottom margin fell back to a serif font (the
    margin box does not inherit the body's font): every embedded font is DejaVu."""
    import subprocess

    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    sub.status = Submission.Status.DECIDED
    sub.save()
    path = tmp_path / "letter.pdf"
    path.write_bytes(review.assessment_letter_pdf(world.secretariat_x, sub))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    fonts = [line.split()[0] for line in out.stdout.splitlines()[2:]]
    assert fonts and all("DejaVu" in f for f in fonts), fonts
