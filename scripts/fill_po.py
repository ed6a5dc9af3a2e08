"""Fill a gettext catalogue from a JSON dictionary {msgid: msgstr or [singular, plural]}.

Used by maintainers when adding translations: `python scripts/fill_po.py LANG.json file.po ...`.
Needs polib (`pip install polib`); not a runtime dependency.
"""

import json
import sys

import polib


def main() -> int:
    table = json.load(open(sys.argv[1], encoding="utf-8"))
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
                forms = value if isinstance(value, list) else [value, value]
                entry.msgstr_plural = {0: forms[0], 1: forms[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        if "fuzzy" in po.metadata_is_fuzzy if hasattr(po, "metadata_is_fuzzy") else False:
            pass
        po.metadata_is_fuzzy = False
        po.save()
    for m in missing:
        print("untranslated:", m[:80], file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
