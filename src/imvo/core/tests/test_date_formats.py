"""English dates are day-first and never month-first (imvo/core/formats/__init__.py)."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

DAY = datetime.date(2026, 1, 15)


class _DayForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("DATE_FORMAT", "15 January 2026"),
        ("SHORT_DATE_FORMAT", "15 Jan 2026"),
    ],
)
def test_english_dates_are_written_day_first(fmt: str, expected: str) -> None:
    with translation.override("en"):
        assert date_format(DAY, fmt) == expected


def test_the_term_of_a_seat_reads_the_same_in_english_as_in_dutch_order() -> None:
    # What the governance page writes for a seat's term (covenants/_body.html).
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ t|date:"SHORT_DATETIME_FORMAT" }}')
    moment = datetime.datetime(2026, 3, 4, 9, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        english = template.render(Context({"d": DAY, "t": moment}))
    with translation.override("nl"):
        dutch = template.render(Context({"d": DAY, "t": moment}))
    assert english == "15 Jan 2026 4 Mar 2026 10:30"  # shown in Amsterdam time
    assert "01/15" not in english
    assert dutch.startswith("15-1-2026")  # Django's Dutch formats are kept


@pytest.mark.parametrize("typed", ["2026-01-15", "15-01-2026", "15/01/2026", "15 Jan 2026"])
def test_an_english_form_reads_a_day_first_or_iso_date(typed: str) -> None:
    with translation.override("en"):
        form = _DayForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == DAY


def test_an_english_form_does_not_read_a_month_first_date() -> None:
    # 03/04/2026 would silently be the 4th of March for an American reader and
    # the 3rd of April for everyone else; only the day-first reading is taken.
    with translation.override("en"):
        ambiguous = _DayForm({"day": "03/04/2026"})
        assert ambiguous.is_valid()
        assert ambiguous.cleaned_data["day"] == datetime.date(2026, 4, 3)
        assert not _DayForm({"day": "01/15/2026"}).is_valid()


def test_dutch_short_months_are_lower_case_and_english_ones_capitalised() -> None:
    # The templates write |date:"j M Y"; Django's M capitalises ("7 Mrt 2026").
    template = Template(
        '{{ d|date:"j M Y" }} | {{ t|date:"j M Y H:i" }} | {{ d|date:"M Y" }} | {{ d|date:"\\M j" }}'
    )
    day = datetime.date(2026, 3, 7)
    moment = datetime.datetime(2026, 5, 21, 8, 0, tzinfo=datetime.UTC)
    with translation.override("nl"):
        dutch = template.render(Context({"d": day, "t": moment}))
    with translation.override("en"):
        english = template.render(Context({"d": day, "t": moment}))
    assert dutch == "7 mrt 2026 | 21 mei 2026 10:00 | mrt 2026 | M 7"
    assert english == "7 Mar 2026 | 21 May 2026 10:00 | Mar 2026 | M 7"


def test_named_formats_and_empty_dates_still_render_through_the_filter() -> None:
    template = Template('{{ d|date:"DATE_FORMAT" }}|{{ d|date }}|{{ none|date:"j M Y" }}')
    with translation.override("nl"):
        assert (
            template.render(Context({"d": DAY, "none": None})) == "15 januari 2026|15 januari 2026|"
        )
    with translation.override("en"):
        assert (
            template.render(Context({"d": DAY, "none": None})) == "15 January 2026|15 January 2026|"
        )
