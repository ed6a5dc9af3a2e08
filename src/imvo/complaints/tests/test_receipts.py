"""Receipt codes are read aloud, typed on phones and copied by hand: the
normaliser must accept every harmless variation and nothing else."""

from hypothesis import given
from hypothesis import strategies as st

from imvo.complaints import services

codes = st.text(alphabet=services.ALPHABET, min_size=20, max_size=20)


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
    assert services.hash_receipt(typed) == services.hash_receipt(code)


@given(codes, st.integers(min_value=0, max_value=19), st.sampled_from(services.ALPHABET))
def test_one_changed_character_is_another_code(raw, pos, ch):
    other = raw[:pos] + ch + raw[pos + 1 :]
    assert (services.hash_receipt(other) == services.hash_receipt(raw)) == (other == raw)


def test_new_receipts_are_well_formed_and_distinct():
    seen = {services.new_receipt() for _ in range(2000)}
    assert len(seen) == 2000
    for code in list(seen)[:50]:
        assert len(code) == 24 and all(c in services.ALPHABET for c in code.replace("-", ""))
