"""The regulation PDFs (a CSDDD pack's article, the forced-labour evidence) fetch no
server file and no URL, whatever markup their templates let through."""

from __future__ import annotations

from imvo.core.testing import HOSTILE_MARKUP
from imvo.regulation.services import forced_labour, pack
from imvo.regulation.services.record import frozen_record
from imvo.regulation.tests.helpers import handed_in


def test_a_pack_article_fetches_nothing(world, monkeypatch, pdf_reads) -> None:
    rec = frozen_record(world.member_a, handed_in(world).pk)
    monkeypatch.setattr(pack, "render_to_string", lambda *a, **k: HOSTILE_MARKUP)
    assert pack.article_pdf(rec, "7", []).startswith(b"%PDF-")
    assert pdf_reads == []


def test_the_forced_labour_evidence_fetches_nothing(monkeypatch, pdf_reads) -> None:
    monkeypatch.setattr(forced_labour, "render_to_string", lambda *a, **k: HOSTILE_MARKUP)
    assert forced_labour.evidence_zip({"made_on": "2026-12-07"}).startswith(b"PK")
    assert pdf_reads == []
