"""A failed list says whose fault it is, in the reader's language.

A file refused at the door (not a list, damaged, a zip bomb, too many rows) is the
file's fault: its page says "This file could not be read" and what to do next;
"Processing failed" is kept for the platform's own faults. The reason is kept as
its English message and values and shown in the language of whoever reads it,
not of the process that wrote it; a reason stored as text before that still shows.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from imvo.accounts.models import ApiToken
from imvo.supplychain import parsing, reasons, services
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import make_registry
from imvo.supplychain.tests.test_services import LIST_A, YEAR, upload


@pytest.fixture
def registry(db):
    return make_registry()


def _page(user, sl: SupplierList, language: str = "en") -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    response = client.get(f"/supply-chain/lists/{sl.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _refused_pdf(world) -> SupplierList:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.member_a)
    client.post(
        "/supply-chain/upload/",
        {
            "covenant": world.covenant_x.pk,
            "year": YEAR,
            "file": SimpleUploadedFile("l.xlsx", b"%PDF-1.4 x"),
        },
    )
    return SupplierList.objects.get()


def test_a_file_refused_at_the_door_is_the_files_fault(world, registry) -> None:
    sl = _refused_pdf(world)
    assert sl.status == SupplierList.Status.FAILED and sl.failed_on_file
    page = _page(world.member_a, sl)
    assert "This file could not be read: l.xlsx: this is a PDF document" in page
    assert "Processing failed" not in page
    # What to do next: another file (the upload page), or this one again.
    assert 'href="/supply-chain/upload/"' in page and "Upload a corrected file" in page
    assert "Run again" in page
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.member_a)
    index = client.get("/supply-chain/").content.decode()
    assert "File could not be read" in index
    # The secretariat reads the same, without the member's buttons.
    page = _page(world.secretariat_x, sl)
    assert "This file could not be read" in page and "Upload a corrected file" not in page


def test_a_file_the_worker_cannot_read_is_the_files_fault_too(world, registry, monkeypatch) -> None:
    """The head was readable (the upload was accepted), the whole file is not: the
    worker's ParseError is the file's fault, not a processing fault."""
    real = parsing.read_table

    def whole_file_fails(*args, **kwargs):
        if kwargs.get("head") is None:
            raise parsing.ParseError(
                "%(file)s: the list has %(n)s rows; the limit is %(max)s. Split it into "
                "several lists.",
                {"file": "list.csv", "n": 123456, "max": 100000},
            )
        return real(*args, **kwargs)

    monkeypatch.setattr(parsing, "read_table", whole_file_fails)
    sl = upload(world.member_a, world.covenant_x)
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.FAILED and sl.failed_on_file
    page = _page(world.member_a, sl)
    assert "This file could not be read: list.csv: the list has 123,456 rows" in page
    assert "Processing failed" not in page
    # In Dutch, the numbers as Dutch writes them.
    page = _page(world.member_a, sl, "nl")
    assert "Dit bestand kon niet worden gelezen: list.csv: de lijst heeft 123.456 rijen" in page


def test_a_processing_fault_says_processing_failed(world, registry, monkeypatch) -> None:
    def broken(sl, data):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "_read_and_check", broken)
    sl = upload(world.member_a, world.covenant_x)
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.FAILED and not sl.failed_on_file
    page = _page(world.member_a, sl)
    assert "Processing failed: Processing stopped on an unexpected error (RuntimeError)" in page
    assert "could not be read" not in page
    page = _page(world.member_a, sl, "nl")
    assert "RuntimeError" in page and "Processing stopped" not in page


def test_the_reason_is_shown_in_the_readers_language_not_the_writers(world, registry) -> None:
    # The upload (and so the reason) happens in Dutch...
    with translation.override("nl"), pytest.raises(Exception, match="geen leverancierslijst"):
        services.upload_list(
            world.member_a, world.covenant_x, YEAR, "l.csv", b"%PDF-1.4 x", confirm=False
        )
    sl = SupplierList.objects.get()
    # ...an English reader reads English, a Dutch one Dutch.
    assert "l.csv: this is a PDF document, not a supplier list" in _page(world.member_a, sl)
    nl = _page(world.member_a, sl, "nl")
    assert "l.csv: dit is een pdf-document, geen leverancierslijst" in nl
    assert "this is a PDF document" not in nl
    # The English copy (admin, logs) and the API in the client's language.
    assert sl.error.startswith("l.csv: this is a PDF document")
    _, token = ApiToken.issue(world.member_a)
    answer = Client(headers={"accept-language": "nl"}).get(
        f"/api/supplier-lists/{sl.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code == 200 and "geen leverancierslijst" in answer.json()["error"]


def test_a_processing_fault_from_the_checksum_is_translated(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x)
    with open(sl.file.path, "ab") as fh:
        fh.write(b"tampered")
    with translation.override("nl"):
        services.run_again(world.member_a, sl)
    sl.refresh_from_db()
    assert sl.status == "failed" and not sl.failed_on_file
    assert "checksum" in sl.error  # the English copy
    assert "Processing failed: The stored file no longer matches its checksum" in _page(
        world.member_a, sl
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([], "This file could not be read: an old reason"),
        (["name"], "Processing failed: an old reason"),
    ],
)
def test_a_reason_stored_as_text_before_still_shows(world, registry, header, expected) -> None:
    sl = upload(world.member_a, world.covenant_x, rows=LIST_A[:1])
    SupplierList.objects.filter(pk=sl.pk).update(
        status=SupplierList.Status.FAILED, error="an old reason", failure={}, header=header
    )
    sl.refresh_from_db()
    assert expected in _page(world.member_a, sl)


def test_a_reason_renders_its_numbers_and_marked_values_per_language() -> None:
    reason = reasons.Reason(
        "%(file)s: this is %(kind)s, not a supplier list. Upload a .csv, .xlsx, .xls or .ods file.",
        {"file": "x.pdf", "kind": "a PDF document"},
        ("kind",),
    )
    stored = reasons.Reason.from_stored(reason.stored(reasons.FILE))
    assert stored == reason
    with translation.override("nl"):
        assert str(stored) == (
            "x.pdf: dit is een pdf-document, geen leverancierslijst. "
            "Upload een .csv-, .xlsx-, .xls- of .ods-bestand."
        )
    size = reasons.Reason("%(mb)s MB", {"mb": 25.5})
    with translation.override("nl"):
        assert size.render() == "25,5 MB"
    assert reasons.Reason.from_stored({}) is None
    # A stored reason whose values do not fit its text shows the text, never an error.
    assert reasons.Reason("%(x)s y", {}).render() == "%(x)s y"
