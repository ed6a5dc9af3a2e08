"""Publication: anonymised text, checked by a second person."""

import pytest

from imvo.complaints.services import publication
from imvo.complaints.tests.helpers import file, walk_to_decision
from imvo.core.errors import DomainError, PermissionDeniedError


def test_publication_needs_anonymised_text_and_a_second_person(world):
    c = walk_to_decision(
        world.committee_x, file(world, name="Amina Begum", anonymous=False).complaint
    )
    with pytest.raises(DomainError, match="still contains"):
        publication.check_draft_publication(
            world.secretariat_x, c, "Case", "Amina Begum complained about wages."
        )
    pub = publication.check_draft_publication(
        world.secretariat_x, c, "Case", "A worker complained about wages."
    )
    with pytest.raises(PermissionDeniedError, match="other than the drafter"):
        publication.check_publish(world.secretariat_x, pub)
    assert not publication.published_outcomes().exists()
    publication.check_publish(world.committee_x, pub)
    assert publication.published_outcomes().get().checked_by == world.committee_x
