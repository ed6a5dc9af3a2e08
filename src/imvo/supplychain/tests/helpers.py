"""Small builders for supply-chain tests."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from imvo.supplychain.models import Facility
from imvo.supplychain.normalise import normalise_address, normalise_name


def make_facility(name: str, address: str, country: str, sector: str = "Apparel") -> Facility:
    return Facility.objects.create(
        name=name,
        address=address,
        country=country,
        sector=sector,
        name_norm=normalise_name(name),
        address_norm=normalise_address(address),
    )


def csv_bytes(
    rows: list[list[Any]], header: tuple[str, ...] = ("Factory name", "Address", "Country")
) -> bytes:
    lines = [",".join(header)]
    for r in rows:
        lines.append(",".join(f'"{c}"' for c in r))
    return ("\n".join(lines) + "\n").encode()


REGISTRY = [
    ("Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur Industrial Area, Gazipur 1700", "BD"),
    (
        "Saigon Sewing Joint Stock Company",
        "No. 45 Tan Thuan Road, District 7, Ho Chi Minh City",
        "VN",
    ),
    ("Anatolia Tekstil San. ve Tic. A.S.", "Organize Sanayi Bolgesi 4. Cadde No 9, Bursa", "TR"),
    (
        "Ningbo Evergreen Garment Co., Ltd",
        "No. 88 Jiangnan Road, Yinzhou District, Ningbo 315100",
        "CN",
    ),
    ("Unit A Lotus Apparel Co., Ltd", "Unit A, No. 5 Lotus Road, Dongguan 523000", "CN"),
]


def make_registry() -> list[Facility]:
    return [make_facility(*r) for r in REGISTRY]


# The filler members' disclosure: a factory none of the tests' lists name.
FILLER_ROW = ["Filler Weaving Works", "9 Quiet Lane, Faisalabad", "PK"]


def publish_with_members(
    covenant: Any, year: int, secretariat: Any, k: int = 3, row: list[str] | None = None
) -> list[Any]:
    """Make a covenant's year public under the publication rule: K set to `k`,
    members added until `k` have a current disclosure for the year (each of them
    disclosing `row`), then the secretariat publishes. Returns the added members."""
    from imvo.accounts.testing import make_user
    from imvo.supplychain import publication
    from imvo.supplychain.models import DisclosurePolicy
    from imvo.supplychain.services import upload_list
    from imvo.testing import adhere, make_org

    DisclosurePolicy.objects.update_or_create(covenant=covenant, defaults={"min_members": k})
    added: list[Any] = []
    for n in range(1, k + 1):  # bounded: a filler row that links nothing must not loop
        if publication.disclosing_members(covenant, year) >= k:
            break
        org = make_org(f"Filler Member {covenant.pk}-{n}")
        adhere(covenant, org)
        user = make_user(organisation=org)
        upload_list(user, covenant, year, "filler.csv", csv_bytes([row or FILLER_ROW]))
        added.append(org)
    publication.publish_year(secretariat, covenant, year)
    return added


def factory_of_a_and_b_made_public(world: Any, year: int = 2025) -> Facility:
    """Company A and company B both list one factory (the registry's first, Dhaka
    Knit) for covenant X's `year`, and the year is public (K=3: a filler member
    discloses another factory). Returns the factory."""
    from imvo.supplychain.services import upload_list

    factory = make_registry()[0]
    row = [[factory.name, factory.address, "Bangladesh"]]
    for member in (world.member_a, world.member_b):
        upload_list(member, world.covenant_x, year, "list.csv", csv_bytes(row))
    publish_with_members(world.covenant_x, year, world.secretariat_x)
    return factory


def zip_bytes(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive holding `members` (name: content), as an upload's bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


def xlsx_with_sheet(sheet: bytes) -> bytes:
    """The least an .xlsx needs for the reader to open its first sheet: `sheet` as
    xl/worksheets/sheet1.xml, deflated."""
    return zip_bytes({"[Content_Types].xml": "<Types/>", "xl/worksheets/sheet1.xml": sheet})


def libreoffice_convert(tmp: Any, source: Any, target: str, kind: str = "") -> bytes:
    """`source` saved by LibreOffice as `target` (a format, "xlsx", or a filter, "csv:...")
    in `tmp`/out, and the bytes of the file it made (`kind`: its extension when the
    target is a filter). How the committed test files were made and are checked."""
    import subprocess

    out = tmp / "out"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
         "--convert-to", target, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return bytes((out / f"{source.stem}.{kind or target}").read_bytes())


def confirm_form(sl: Any) -> dict[str, str]:
    """What the preview page's Confirm button posts: the effect shown and the files
    it was computed against (`disclosure.seen_files`)."""
    from imvo.supplychain import disclosure

    shown = disclosure.preview(sl)
    return {"action": "confirm", "seen": shown.mode, "seen_files": shown.seen_files}
