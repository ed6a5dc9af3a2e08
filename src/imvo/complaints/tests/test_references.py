"""Case references (docs/security.md, T39): a reference is a name for a case,
never a key to it, and it tells nothing of when the case was filed or how many
complaints came before it."""

import re

from imvo.complaints.tests.helpers import file, jpeg_with_exif

REFERENCE = re.compile(r"^\d{4}-[0-9A-HJKMNP-TV-Z]{6}$")


def test_references_tell_neither_order_nor_count(world):
    """Sequential references (year-pk) let anyone who files a complaint now and
    then read, from the references in the public register, when each case was
    filed between two of theirs (the register gives the month only), and how
    many complaints the platform had."""
    filed = [file(world).complaint for _ in range(12)]
    refs = [c.reference for c in filed]
    assert all(REFERENCE.match(r) for r in refs), refs
    assert len(set(refs)) == len(refs)
    assert all(f"{c.pk:05d}" not in c.reference for c in filed)
    assert refs != sorted(refs)  # 12 random codes in filing order: 1 in 479,001,600


def test_a_reference_alone_opens_nothing(client, world):
    filed = file(world, name="Ayesha Rahman", files=[("gate.jpg", jpeg_with_exif())])
    c = filed.complaint
    r = client.post("/complaints/follow/", {"receipt": c.reference, "action": "show"})
    assert r.status_code == 404 and "Ayesha" not in r.content.decode()
    r = client.get("/api/complaints/mine", headers={"X-Receipt": c.reference})
    assert r.status_code == 404
    photo = c.evidence.get()
    r = client.post("/complaints/follow/file/", {"receipt": c.reference, "file": photo.pk})
    assert r.status_code == 404 and not r.content.startswith(b"\xff\xd8")
    # The right code does open it (the test is not vacuous).
    r = client.get("/api/complaints/mine", headers={"X-Receipt": filed.receipt})
    assert r.status_code == 200 and r.json()["reference"] == c.reference
