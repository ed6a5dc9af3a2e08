"""A row's errors and warnings in the reader's language.

The row checks (`parsing.validate_rows`, `geo.check`) write their messages in
English, and so they are stored with the row, in the processed export and in the
API, which machines read. The member's pages and the error report (the file a
person fixes) show them in the reader's language:
each message the checks write has its pattern here, with its words to translate.
A message without a pattern is shown as stored (`tests/test_row_messages.py`
makes every message of a crafted list find its pattern).
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_N = r"(?P<%s>-?[\d.,e+-]+)"
_LEFT_OUT = "; coordinates left out"

PATTERNS: list[tuple[re.Pattern[str], Promise]] = [
    (re.compile(r"(?P<n>[\d,]+) characters, at most (?P<limit>[\d,]+)"),
     _("%(n)s characters, at most %(limit)s")),
    (re.compile(r"contains a formula \((?P<value>.*)\); enter the value itself", re.S),
     _("contains a formula (%(value)s); enter the value itself")),
    (re.compile(r"contains characters that could not be read; save the file as UTF-8"),
     _("contains characters that could not be read; save the file as UTF-8")),
    (re.compile(r"the name is missing"), _("the name is missing")),
    (re.compile(r"the address is missing"), _("the address is missing")),
    (re.compile(r"the country is missing"), _("the country is missing")),
    (re.compile(r"unknown country '(?P<value>.*)'; use the country's name or its ISO code \(e\.g\. BD, VN\)", re.S),
     _("unknown country '%(value)s'; use the country's name or its ISO code (e.g. BD, VN)")),
    (re.compile(r"'(?P<value>.*)' is not a number of workers; the number of workers is left out", re.S),
     _("'%(value)s' is not a number of workers; the number of workers is left out")),
    (re.compile(r"'(?P<value>.*)' is not 'latitude, longitude'" + _LEFT_OUT, re.S),
     _("'%(value)s' is not 'latitude, longitude'; coordinates left out")),
    (re.compile(r"only one of latitude and longitude is given" + _LEFT_OUT),
     _("only one of latitude and longitude is given; coordinates left out")),
    (re.compile(r"'(?P<value>.*)' is not a latitude in decimal degrees" + _LEFT_OUT, re.S),
     _("'%(value)s' is not a latitude in decimal degrees; coordinates left out")),
    (re.compile(r"'(?P<value>.*)' is not a longitude in decimal degrees" + _LEFT_OUT, re.S),
     _("'%(value)s' is not a longitude in decimal degrees; coordinates left out")),
    (re.compile(r"coordinates 0, 0 mean 'unknown'" + _LEFT_OUT),
     _("coordinates 0, 0 mean 'unknown'; coordinates left out")),
    (re.compile(_N % "lat" + ", " + _N % "lng" + r" is out of range \(latitude -90\.\.90, longitude -180\.\.180\)" + _LEFT_OUT),
     _("%(lat)s, %(lng)s is out of range (latitude -90..90, longitude -180..180); coordinates left out")),
    (re.compile(r"latitude and longitude seem swapped \(" + _N % "lat" + ", " + _N % "lng" + r"\); used .*"),
     _("latitude and longitude seem swapped (%(lat)s, %(lng)s); used %(lng)s, %(lat)s")),
    (re.compile(_N % "lat" + ", " + _N % "lng" + r" lies outside (?P<country>[A-Z]{2})" + _LEFT_OUT),
     _("%(lat)s, %(lng)s lies outside %(country)s; coordinates left out")),
    (re.compile(r"'(?P<value>\d*)' has (?P<n>\d+) digits, a postcode in (?P<country>[A-Z]{2}) has (?P<digits>\d+): read as '(?P<restored>[\d-]*)' \(a spreadsheet that keeps postcodes as numbers drops their leading zeros; format the column as text\)"),
     _("'%(value)s' has %(n)s digits, a postcode in %(country)s has %(digits)s: read as '%(restored)s' (a spreadsheet that keeps postcodes as numbers drops their leading zeros; format the column as text)")),
    (re.compile(r"'(?P<value>\d*)' has (?P<n>\d+) digits, a postcode in (?P<country>[A-Z]{2}) has (?P<digits>\d+); kept as written, check it"),
     _("'%(value)s' has %(n)s digits, a postcode in %(country)s has %(digits)s; kept as written, check it")),
    (re.compile(r"contains a formula \((?P<value>.*)\)" + _LEFT_OUT, re.S),
     _("contains a formula (%(value)s); coordinates left out")),
    (re.compile(r"this column is hidden in the workbook; it is read and disclosed like the others: delete it from the file if it is not part of the list"),
     _("this column is hidden in the workbook; it is read and disclosed like the others: delete it from the file if it is not part of the list")),
    (re.compile(r"'(?P<value>\d*)' is stored as a number in the workbook, and this file type does not say how it was shown: if it was written with leading zeros \(such as 0(?P=value)\), they are lost; format the column as text and upload again\. Read as written"),
     _("'%(value)s' is stored as a number in the workbook, and this file type does not say how it was shown: if it was written with leading zeros (such as 0%(value)s), they are lost; format the column as text and upload again. Read as written")),
    (re.compile(r"this row is hidden in the workbook; it is read and disclosed like the others: delete it from the file if it is not part of the list"),
     _("this row is hidden in the workbook; it is read and disclosed like the others: delete it from the file if it is not part of the list")),
]  # fmt: skip


def in_language(message: str) -> str:
    """`message` as a row check wrote it, in the active language."""
    for pattern, text in PATTERNS:
        found = pattern.fullmatch(message)
        if found:
            return str(text) % found.groupdict() if found.groupdict() else str(text)
    return message
