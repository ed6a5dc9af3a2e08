from __future__ import annotations

import io
import json
import zipfile

import openpyxl

from imvo.regulation.services import exports, pack
from imvo.regulation.services.record import frozen_record
from imvo.regulation.tests.helpers import handed_in


def _bytes(doc) -> bytes:
    with doc.file.open("rb") as f:
        return bytes(f.read())


def test_esrs_draft_in_three_formats_each_datapoint_with_its_source(
    world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    sub = handed_in(world)
    data = json.loads(_bytes(exports.check_esrs_draft(world.member_a, sub.pk, "json")))
    assert data["meta"]["made_from"] == f"submission-{sub.pk}-v1"
    codes = [r["code"] for r in data["disclosure_requirements"]]
    assert codes == ["S2-1", "S2-2", "S2-3", "S2-4", "S2-5"]
    for req in data["disclosure_requirements"]:
        assert req["datapoints"], req["code"]
        for p in req["datapoints"]:
            assert p["source"] and p["source_url"]
    s22 = next(r for r in data["disclosure_requirements"] if r["code"] == "S2-2")
    assert any(p["key"] == "engagement:entries" and p["value"] == 1 for p in s22["datapoints"])

    book = openpyxl.load_workbook(
        io.BytesIO(_bytes(exports.check_esrs_draft(world.member_a, sub.pk, "xlsx")))
    )
    rows = list(book["ESRS S2"].iter_rows(values_only=True))
    assert rows[0][0] == "disclosure_requirement"
    assert all(r[8] for r in rows[1:])  # every row names its source
    # The action's text began with "=": written as text, never a formula.
    details = [str(r[4]) for r in rows[1:] if r[1] == "actions:count"]
    assert details and all(not d.startswith("=") for d in details)

    html = _bytes(exports.check_esrs_draft(world.member_a, sub.pk, "html")).decode()
    assert "S2-3 Processes to remediate" in html and f"submission {sub.pk}, version 1" in html


def test_csddd_pack_holds_a_pdf_per_article_and_the_tables(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    sub = handed_in(world)
    doc = exports.check_csddd_pack(world.member_a, sub.pk)
    z = zipfile.ZipFile(io.BytesIO(_bytes(doc)))
    names = set(z.namelist())
    assert {f"articles/art-{n:02d}.pdf" for n in range(7, 17)} <= names
    assert {"risk-register.xlsx", "action-plan.xlsx", "engagement-log.xlsx",
            "complaints-figures.json", "manifest.json"} <= names  # fmt: skip
    assert z.read("articles/art-13.pdf").startswith(b"%PDF")
    manifest = json.loads(z.read("manifest.json"))
    import hashlib

    for name, digest in manifest["files"].items():
        assert hashlib.sha256(z.read(name)).hexdigest() == digest, name
    log = openpyxl.load_workbook(io.BytesIO(z.read("engagement-log.xlsx"))).active
    assert [c.value for c in log[2]][2] == "Union U"


def test_the_pack_is_reproducible_from_the_frozen_submission(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    sub = handed_in(world)
    first = pack.render(frozen_record(world.member_a, sub.pk))
    again = pack.render(frozen_record(world.member_a, sub.pk))
    assert first == again
    # Asked for again, the filed copy is returned: the same document, the same bytes.
    a = exports.check_csddd_pack(world.member_a, sub.pk)
    b = exports.check_csddd_pack(world.member_a, sub.pk)
    assert a.pk == b.pk and _bytes(a) == first


def test_cli_writes_the_pack_and_the_draft(world, settings, tmp_path) -> None:
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    handed_in(world)
    out = tmp_path / "pack.zip"
    call_command("regulation", "pack", "covenant-x", "2025", "--as", "member_a", "-o", str(out))
    assert zipfile.is_zipfile(out)
    out2 = tmp_path / "draft.json"
    call_command("regulation", "esrs", "covenant-x", "2025", "--as", "secretariat_x",
                 "--organisation", world.company_a.slug, "--format", "json", "-o", str(out2))  # fmt: skip
    assert json.loads(out2.read_text())["meta"]["organisation"] == "Company A"
