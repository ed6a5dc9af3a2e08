"""Encryption at rest for secrets the platform keeps for its users (TOTP keys).

Same scheme as the complaints' data (``imvo/complaints/crypto.py``): Fernet
keys in a file outside the database, ``VAR_DIR/keys/<name>.key``, one key per
line, newest first, created on first use with permissions 0600 in a 0700
folder. A database dump or a backup without ``--include-keys`` therefore holds
no usable secret; back the key folder up separately.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SealingError(Exception):
    """A sealed value cannot be opened: its key file is missing or holds other keys."""


_cache: dict[str, MultiFernet] = {}


def key_file(name: str) -> Path:
    return Path(settings.VAR_DIR) / "keys" / f"{name}.key"


def create_key_file(path: Path) -> None:
    """A new key file holding one fresh Fernet key, readable by the platform's own
    user only (the folder too); left as it is when another process made it first."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first
    with os.fdopen(fd, "w") as f:
        f.write(Fernet.generate_key().decode() + "\n")


def read_keys(path: Path, error: type[Exception] = SealingError) -> list[bytes]:
    """The keys of a key file, newest first; `error` when it holds none."""
    keys = [line.strip().encode() for line in path.read_text().splitlines() if line.strip()]
    if not keys:
        raise error(f"{path} holds no keys")
    return keys


def fernet_from_file(path: Path, error: type[Exception] = SealingError) -> MultiFernet:
    """Every key of the key file at `path` (made, with one fresh key, when missing),
    read once and kept until `forget_keys()`; `error` when the file holds none."""
    cached = _cache.get(str(path))
    if cached is not None:
        return cached
    if not path.exists():
        create_key_file(path)
    f = MultiFernet([Fernet(k) for k in read_keys(path, error)])
    _cache[str(path)] = f
    return f


def _fernet(name: str) -> MultiFernet:
    return fernet_from_file(key_file(name))


def forget_keys() -> None:
    """Drop cached keys (a key rotation, or a test or a restore switched the key files)."""
    _cache.clear()


def seal(name: str, data: bytes) -> str:
    return _fernet(name).encrypt(data).decode("ascii")


def unseal(name: str, token: str) -> bytes:
    try:
        return _fernet(name).decrypt(token.encode("ascii"))
    except InvalidToken:
        raise SealingError(
            f"A value sealed with the {name!r} key cannot be opened with {key_file(name)}: "
            "restore the key folder from the backup of this install."
        ) from None
