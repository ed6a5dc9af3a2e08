"""Move every django-otp TOTP device into SealedTOTPDevice, its secret encrypted,
and delete the plain-text original (the secret must not stay in the database)."""

from binascii import hexlify, unhexlify

from django.db import migrations


def seal_existing(apps, schema_editor):
    from imvo.core import sealing

    Plain = apps.get_model("otp_totp", "TOTPDevice")
    Sealed = apps.get_model("accounts", "SealedTOTPDevice")
    for d in Plain.objects.all():
        Sealed.objects.create(
            user_id=d.user_id,
            name=d.name,
            confirmed=d.confirmed,
            key_sealed=sealing.seal("accounts", unhexlify(d.key.encode())),
            step=d.step,
            t0=d.t0,
            digits=d.digits,
            tolerance=d.tolerance,
            drift=d.drift,
            last_t=d.last_t,
            throttling_failure_timestamp=d.throttling_failure_timestamp,
            throttling_failure_count=d.throttling_failure_count,
            created_at=d.created_at,
            last_used_at=d.last_used_at,
        )
        d.delete()


def unseal_back(apps, schema_editor):
    from imvo.core import sealing

    Plain = apps.get_model("otp_totp", "TOTPDevice")
    Sealed = apps.get_model("accounts", "SealedTOTPDevice")
    for d in Sealed.objects.all():
        Plain.objects.create(
            user_id=d.user_id,
            name=d.name,
            confirmed=d.confirmed,
            key=hexlify(sealing.unseal("accounts", d.key_sealed)).decode(),
            step=d.step,
            t0=d.t0,
            digits=d.digits,
            tolerance=d.tolerance,
            drift=d.drift,
            last_t=d.last_t,
        )
        d.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_sealed_totp"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(seal_existing, unseal_back)]
