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
