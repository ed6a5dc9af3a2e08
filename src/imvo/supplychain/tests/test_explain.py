"""The presenter of a match's explanation: levels in words, weights, distance,
marked differences, hostile names, and explanations that are empty or old."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from imvo.supplychain import explain
from imvo.supplychain.models import Facility, Match, SupplierListRow


def _match(
    row_name: str = "Dhaka Knit Composite Ltd",
    row_address: str = "Plot 12, Road 3, Gazipur",
    fac_name: str = "Dhaka Knit Composite Limited",
    fac_address: str = "Plot 12 Road 3 Gazipur",
    explanation: Any = None,
    status: str = Match.Status.AUTOMATIC,
    row_latlng: tuple[float, float] | None = None,
    fac_latlng: tuple[float, float] | None = None,
) -> Match:
    row = SupplierListRow(number=4, name=row_name, address=row_address, country="BD")
    facility = Facility(pk=7, name=fac_name, address=fac_address, country="BD")
    if row_latlng:
        row.lat, row.lng = row_latlng
    if fac_latlng:
        facility.lat, facility.lng = fac_latlng
    return Match(
        row=row,
        facility=facility,
        status=status,
        candidates=[[7, 0.97]],
        explanation=[] if explanation is None else explanation,
    )


EXPLANATION = [
    {"field": "name", "level": "exact", "weight": 6.25, "detail": ""},
    {"field": "address", "level": "missing", "weight": 0, "detail": ""},
    {"field": "distance", "level": "<= 1 km", "weight": 2.1, "detail": ""},
    {"field": "name_number", "level": "differ", "weight": -3.4, "detail": "12 / 14"},
]


def test_levels_in_words_with_signed_weights_and_bars() -> None:
    e = explain.explain(_match(explanation=EXPLANATION))
    words = {x.field: x.words for x in e.evidence}
    assert words["name"] == "same name"
    assert words["address"] == "no address on one side"
    assert words["distance"] == "within 1 km"  # no coordinates here: the level's words
    assert words["name_number"] == "the numbers in the names differ"
    signed = {x.field: x.signed for x in e.evidence}
    assert signed == {
        "name": "+6.2",
        "address": "±0.0",
        "distance": "+2.1",
        "name_number": "\u22123.4",
    }
    bars = {x.field: (x.direction, x.bar) for x in e.evidence}
    assert bars["name"] == ("for", 62)
    assert bars["address"] == ("none", 0)
    assert bars["name_number"] == ("against", 34)
    assert e.total == pytest.approx(4.95)
    assert e.explained


def test_distance_in_metres_and_kilometres_from_both_records() -> None:
    m = _match(
        explanation=EXPLANATION, row_latlng=(23.8103, 90.4125), fac_latlng=(23.8103, 90.4243)
    )
    e = explain.explain(m)
    assert e.distance_m == pytest.approx(1201, abs=5)
    assert e.distance_words == "1.2 km apart"
    assert {x.field: x.words for x in e.evidence}["distance"] == "1.2 km apart"
    near = explain.explain(_match(row_latlng=(23.8103, 90.4125), fac_latlng=(23.8106, 90.4125)))
    assert near.distance_words == "33 m apart"
    assert explain.explain(_match()).distance_words == "no coordinates on one side"


def test_dutch_words_and_number_format() -> None:
    m = _match(
        explanation=EXPLANATION, row_latlng=(23.8103, 90.4125), fac_latlng=(23.8103, 90.4243)
    )
    with translation.override("nl"):
        e = explain.explain(m)
        assert e.distance_words == "1,2 km uit elkaar"
        assert {x.field: x.words for x in e.evidence}["name"] == "dezelfde naam"
        assert e.evidence[0].signed == "+6,2"
        stored = [
            {"field": "prior", "level": "a candidate pair", "weight": -9},
            {"field": "name", "level": "exact", "weight": 3, "count": 32},
            {"field": "runner_up", "level": "12", "weight": -0.25, "detail": "x"},
        ]
        common = explain.explain(_match(explanation=stored), full=False)
        assert [(x.label, x.words, x.detail) for x in common.evidence] == [
            ("Beginkans", "elk paar gegevens dat tot vergelijking kwam", ""),
            (
                "Naam",
                "dezelfde naam",
                "32 productielocaties in het land hebben dezelfde naam of het zeldzaamste woord ervan",
            ),
        ]
        assert common.runner_up == "productielocatie #12 (\u22120,2 bits)"
        # The matcher's "together" terms, stored with an English detail, in Dutch too.
        together = [{"field": "together", "level": "name and place", "weight": 1.7,
                     "detail": "the name agrees and the places are within 200 m"}]  # fmt: skip
        (t,) = explain.explain(_match(explanation=together)).evidence
        assert (t.label, t.words, t.detail) == (
            "Samen",
            "de naam komt overeen en de plaatsen liggen binnen 200 m van elkaar",
            "",
        )


def test_differences_marked_on_both_sides_and_inline() -> None:
    left, right, inline, n = explain.differences(
        "Unit A Lotus Apparel Co., Ltd", "Unit B Lotus Apparel Co Ltd"
    )
    assert n == 1  # "Co.," and "Co" are the same word to a person
    assert left == "Unit <mark>A</mark> Lotus Apparel Co., Ltd"
    assert right == "Unit <mark>B</mark> Lotus Apparel Co Ltd"
    assert inline == "Unit <del>A</del> <ins>B</ins> Lotus Apparel Co Ltd"
    _l, _r, numbers, _n = explain.differences("No. 5 Lotus Road", "No. 7 Lotus Road")
    assert "<del class=number>5</del> <ins class=number>7</ins>" in numbers
    # In addresses the usual abbreviations are no difference.
    m = _match(row_address="No. 18 Xingye Rd, Humen", fac_address="NO 18 XINGYE ROAD HUMEN TOWN")
    assert explain.explain(m).address_changes == "NO 18 XINGYE ROAD HUMEN <ins>TOWN</ins>"


def test_name_summary_counts_differing_words() -> None:
    assert explain.explain(_match("Anatolia Tekstil", "", "anatolia tekstil", "")).name_summary == (
        "same name"
    )
    one = explain.explain(_match("Pepper Lunch Express", "", "Pepper Lunch", ""))
    assert one.name_summary == "names differ in 1 word"
    assert explain.explain(_match("", "", "Pepper Lunch", "")).name_summary == "no name on one side"


HOSTILE = '<script>alert("x")</script> =HYPERLINK("http://evil","x") & Co'


def test_hostile_names_are_escaped_everywhere() -> None:
    m = _match(
        row_name=HOSTILE,
        row_address="<img src=x onerror=alert(1)>",
        fac_name="Safe Name & Co",
        explanation=[
            {"field": "<b>name</b>", "level": "<script>1</script>", "weight": 1, "detail": "<i>"}
        ],
    )
    e = explain.explain(m)
    for html in (e.name_row, e.name_facility, e.name_changes, e.address_row, e.address_changes):
        assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in e.name_row and "&amp;" in e.name_row
    # Labels and words are plain text: the templates escape them.
    rendered = Template(
        "{% for x in e.evidence %}{{ x.label }}{{ x.words }}{{ x.detail }}{% endfor %}"
    ).render(Context({"e": e}))
    assert "<b>" not in rendered and "<script>" not in rendered and "<i>" not in rendered


def test_text_for_download_keeps_the_formula_for_the_exporter_to_neutralise() -> None:
    from imvo.core.exports import neutralise

    m = _match(explanation=[{"field": "name", "level": "=1+1", "weight": -2, "detail": "@SUM(A1)"}])
    text = explain.plain_text(m)
    assert text == "#7: Name: =1+1, @SUM(A1) (\u22122.0 bits)"
    assert neutralise("=" + text).startswith("'=")
    assert explain.plain_text(None) == ""


@pytest.mark.parametrize(
    "stored",
    [
        None,
        [],
        {},
        "automatic",
        [["name", 92]],  # an older shape: lists, not entries
        [{"level": "exact"}],  # no field
        [{"field": "name"}],  # no level, no weight
        [{"field": "name", "level": "exact", "weight": "heavy"}],
        [{"field": "name", "level": "exact", "weight": float("nan")}],
        [{"field": "name", "level": ["a", 1], "weight": True, "detail": {"x": 1}}],
    ],
)
def test_empty_or_older_explanations_do_not_break(stored: Any) -> None:
    m = _match(explanation=stored)
    e = explain.explain(m)
    assert isinstance(e.as_text(), str)
    assert all(x.weight is None or isinstance(x.weight, float) for x in e.evidence)
    # "Ltd" / "Limited": one word as written (the same name cleaned, where the
    # stored level says "exact").
    assert e.name_summary in (
        "names differ in 1 word",
        "the same name once cleaned (spacing, punctuation, legal forms); "
        "as written, 1 word differs",
    )


def test_no_evidence_says_so() -> None:
    e = explain.explain(_match(explanation=[]))
    assert not e.explained
    assert e.total is None and e.total_signed == ""
    assert e.notes == ["This match was made before the matcher kept its reasons."]
    assert explain.explain(_match(explanation=[], status=Match.Status.CONFIRMED)).notes == []


def test_unknown_fields_and_levels_are_shown_as_stored() -> None:
    e = explain.explain(
        _match(explanation=[{"field": "postcode_area", "level": "same_district", "weight": 1.5}])
    )
    assert (e.evidence[0].label, e.evidence[0].words) == ("Postcode area", "same district")
    refined = explain.explain(
        _match(explanation=[{"field": "name", "level": "exact, unique name", "count": 1}])
    )
    assert (refined.evidence[0].words, refined.evidence[0].detail) == (
        "same name",
        "no other facility in the country carries this name",
    )


def test_entries_about_another_candidate_go_with_that_candidate() -> None:
    stored = [
        {"field": "name", "level": "exact", "weight": 6},
        {"field": "name", "level": "similar", "weight": 1, "facility": 9},
        {"field": "runner_up", "level": "", "detail": "#9 Dhaka Knit (2.0 bits behind)"},
    ]
    m = _match(explanation=stored)
    other = Facility(pk=9, name="Dhaka Knit", address="", country="BD")
    best, second = explain.explain(m), explain.explain(m, other)
    assert [x.words for x in best.evidence] == ["same name"]
    assert best.runner_up == "#9 Dhaka Knit (2.0 bits behind)"
    assert [x.words for x in second.evidence] == ["similar names"]
    assert second.runner_up == ""


def test_pending_match_is_explained_against_its_best_candidate() -> None:
    m = _match(explanation=EXPLANATION, status=Match.Status.PENDING)
    m.facility = None
    m.candidates = [[7, 0.8], [9, 0.5]]
    assert explain.proposed_facility_id(m) == 7
    fac = Facility(pk=7, name="Dhaka Knit Composite Limited", address="", country="BD")
    assert len(explain.explain(m, fac).evidence) == 4
    assert explain.explain(m, Facility(pk=9, name="x", address="", country="BD")).evidence == []


def test_the_matchers_own_entries_read_well() -> None:
    """The shape supplychain/matching writes: a prior, a name weighed down by how
    common it is, the distance in metres, and the runner-up."""
    stored = [
        {"field": "prior", "level": "a candidate pair", "weight": -9.1},
        {
            "field": "name",
            "level": "exact",
            "weight": 3.2,
            "detail": "32 facilities in BD share the name or its rarest word",
            "count": 32,
        },
        {
            "field": "distance",
            "level": "> 5 km",
            "weight": -4.0,
            "detail": "14600 m",
            "meters": 14600,
        },
        {"field": "runner_up", "level": "12", "weight": 1.5, "detail": "facility 12: 63.2%"},
    ]
    e = explain.explain(_match(explanation=stored), full=False)
    rows = [(x.label, x.words, x.detail) for x in e.evidence]
    assert rows == [
        ("Starting odds", "any pair of records that reached comparison", ""),
        ("Name", "same name", "32 facilities in the country share the name or its rarest word"),
        ("Distance", "14.6 km apart", ""),
    ]
    assert e.runner_up == "facility #12 (+1.5 bits)"
    assert e.total == pytest.approx(-9.9)


def test_every_level_of_the_matcher_reads_as_words_in_english_and_dutch() -> None:
    """A reviewer never sees a level as the matcher stores it (in English, with
    underscores or thresholds) because a new level lacks its words."""
    from imvo.supplychain.matching.features import BASE_NAME_LEVELS, COMPARISONS

    for field, levels in COMPARISONS.items():
        assert field in explain.FIELD_LABELS, field
        for level in [*levels, *(BASE_NAME_LEVELS if field == "name" else [])]:
            base = level.split(",", 1)[0].strip()
            words = explain.LEVEL_WORDS.get((field, level)) or explain.LEVEL_WORDS.get(
                (field, base)
            )
            assert words is not None, (field, level)
            with translation.override("nl"):
                dutch = str(words)
            assert dutch != str(words), (field, level, "no Dutch words")


def test_the_download_writes_every_weight_in_the_readers_format() -> None:
    # One cell once mixed "(-7.1 bits)" (Python's format) with the runner-up's
    # "(\u221212,5 bits)" (the reader's): now all in the reader's.
    m = _match(
        explanation=[
            {"field": "prior", "level": "a candidate pair", "weight": -7.09},
            {"field": "name_number", "level": "none", "weight": 0.0},
            {"field": "runner_up", "level": "468", "weight": -12.58},
        ]
    )
    with translation.override("nl"):
        text = explain.plain_text(m)
    assert "(\u22127,1 bits)" in text and "(\u00b10,0 bits)" in text
    # Rounded, not cut off (number_format cuts: 12.58 was "12,5").
    assert "(\u221212,6 bits)" in text and "-7.1" not in text and "+0.0" not in text


def test_a_match_with_nothing_stored_about_its_candidate_has_no_empty_why() -> None:
    # A rejection remembered from an earlier upload: the matcher's reasons are about
    # the facility the member turned down, not the candidate shown now.
    m = _match(explanation=[], status=Match.Status.REJECTED)
    m.facility = None
    assert explain.plain_text(m) == ""


def test_a_name_the_matcher_reads_as_the_same_does_not_read_as_different() -> None:
    # Open Supply Hub's labelled pair: the letters spaced out. The reasons said "same
    # name" beside "names differ in 9 words"; now the summary says both, in order.
    m = _match(
        row_name="o r i g i nal appar ae ls",
        fac_name="original apparaels",
        explanation=[{"field": "name", "level": "exact", "weight": 7.5}],
    )
    e = explain.explain(m)
    assert e.name_summary == (
        "the same name once cleaned (spacing, punctuation, legal forms); as written, 9 words differ"
    )
    with translation.override("nl"):
        assert explain.explain(m).name_summary.startswith("dezelfde naam na opschonen")
    # A name the matcher found only similar keeps the plain count.
    m.explanation = [{"field": "name", "level": "similar", "weight": 2.0}]
    assert explain.explain(m).name_summary == "names differ in 9 words"


@pytest.mark.parametrize("status", [Match.Status.NEW, Match.Status.REJECTED])
def test_the_download_says_the_candidate_of_a_new_or_rejected_row_was_not_taken(status) -> None:
    # Walked: a row made a new facility (#3141) and its why read "#3046: ...", as if
    # it were about the row's facility.
    m = _match(explanation=[{"field": "name", "level": "different", "weight": -4.9}], status=status)
    m.facility = None
    assert explain.plain_text(m) == "#7, not taken: Name: different names (\u22124.9 bits)"
    with translation.override("nl"):
        assert explain.plain_text(m).startswith("#7, niet gekozen: ")
    m.status = Match.Status.PENDING
    assert explain.plain_text(m).startswith("#7: Name: different names")


def test_the_operators_name_set_aside_reads_with_the_whole_names_level() -> None:
    """The matcher's name entry at its operator level (features.OPERATOR_NAME_LEVEL)
    says the operator's name was set aside, and how the whole names compare, in the
    reader's language."""
    from imvo.supplychain.matching.features import OPERATOR_NAME_LEVEL

    stored = [
        {
            "field": "name",
            "level": OPERATOR_NAME_LEVEL,
            "weight": 0.04,
            "whole": "different",
            "detail": "as whole names: different",
        }
    ]
    e = explain.explain(_match(explanation=stored), full=False)
    assert [(x.words, x.detail) for x in e.evidence] == [
        (
            "the site's name is in the other once the operator's name the list writes in "
            "front of its sites is set aside",
            "as whole names: different names",
        )
    ]
    with translation.override("nl"):
        e = explain.explain(_match(explanation=stored), full=False)
        assert e.evidence[0].detail == "als hele namen: verschillende namen"
        assert "exploitant" in e.evidence[0].words
