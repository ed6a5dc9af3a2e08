"""The respondent company's answer: a message to the committee with files attached.

Who may answer: whoever sees the case as a company (`role_in_case` ->
"company"): the member complained about or named by the committee
(services/respondents.py) once admissibility is decided, and a member a
location complaint was forwarded to.

Files: the limits of complaint evidence (at most 5 files of 5 MB, photos and
PDFs), checked by the platform's upload policy (`evidence.ANSWER_FILES`: the
type by the file's content, metadata of photos and PDFs taken out), stored
encrypted in the evidence folder, never in public storage. Removed with the
case file after the retention period and re-encrypted on key rotation like the
complainant's evidence (they are `Evidence` rows with `company` set).

Who sees an answer file (the rule the procedure gives, as for the company's
messages, which go to the committee only):

- the committee (minus recused members) and the secretariat: every answer
  file of the case;
- the company that sent it: its own files; another respondent or forwarded
  member of the same case: none of them (each sees only its own part);
- the complainant, a filing union or NGO, a translator, the public: none.
  The committee tells the complainant in its own words what the company
  answered, as with the company's messages.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser, organisation_id
from imvo.complaints.audit import audit
from imvo.complaints.evidence import (
    ANSWER_FILES,
    check_file_count,
    read_evidence,
    store_answer_file,
)
from imvo.complaints.models import Complaint, Evidence, Message
from imvo.complaints.services.access import CaseNotFoundError, answer_files_for, role_in_case
from imvo.complaints.services.workflow import do_post_message
from imvo.core.errors import DomainError
from imvo.core.uploads import CheckedUpload

MAX_ANSWER_CHARS = 10000


def check_company_answer(
    user: AnyUser, c: Complaint, body: str, files: list[tuple[str, bytes]] | None = None
) -> list[Evidence]:
    """The company answers the committee: a message, files, or both. Every file is
    checked before anything is stored: one refused file refuses the answer, with
    the reason, so the company sends it again as a whole."""
    if role_in_case(user, c) != "company":
        raise CaseNotFoundError(_("No such case."))
    body = (body or "").strip()
    files = check_file_count(files or [])
    if not body and not files:
        raise DomainError(_("Write an answer or attach a file."))
    if len(body) > MAX_ANSWER_CHARS:
        raise DomainError(_("The answer is too long (at most 10,000 characters)."))
    if c.personal_data_removed_at:
        raise DomainError(_("This case is closed and its file removed."))
    checked = ANSWER_FILES.check_all(files)
    return do_company_answer(user, c, body, checked)


def do_company_answer(
    user: AnyUser, c: Complaint, body: str, checked: list[CheckedUpload]
) -> list[Evidence]:
    org = organisation_id(user)
    assert org is not None
    with transaction.atomic():
        message: Message | None = do_post_message(user, c, "company", body) if body else None
        stored = [store_answer_file(c, f, org, message) for f in checked]
        if stored:
            audit(user, "answer-files", c, files=len(stored), organisation=org)
    return stored


def answer_file_for(user: AnyUser, c: Complaint, role: str, number: int) -> tuple[Evidence, bytes]:
    """The `number`-th (from 1) answer file `role` sees on an opened case; audited.

    Addressed by that number, never by the file's id: ids count every evidence
    file of the platform, so a company reading the ids of its own answer files
    learnt how many files all members and complainants sent in between
    (docs/security.md O4, T52). The committee numbers every answer file of the
    case, a company only its own: its numbers say nothing of another respondent's."""
    ev = answer_files_for(user, c, role)[number - 1 : number].first() if number >= 1 else None
    if ev is None:
        raise CaseNotFoundError(_("No such file."))
    data = read_evidence(ev)
    audit(user, "answer-file-read", c, file=ev.pk)
    return ev, data
