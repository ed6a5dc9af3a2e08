"""The Dutch catalogue of the complaints app holds the app's own strings only: no
entry whose source is gone (an obsolete `#~` entry, or a msgid no longer in the
app's code and templates), which a translator would keep updating for nothing
and which hides where a string really lives. (Other languages of the complaint
pages carry core's rate-limit message on purpose: core has a catalogue only
for Dutch, `imvo/locale/nl`.)"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from imvo.core import ratelimit

APP = Path(__file__).resolve().parents[1]
CATALOGUE = Path("locale/nl/LC_MESSAGES/django.po")


def _msgids(po: Path) -> set[str]:
    """The msgids of the entries in `po` that are in use (not `#~`)."""
    ids = set()
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#")]
        text, inside = "", False
        for line in lines:
            if line.startswith("msgid "):
                text, inside = line[7:-1], True
            elif line.startswith("msg"):
                inside = False
            elif inside and line.startswith('"'):
                text += line[1:-1]
        if text:
            ids.add(text)
    return ids


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_the_dutch_catalogue_holds_only_strings_of_the_app(tmp_path):
    po = APP / CATALOGUE
    assert "\n#~ " not in po.read_text(encoding="utf-8"), "obsolete entries left in"
    # Extract the app's strings afresh from a copy (makemessages writes the catalogue).
    copy = tmp_path / "complaints"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "nl", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    unused = _msgids(po) - _msgids(copy / CATALOGUE)
    assert not unused, f"in {CATALOGUE} but in no source of the app: {sorted(unused)}"


@pytest.mark.django_db
def test_the_rate_limit_message_is_still_dutch_from_cores_catalogue():
    with translation.override("nl"), pytest.raises(ratelimit.RateLimitedError) as refused:
        ratelimit.hit("receipt", "someone", 0, 900, count=False)  # a limit of 0: refused
    assert re.match(r"Te veel pogingen vanaf uw verbinding", str(refused.value))
