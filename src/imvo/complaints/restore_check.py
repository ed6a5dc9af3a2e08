"""What a restore must prove for complaints: a sample of cases decrypts to the
same text and evidence as before the backup (imvo/core/backup.py)."""

from __future__ import annotations

import hashlib

from imvo.complaints import crypto
from imvo.complaints.models import Complaint


def fingerprints() -> dict[str, str]:
    """{reference: sha256 of the decrypted confidential data and evidence} for a sample."""
    from imvo.complaints.evidence import evidence_dir
    from imvo.core.backup import sample_rows

    crypto.forget_keys()  # a restore may just have put the key file in place
    out = {}
    for c in sample_rows(Complaint.objects.all()).prefetch_related("evidence"):
        h = hashlib.sha256(crypto.decrypt(c.secret).encode())
        for ev in c.evidence.all():
            h.update(crypto.decrypt_bytes((evidence_dir() / ev.stored_name).read_bytes()))
        out[c.reference] = h.hexdigest()
    return out
