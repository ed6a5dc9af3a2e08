"""Receipt codes are read aloud, typed on phones and copied by hand: the
normaliser must accept every harmless variation and nothing else."""

from hypothesis import given
from hypothesis import strategies as st

from imvo.complaints import receipts

codes = st.text(alphabet=receipts.ALPHABET, min_size=20, max_size=20)


def _group(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


@given(
    codes, st.lists(st.sampled_from([" ", "-", "  ", "\t"]), min_size=0, max_size=6), st.booleans()
)
def test_harmless_variations_find_the_same_code(raw, seps, lower):
    code = _group(raw)
    typed = raw
    for i, sep in enumerate(seps):
        pos = (i * 3) % len(typed)
        typed = typed[:pos] + sep + typed[pos:]
    typed = typed.replace("0", "O").replace("1", "l")
    if lower:
        typed = typed.lower()
    assert receipts.hash_receipt(typed) == receipts.hash_receipt(code)


@given(codes, st.integers(min_value=0, max_value=19), st.sampled_from(receipts.ALPHABET))
def test_one_changed_character_is_another_code(raw, pos, ch):
    other = raw[:pos] + ch + raw[pos + 1 :]
    assert (receipts.hash_receipt(other) == receipts.hash_receipt(raw)) == (other == raw)


def test_new_receipts_are_well_formed_and_distinct():
    seen = {receipts.new_receipt() for _ in range(2000)}
    assert len(seen) == 2000
    for code in list(seen)[:50]:
        assert len(code) == 24 and all(c in receipts.ALPHABET for c in code.replace("-", ""))


def test_compiled_translations_keep_placeholders_and_length():
    """Every translation keeps the source's %(name)s placeholders and is not a
    run-away (e.g. a text pasted twice)."""
    import gettext
    import re
    from pathlib import Path

    locale = Path(receipts.__file__).parent / "locale"
    mos = sorted(locale.glob("*/LC_MESSAGES/django.mo"))
    assert len(mos) == 9
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for mo in mos:
        with mo.open("rb") as f:
            catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in catalog.items():
            if not msgid or isinstance(msgid, tuple):
                continue
            where = f"{mo.parent.parent.name}: {msgid[:40]}"
            assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(msgstr)), where
            assert len(msgstr) < 3 * len(msgid) + 40, where
