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


def test_a_code_of_the_wrong_shape_is_told_apart_and_not_counted(world):
    """A slip of the pen (a group left out, a U for a V, nothing typed) says what is
    wrong with the code; such codes belong to no case, so they are no guesses."""
    from imvo.complaints import limits

    code = file(world).receipt
    cases = (
        (code[:-5], "Letters and digits you typed: 16."),
        (code[:-1] + "U", "without U"),
        ("  ", "Type the receipt code"),
    )
    for typed, says in cases * limits.RECEIPT_FAILURE_LIMIT:
        with pytest.raises(access.CaseNotFoundError, match=says):
            following.complaint_by_receipt(typed, client="slip")
    # None of them counted: a well-formed wrong code is still answered, not refused.
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(access.CaseNotFoundError, match="No complaint has this receipt code"):
        following.complaint_by_receipt(wrong, client="slip")
