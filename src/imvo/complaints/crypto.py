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

from imvo.core.sealing import create_key_file


class KeyError_(Exception):
    """The key file is missing, unreadable or does not hold valid keys."""


_cache: dict[str, MultiFernet] = {}


def key_file() -> Path:
    env = os.environ.get("IMVO_COMPLAINTS_KEY_FILE")
    return Path(env) if env else Path(settings.VAR_DIR) / "keys" / "complaints.key"


def _read_keys(path: Path) -> list[bytes]:
    keys = [line.strip().encode() for line in path.read_text().splitlines() if line.strip()]
    if not keys:
        raise KeyError_(f"{path} holds no keys")
    return keys


def fernet() -> MultiFernet:
    path = key_file()
    cached = _cache.get(str(path))
    if cached is not None:
        return cached
    if not path.exists():
        create_key_file(path)
    f = MultiFernet([Fernet(k) for k in _read_keys(path)])
    _cache[str(path)] = f
    return f


def forget_keys() -> None:
    """Drop cached keys (after a rotation, or when a test switches key file)."""
    _cache.clear()


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


def add_new_key() -> Path:
    """Put a fresh key at the top of the key file (old keys stay until re-encryption ends)."""
    path = key_file()
    keys = _read_keys(path) if path.exists() else []
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(k.decode() for k in [Fernet.generate_key(), *keys]) + "\n")
    tmp.replace(path)
    forget_keys()
    return path


def drop_old_keys() -> None:
    path = key_file()
    newest = _read_keys(path)[0]
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(newest.decode() + "\n")
    tmp.replace(path)
    forget_keys()
