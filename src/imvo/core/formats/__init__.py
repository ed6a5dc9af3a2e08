"""Date formats where Django's own do not fit an international platform.

Django's English formats are American (``SHORT_DATE_FORMAT`` "01/15/2026"): read
in Bangladesh, Turkey or the Netherlands that is the first of a fifteenth month,
or worse, a wrong day. English pages here write the day first and the month as a
word, which nobody reads two ways ("15 Jan 2026"); forms take ISO dates
(``2026-01-15``, what a date field sends) or day-first ones, never month-first.
Other languages keep Django's formats (their own conventions). Selected by
``FORMAT_MODULE_PATH`` in settings.
"""
