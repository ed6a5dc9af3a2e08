"""Receipt codes: how a complainant without an account finds their case again.

The code is shown once and never stored; only its hash is kept on the case.
"""

from __future__ import annotations

import hashlib
import secrets

# Crockford's base32: no I, L, O, U, so a code read aloud or over the phone
# cannot be mistaken. 20 characters = 100 random bits, in groups of four.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_CHARS = 20


def new_receipt() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(RECEIPT_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_CHARS, 4))


REFERENCE_CHARS = 6


def new_reference(year: int) -> str:
    """A case reference: the year of filing and 6 random characters (30 bits),
    like 2026-7KQ4M9. Random, not the case's number: a number in filing order
    told anyone who files complaints now and then (each receipt shows the
    reference) when every case in the public register was filed, between two of
    their own, and how many complaints the platform gets (docs/security.md,
    T39). A reference names a case; it opens nothing (the receipt code does)."""
    return f"{year}-" + "".join(secrets.choice(ALPHABET) for _ in range(REFERENCE_CHARS))


def normalise_receipt(code: str) -> str:
    s = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return s.translate(str.maketrans("OIL", "011"))


def looks_like_receipt(code: str) -> bool:
    """Whether `code` has the shape of a receipt code (20 characters of the alphabet,
    after normalising): a code of another shape is a slip of the pen, not a guess."""
    s = normalise_receipt(code)
    return len(s) == RECEIPT_CHARS and all(ch in ALPHABET for ch in s)


def hash_receipt(code: str) -> str:
    return hashlib.sha256(("imvo-receipt:" + normalise_receipt(code)).encode()).hexdigest()
