import io

from PIL import Image

from imvo.complaints.services import filing, workflow

SECRET_TEXT = "Supervisor Rahim locked the exit doors at Factory Seven"


def file(world, text="Our wages were not paid for three months.", **kw):
    kw.setdefault("covenant", world.covenant_x)
    return filing.check_file_complaint(description=text, **kw)


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0131] = "GPS-Tracker-App"  # Software
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def walk_to_decision(user, c):
    for state in ("acknowledged", "admissibility", "admissible", "investigation"):
        c = workflow.check_move(user, c, state, reason="step")
    return workflow.check_move(
        user, c, "decision", reason="reasons", decision_text="Pay the wages owed."
    )
