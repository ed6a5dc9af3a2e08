import io

from PIL import Image

from imvo.complaints.services import committee, filing, workflow

SECRET_TEXT = "Supervisor Rahim locked the exit doors at Factory Seven"


def file(world, text="Our wages were not paid for three months.", client=None, **kw):
    """File a complaint (in covenant X unless `covenant` is given); `kw` holds the
    other fields of a `filing.NewComplaint`."""
    kw.setdefault("covenant", world.covenant_x)
    return filing.check_file_complaint(filing.NewComplaint(description=text, **kw), client=client)


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0131] = "GPS-Tracker-App"  # Software
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


REASON = "The committee explains this step to you."


def move(user, c, state, reason=REASON, now=None, **record):
    """One step with reasons for the complainant (every step needs them); `record`
    holds the fields of a `workflow.StepRecord` (ground, decision_text, ...)."""
    return workflow.check_move(user, c, state, reason, workflow.StepRecord(**record), now=now)


def secretary_of(c):
    from imvo.accounts.models import CovenantRole

    return CovenantRole.objects.filter(covenant=c.covenant, role="secretariat")[0].user


def assign_officer(c):
    officer = secretary_of(c)
    workflow.check_assign_officer(officer, c, officer)
    c.refresh_from_db()
    return c


def admit(user, c):
    """Acknowledge, name a case officer, review and admit: the way to an admissible case."""
    c = move(user, c, "acknowledged")
    c = assign_officer(c)
    c = move(user, c, "admissibility")
    return move(user, c, "admissible")


def walk_to_decision(user, c, remedy=False):
    c = admit(user, c)
    c = move(user, c, "investigation")
    return move(user, c, "decision", decision_text="Pay the wages owed.", remedy_agreed=remedy)


def blocked_case(world, **filing_kw):
    """Quorum 2, two members, one recused ("Former employer") in admissibility review:
    the case is blocked."""
    c = file(world, **filing_kw).complaint
    proc = c.procedure()
    proc.quorum = 2
    proc.save()
    c = move(world.secretariat_x, c, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    committee.check_recuse(world.secretariat_x, c, world.recused_committee_x, "Former employer")
    return c


def case_action(client, c, action, **fields):
    """POST one action of the case page (as the client's user), like its forms do."""
    return client.post(f"/complaints/cases/{c.reference}/", {"action": action, **fields})
