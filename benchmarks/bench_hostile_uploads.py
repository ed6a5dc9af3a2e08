"""Time and memory of reading hostile supplier lists (docs/security.md, T37).

    .venv/bin/python benchmarks/bench_hostile_uploads.py [1m|line|quotes|strings]

Each case builds its file in memory and reads it as the upload request does (the
head) and as the worker does (the whole file), printing seconds and the peak
resident memory of this process. Run one case per process: the peak is the
process's, not the case's.
"""

from __future__ import annotations

import resource
import sys
import time

from imvo.supplychain.parsing import ParseError, read_table


def _far_string_xlsx(count: int = 2_000_000) -> bytes:
    """A valid .xlsx (8 MB, 272 MB unpacked: within the zip-bomb bounds) whose one
    data row names the last of `count` shared strings."""
    import io
    import random
    import zipfile

    rnd = random.Random(1)
    pool = [
        "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(120)) for _ in range(60)
    ]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"

    def inline(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        header = inline("A1", "name") + inline("B1", "address") + inline("C1", "country")
        row = f'<c r="A2" t="s"><v>{count - 1}</v></c>' + inline("B2", "Road") + inline("C2", "BD")
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}"><sheetData><row r="1">{header}</row>'
            f'<row r="2">{row}</row></sheetData></worksheet>',
        )
        strings = "".join(f"<si><t>{rnd.choice(pool)}</t></si>" for _ in range(count))
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{strings}</sst>')
    return buf.getvalue()


CASES = {
    # A million short rows: 20 MB, under the size limit, ten times the row limit.
    "1m": lambda: (
        b"name,address,country\n" + b"".join(b"F%d,R %d,BD\n" % (i, i) for i in range(1_000_000))
    ),
    # A header and one 24 MB line.
    "line": lambda: b"name,address,country\n" + b"A" * (24 * 1024 * 1024) + b"\n",
    # 300,000 rows, each opening a quote that never closes.
    "quotes": lambda: (
        b"name,address,country\n" + b"".join(b'"F%d,R %d,BD\n' % (i, i) for i in range(300_000))
    ),
    # An .xlsx whose first row names the last of 2,000,000 shared strings.
    "strings": _far_string_xlsx,
}


def main(case: str) -> None:
    data = CASES[case]()
    print(f"{case}: {len(data) / 1e6:.1f} MB")
    for head in (50, None):
        start = time.perf_counter()
        try:
            name = "big.xlsx" if data.startswith(b"PK") else "big.csv"
            outcome = f"read {len(read_table(name, data, head=head).rows):,} rows"
        except ParseError as e:
            outcome = f"refused: {str(e)[:90]}"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        label = "request (head)" if head else "worker (whole)"
        print(f"  {label}: {time.perf_counter() - start:.2f} s, peak {peak:.0f} MB, {outcome}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "1m")
