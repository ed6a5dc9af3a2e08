"""Passphrase encryption for backup archives, as a stream (archives can be GBs).

Format (all integers big-endian)::

    MAGIC (16 bytes) | salt (16) | log2(scrypt N) (1) | chunk...
    chunk = length (4; high bit set on the last chunk) | AES-256-GCM ciphertext

The key is scrypt(passphrase, salt, N, r=8, p=1). Each chunk holds up to
64 KiB of the archive; its nonce is an 11-byte chunk counter and a last-chunk
flag byte (the STREAM construction that age uses), so chunks cannot be
reordered, dropped, or the archive cut short without decryption failing.
`imvo restore` recognises an encrypted archive by its first bytes.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"IMVO-BACKUP-ENC1"
CHUNK = 64 * 1024
LOG2_N = 17  # scrypt cost: about half a second and 128 MB to try one passphrase
LAST = 0x80000000


class BadPassphrase(Exception):
    """The passphrase is wrong, or the archive was changed or cut short."""


def _key(passphrase: str, salt: bytes, log2_n: int) -> bytes:
    if not passphrase:
        raise BadPassphrase("An empty passphrase protects nothing.")
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=8, p=1).derive(passphrase.encode())


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def is_encrypted(path: os.PathLike[str] | str) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


class EncryptingWriter:
    """A write-only file object: what is written lands encrypted in ``raw``."""

    def __init__(self, raw: BinaryIO, passphrase: str) -> None:
        salt = os.urandom(16)
        self.raw = raw
        self.aead = AESGCM(_key(passphrase, salt, LOG2_N))
        self.buffer = bytearray()
        self.counter = 0
        self.closed = False
        raw.write(MAGIC + salt + bytes([LOG2_N]))

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep one chunk back: it may be the last
            self._emit(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, last: bool) -> None:
        sealed = self.aead.encrypt(_nonce(self.counter, last), plain, None)
        self.raw.write(struct.pack(">I", len(sealed) | (LAST if last else 0)) + sealed)
        self.counter += 1

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.raw.flush()
            self.closed = True


class DecryptingReader:
    """A read-only file object over an encrypted archive."""

    def __init__(self, raw: BinaryIO, passphrase: str) -> None:
        head = raw.read(len(MAGIC) + 17)
        if len(head) < len(MAGIC) + 17 or head[: len(MAGIC)] != MAGIC:
            raise BadPassphrase("This is not an encrypted IMVO backup.")
        salt, log2_n = head[len(MAGIC) : len(MAGIC) + 16], head[-1]
        if not 10 <= log2_n <= 22:
            raise BadPassphrase("The archive's header is damaged.")
        self.raw = raw
        self.aead = AESGCM(_key(passphrase, salt, log2_n))
        self.counter = 0
        self.buffer = b""
        self.done = False

    def _next(self) -> None:
        head = self.raw.read(4)
        if len(head) < 4:
            raise BadPassphrase("The archive is cut short.")
        (word,) = struct.unpack(">I", head)
        last, size = bool(word & LAST), word & ~LAST
        if size > CHUNK + 16:
            raise BadPassphrase("The archive is damaged.")
        sealed = self.raw.read(size)
        try:
            plain = self.aead.decrypt(_nonce(self.counter, last), sealed, None)
        except InvalidTag:
            raise BadPassphrase(
                "Wrong passphrase, or the archive was changed or damaged."
            ) from None
        self.counter += 1
        self.buffer += plain
        if last:
            if self.raw.read(1):
                raise BadPassphrase("The archive has data after its end.")
            self.done = True

    def read(self, n: int = -1) -> bytes:
        while not self.done and (n < 0 or len(self.buffer) < n):
            self._next()
        if n < 0:
            out, self.buffer = self.buffer, b""
        else:
            out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out
