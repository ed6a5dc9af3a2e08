"""Fill a gettext catalogue from a JSON dictionary {msgid: msgstr or [singular, plural]}.

Used by maintainers when adding translations: `python scripts/fill_po.py LANG.json file.po ...`.
Needs polib (`pip install polib`); not a runtime dependency.
"""

import json
import sys

import polib


def load_table(path: str) -> dict:
    """A .json dictionary, or a .txt file whose lines translate keys.txt beside it, line by line
    (plural forms separated by ' | ', plural entries last in PLURALS order)."""
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    from pathlib import Path

    here = Path(path).parent
    keys = (here / "keys.txt").read_text(encoding="utf-8").splitlines()
    plurals = (here / "plurals.txt").read_text(encoding="utf-8").splitlines()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if len(lines) != len(keys) + len(plurals):
        raise SystemExit(f"{path}: {len(lines)} lines, expected {len(keys) + len(plurals)}")
    table: dict = dict(zip(keys, lines, strict=False))
    for key, line in zip(plurals, lines[len(keys) :], strict=True):
        table[key] = [form.strip() for form in line.split(" | ")]
    return table


def main() -> int:
    table = load_table(sys.argv[1])
    missing = []
    for path in sys.argv[2:]:
        po = polib.pofile(path)
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        for entry in po:
            value = table.get(entry.msgid)
            if value is None:
                if not entry.translated():
                    missing.append(entry.msgid)
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                header = po.metadata.get("Plural-Forms", "nplurals=2;")
                n = int(header.split("nplurals=")[1].split(";")[0])
                entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in range(n)}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.metadata_is_fuzzy = False
        po.save()
    for m in missing:
        print("untranslated:", m[:80], file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
