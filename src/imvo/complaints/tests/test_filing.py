"""Taking in a complaint: what is stored, and that nothing is stored in the clear."""

from django.db import connection

from imvo.complaints.models import Complaint
from imvo.complaints.tests.helpers import SECRET_TEXT, file


def test_raw_database_holds_no_plaintext(world):
    file(world, text=SECRET_TEXT, name="Amina Begum", contact="+880 1711 000000", anonymous=False)
    with connection.cursor() as cur:
        for table in (
            "complaints_complaint",
            "complaints_message",
            "complaints_transition",
            "complaints_auditentry",
        ):
            cur.execute(f"SELECT * FROM {table}")  # noqa: S608
            dump = repr(cur.fetchall())
            for needle in ("Rahim", "Factory Seven", "Amina", "1711"):
                assert needle not in dump, (table, needle)
    c = Complaint.objects.get()
    assert c.description == SECRET_TEXT
    assert c.confidential()["name"] == "Amina Begum"
