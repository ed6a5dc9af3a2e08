"""A PDF made from our HTML fetches data: URIs and nothing else (no server file, no URL)."""

from __future__ import annotations

import base64
import io

import pikepdf

from imvo.core.pdf import html_to_pdf
from imvo.core.testing import HOSTILE_MARKUP

# A 1x1 PNG, as a report embeds its charts.
DOT = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()


def test_file_and_network_urls_are_refused_before_anything_is_read(pdf_reads) -> None:
    pdf = html_to_pdf(f"<p>Feedback</p>{HOSTILE_MARKUP}")
    assert pdf.startswith(b"%PDF-")
    assert pdf_reads == []


def test_data_uris_are_still_drawn(pdf_reads) -> None:
    pdf = html_to_pdf(f'<img src="data:image/png;base64,{DOT}" alt="dot">')
    assert b"/Subtype /Image" in pdf
    assert pdf_reads == []


def test_a_stylesheet_of_ours_is_applied_and_its_urls_are_refused(tmp_path, pdf_reads) -> None:
    css = tmp_path / "our.css"
    css.write_text("@page { size: A5 } body { background: url(file:///etc/passwd) }")
    pdf = html_to_pdf("<p>x</p>", [str(css)])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert round(float(doc.pages[0].mediabox[2])) == 420  # A5: 148 mm wide
    assert pdf_reads == []
