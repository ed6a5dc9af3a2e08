"""Every string a worker abroad reads on the complaint path exists in French,
Spanish, Arabic and Bengali: the form and its errors, the confirmation page with
the receipt code, the follow page with its status, steps and notices, and the
refusals of files and of too many attempts.

Scoped to that path's own templates and modules (PATH_TEMPLATES, PATH_MODULES),
so a new string on a committee page does not fail it; a new string on the path
does, in every one of these languages, even on a branch no page test renders.
The strings are extracted as `makemessages` extracts them and looked up in the
language's compiled catalogue (a fuzzy entry is not compiled: untranslated).
The English source is what a missing string falls back to
(`imvo.core.language_fallback`); Dutch has its own, wider check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import trans_real

APP = Path(__file__).resolve().parents[1]
LANGUAGES = ["fr", "es", "ar", "bn"]

# The pages of the path: filing, confirmation, following, refusal.
PATH_TEMPLATES = [
    "../templates/base.html",  # the frame of every page: skip link, menu, language switch
    "templates/complaints/new.html",
    "templates/complaints/_form_fields.html",
    "templates/complaints/_error_summary.html",
    "templates/complaints/done.html",
    "templates/complaints/follow.html",
    "templates/complaints/refused.html",
]
# What those pages say from code: the form and its errors, the filing checks, the
# follow page's lookups and reply checks, the reasons a file is refused, the limits.
PATH_MODULES = [
    "forms.py",
    "services/filing.py",
    "services/following.py",
    "services/aftercare.py",
    "evidence.py",
    "limits.py",
]


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgctxt, msgid, plural) of every entry of a catalogue `makemessages` wrote."""
    out = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            if line.startswith("#") or not line:
                continue
            if line.startswith('"'):
                fields[current] += line[1:-1]
                continue
            current, _sp, value = line.partition(" ")
            fields[current] = value[1:-1]
        msgid = fields.get("msgid", "")
        if msgid:
            text = msgid.encode("latin-1", "backslashreplace").decode("unicode_escape")
            ctx = fields.get("msgctxt", "").encode("latin-1", "backslashreplace")
            out.append((ctx.decode("unicode_escape"), text, "msgid_plural" in fields))
    return out


@pytest.fixture(scope="module")
def path_strings(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, bool]]:
    copy = tmp_path_factory.mktemp("path") / "complaints"
    for rel in PATH_TEMPLATES + PATH_MODULES:
        target = copy / rel.replace("../", "")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(APP / rel, target)
    (copy / "locale").mkdir()
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return _entries(copy / "locale/en/LC_MESSAGES/django.po")


def _gaps(strings: list[tuple[str, str, bool]], language: str) -> list[str]:
    catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    gaps = []
    for ctx, msgid, plural in strings:
        key = f"{ctx}\x04{msgid}" if ctx else msgid
        if (key, 0) not in catalog if plural else key not in catalog:
            gaps.append(msgid)
    return sorted(gaps)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_the_extraction_finds_the_paths_strings(path_strings):
    ids = {msgid for _ctx, msgid, _plural in path_strings}
    assert "Your receipt code:" in ids  # done.html
    assert "Show my complaint" in ids  # follow.html
    assert "Skip to content" in ids  # base.html
    # a lazy form label and a check's error message from code
    assert "Please tell us in a few words what happened (at least 10 characters)." in ids
    assert len(ids) > 100


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_complaint_path_is_translated(path_strings, language):
    gaps = _gaps(path_strings, language)
    assert not gaps, f"{len(gaps)} string(s) of the complaint path lack {language}: {gaps}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_case_words_on_the_follow_page_are_translated(language):
    """Status, next step, grounds and who wrote a message come from the models' choices,
    which hold the committee's words too: only those the follow page shows are checked."""
    from imvo.complaints.models import ClosureGround, InadmissibleGround, Message, State
    from imvo.complaints.services.following import NEXT_STEP
    from imvo.complaints.services.respondents import COMPLAINANT_REASON, COMPLAINANT_STEP
    from imvo.core.translation_check import recording, untranslated

    with recording() as seen, translation.override(language):
        for choices in (State, ClosureGround, InadmissibleGround, Message.Sender):
            [str(label) for label in choices.labels]
        [str(text) for text in NEXT_STEP.values()]
        str(COMPLAINANT_STEP), str(COMPLAINANT_REASON)  # the day the company was identified
    assert not untranslated(seen, language)


def test_a_missing_translation_fails_the_check():
    """The check itself: a string no catalogue has is reported, one every catalogue has is not."""
    strings = [("", "A sentence no translator has seen", False), ("", "Show my complaint", False)]
    assert _gaps(strings, "fr") == ["A sentence no translator has seen"]
