"""Optional second factor (TOTP, RFC 6238) for accounts, meant for secretariat and
committee members who handle confidential supplier lists and complaints.

Log-in becomes two steps when a user has a confirmed device: password first,
then a 6-digit code from an authenticator app. Wrong codes are throttled by
django-otp (growing delays), on top of the password lock-out by django-axes.
"""

from __future__ import annotations

import segno

from imvo.accounts.models import SealedTOTPDevice as TOTPDevice
from imvo.accounts.services import AnyUser

PENDING_SESSION_KEY = "_imvo_2fa_pending"


def confirmed_device(user: AnyUser) -> TOTPDevice | None:
    if not (user and user.is_authenticated is not None and getattr(user, "pk", None)):
        return None
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def start_setup(user: AnyUser) -> TOTPDevice:
    """An unconfirmed device for the user (re-used while the set-up is unfinished)."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1b1f24")


def secret_base32(device: TOTPDevice) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def confirm(device: TOTPDevice, code: str) -> bool:
    if device.verify_token(code.replace(" ", "")):
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        return True
    return False


def verify(user: AnyUser, code: str) -> TOTPDevice | None:
    device = confirmed_device(user)
    if device is not None and device.verify_token(code.replace(" ", "")):
        return device
    return None


def disable(user: AnyUser, code: str) -> bool:
    if verify(user, code) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


def restore_fingerprints() -> dict[str, str]:
    """For the restore check (imvo/core/backup.py): a sample of TOTP secrets, hashed,
    as they decrypt now; a restore without the accounts key cannot reproduce them."""
    import hashlib

    from imvo.core.backup import sample_rows

    return {
        f"device {d.pk}": hashlib.sha256(d.bin_key).hexdigest()
        for d in sample_rows(TOTPDevice.objects.all())
    }
