"""Encryption at rest for complaints: keys live in a file, never in the database.

The key file (default ``VAR_DIR/keys/complaints.key``, or the path in the
environment variable ``IMVO_COMPLAINTS_KEY_FILE``) holds one Fernet key per
line, newest first. It is created on first use with permissions 0600.
Text is encrypted with the newest key; any key in the file decrypts, so a
rotation (``imvo complaints rotate-key``) adds a key at the top, re-encrypts
every stored value and evidence file with it, and then drops the old keys.
Back the key file up separately from the database: without it the
complaint texts cannot be read (that is the point).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from imvo.core import sealing


class KeyError_(Exception):
    """The key file is missing, unreadable or does not hold valid keys."""


def key_file() -> Path:
    env = os.environ.get("IMVO_COMPLAINTS_KEY_FILE")
    return Path(env) if env else Path(settings.VAR_DIR) / "keys" / "complaints.key"


def fernet() -> MultiFernet:
    return sealing.fernet_from_file(key_file(), KeyError_)


# Drop cached keys (after a rotation, or when a test switches key file).
forget_keys = sealing.forget_keys


def encrypt(text: str) -> str:
    if not text:
        return ""
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as e:
        raise KeyError_(
            "A stored complaint value cannot be decrypted with the keys in "
            f"{key_file()}: wrong or missing key file."
        ) from e


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(data: bytes) -> bytes:
    try:
        return fernet().decrypt(data)
    except InvalidToken as e:
        raise KeyError_(
            f"An evidence file cannot be decrypted with the keys in {key_file()}."
        ) from e


def rotate_token(token: str) -> str:
    return fernet().rotate(token.encode("ascii")).decode("ascii") if token else ""


def _write_keys(path: Path, keys: list[bytes]) -> None:
    """Replace the key file with `keys`, newest first: written beside it (0600), then
    moved over it, so a reader sees the old file or the new one, never half of one."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(k.decode() for k in keys) + "\n")
    tmp.replace(path)
    forget_keys()


def add_new_key() -> Path:
    """Put a fresh key at the top of the key file (old keys stay until re-encryption ends)."""
    path = key_file()
    keys = sealing.read_keys(path, KeyError_) if path.exists() else []
    _write_keys(path, [Fernet.generate_key(), *keys])
    return path


def drop_old_keys() -> None:
    path = key_file()
    _write_keys(path, sealing.read_keys(path, KeyError_)[:1])
