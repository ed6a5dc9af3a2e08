"""Test fixtures of the ground floor (a pytest plugin, see the root conftest.py):
a real browser (Debian's chromium through Playwright), logging in, accessibility
checks, a clean cache and English for every test.

The domain builders and the personas (`world`) are in `imvo.testing`, one floor
up from every app; `make_user` is in `imvo.accounts.testing`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "test-password-Imvo-1"  # noqa: S105

# Real data nobody here wrote (../shared/data beside the repository, or
# $IMVO_SHARED_DATA); tests that read it skip cleanly when it is not there.
SHARED_DATA = Path(
    os.environ.get("IMVO_SHARED_DATA") or Path(__file__).resolve().parents[4] / "shared" / "data"
)


def one_page_pdf() -> bytes:
    """A real, valid one-page PDF (pikepdf), for evidence that must pass cleaning."""
    import io

    import pikepdf

    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(out)
    return out.getvalue()


def pdf_showing_photo(photo: bytes, width: int, height: int) -> Any:
    """A new PDF (an open `pikepdf.Pdf`; the caller adds to it and saves it) with one
    page that shows the JPEG `photo` as it came: a DCT stream, its EXIF inside."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, photo)
    image.Type, image.Subtype = Name.XObject, Name.Image
    image.Width, image.Height, image.BitsPerComponent = width, height, 8
    image.ColorSpace, image.Filter = Name.DeviceRGB, Name.DCTDecode
    page = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, 2 * width, 2 * height]),
        Resources=Dictionary(XObject=Dictionary(Im0=image)),
        Contents=pikepdf.Stream(pdf, b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (2 * width, 2 * height)),
    )
    pdf.pages.append(pikepdf.Page(page))
    return pdf


GPS_LATITUDE = (52.0, 5.0, 10.0)
PHONE = "SecretPhoneMaker"


def photo_with_gps() -> bytes:
    """A JPEG as a phone writes it: maker, model and the GPS position in EXIF."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = PHONE, "Model-X"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", GPS_LATITUDE, "E", (4.0, 53.0, 0.0)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 20)).save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def pdf_with_author_and_gps_photo() -> bytes:
    """A PDF naming its author (document information and XMP) that shows the photo
    as it came from the phone (a DCT stream with its EXIF)."""
    import io

    pdf = pdf_showing_photo(photo_with_gps(), 64, 48)
    pdf.docinfo["/Author"] = "Rahima Khatun"
    with pdf.open_metadata() as xmp:
        xmp["dc:creator"] = ["Rahima Khatun"]
    out = io.BytesIO()
    pdf.save(out)
    data = out.getvalue()
    assert PHONE.encode() in data and b"Rahima Khatun" in data
    return data


def assert_cleaned_pdf(data: bytes) -> None:
    """`data`, made from `pdf_with_author_and_gps_photo`, as served: one page, the
    photo shown, no author, XMP, phone or EXIF left."""
    import io

    import pikepdf
    from PIL import Image

    assert PHONE.encode() not in data and b"Rahima Khatun" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1 and "/Author" not in pdf.docinfo
        assert "/Metadata" not in pdf.Root
        image = pdf.pages[0].Resources.XObject.Im0
        with Image.open(io.BytesIO(image.read_raw_bytes())) as shown:
            assert shown.size == (64, 48) and not shown.getexif()


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    """Each test starts without another test's cached fragments or version memo
    (the database is rolled back between tests, the per-process cache is not)."""
    from imvo.core.cache import forget_versions, local

    local().clear()
    forget_versions()
    yield


_STATIC_SETTINGS = ("STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS", "STATICFILES_FINDERS",
                    "INSTALLED_APPS", "WHITENOISE_MIMETYPES", "WHITENOISE_IMMUTABLE_FILE_TEST")  # fmt: skip


@pytest.fixture(autouse=True, scope="session")
def _static_files_listed_once() -> Iterator[None]:
    """Every test client builds Django's middleware anew, and WhiteNoise then listed and
    stat-ed every static file through the finders (about 9 ms a client, thousands of
    clients a run). The list is made once per set of settings it depends on and copied
    into each new middleware; what a request gets served is unchanged."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict[tuple[object, ...], dict[str, object]] = {}

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        key = (
            self.static_prefix, self.max_age, self.allow_all_origins, self.charset,
            self.add_headers_function, self.index_file, settings.DEBUG,
            *(repr(getattr(settings, name, None)) for name in _STATIC_SETTINGS),
        )  # fmt: skip
        if key not in listed:
            before = dict(self.files)
            original(self)
            listed[key] = {u: f for u, f in self.files.items() if before.get(u) is not f}
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = original


@pytest.fixture(autouse=True)
def _own_matching_index(settings, tmp_path):
    """Each test its own prepared-registry directory: the database is rolled back
    between tests (and differs per xdist worker), files on disk are not."""
    settings.IMVO_MATCHING_INDEX_DIR = tmp_path / "matching-index"
    yield


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service calls in tests run in English, whatever a previous request activated.

    Requests through the test client still choose their language as a browser's
    would (Accept-Language, cookie, default Dutch).
    """
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


# --- PDFs ------------------------------------------------------------------------

# Markup a PDF must never act on: a file of the server and the cloud metadata address.
HOSTILE_MARKUP = (
    '<img src="file:///etc/passwd" alt="x"><img src="http://169.254.169.254/latest/meta-data/">'
    '<link rel="stylesheet" href="file:///etc/hostname"><img src="/etc/passwd" alt="y">'
)


@pytest.fixture
def pdf_reads(monkeypatch) -> list[str]:
    """The URLs a PDF rendering tried to open, ``data:`` ones left aside. Nothing is
    really read or called: a file or network URL that gets this far is refused here,
    so a test fails fast (no 10 s time-out) on a renderer that would have fetched it."""
    import urllib.request

    reads: list[str] = []
    original = urllib.request.OpenerDirector.open

    def spy(self: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        full = url if isinstance(url, str) else url.full_url
        if full.startswith("data:"):
            return original(self, url, *args, **kwargs)
        reads.append(full)
        raise OSError(f"test: {full} must not be opened")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    return reads


# --- real browser ---------------------------------------------------------------

CHROMIUM = os.environ.get("IMVO_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-deps.sh (make test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-gpu",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/")


def logout(page) -> None:
    """Sign out with the header's button and wait for the page it leads to."""
    page.click("header form button[type=submit]:has-text('Log out')")
    page.wait_for_load_state()


# --- accessibility -------------------------------------------------------------

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """Run axe-core (the npm package's engine, bundled by axe-playwright-python) in the page.

    Returns one line per violation: rule id, impact, and the first offending nodes.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    lines = []
    for v in results.response["violations"]:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return lines


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"WCAG 2.2 AA violations on {page.url}:\n" + "\n".join(violations)
