"""The complainant's side: a receipt code finds the case, and only its hash is kept."""

import pytest

from imvo.complaints import receipts
from imvo.complaints.models import Complaint
from imvo.complaints.services import access, following
from imvo.complaints.tests.helpers import file


def test_receipt_code_is_long_grouped_and_only_its_hash_is_stored(world):
    filed = file(world)
    code = filed.receipt
    assert len(code.replace("-", "")) == 20 and code.count("-") == 4
    c = Complaint.objects.get(pk=filed.complaint.pk)
    assert code not in c.receipt_hash and c.receipt_hash == receipts.hash_receipt(code)
    # Read aloud: lower case, spaces and O/0 confusion still find it.
    spoken = code.lower().replace("-", " ").replace("0", "o")
    assert following.complaint_by_receipt(spoken).pk == c.pk
    with pytest.raises(access.CaseNotFoundError):
        following.complaint_by_receipt("AAAA-BBBB-CCCC-DDDD-EEEE")


def test_a_code_of_the_wrong_shape_says_what_is_wrong(world):
    """A slip of the pen (a group left out, a U for a V, nothing typed) says what is
    wrong with the code, not only that no case has it."""
    code = file(world).receipt
    for typed, says in (
        (code[:-5], "Letters and digits you typed: 16."),
        (code[:-1] + "U", "without U"),
        ("  ", "Type the receipt code"),
        (code[:-1] + ("0" if code[-1] != "0" else "1"), "No complaint has this receipt code"),
    ):
        with pytest.raises(access.CaseNotFoundError, match=says):
            following.complaint_by_receipt(typed)
