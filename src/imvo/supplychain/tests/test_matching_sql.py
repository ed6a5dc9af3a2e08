"""The matcher on PostgreSQL (`matching.sql`) decides as the in-memory engine does,
and two matches can run at once in one process without waiting on each other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from django.db import connection

from imvo.supplychain import matching, synthetic
from imvo.supplychain.matching import _clean, features, sql
from imvo.supplychain.normalise import normalise_address, normalise_name

SCHEMA = "imvo_match_test"


def _registry(n: int, seed: int) -> pl.DataFrame:
    facilities = list(synthetic.facilities(n, seed=seed))
    return pl.DataFrame(
        {
            "id": [f.id for f in facilities],
            "name": [f.name for f in facilities],
            "address": [f.address for f in facilities],
            "country": [f.country for f in facilities],
        }
    )


def _rows(registry: pl.DataFrame, n: int, seed: int) -> pl.DataFrame:
    """Registry facilities written differently, look-alikes next door, and new places;
    some with coordinates (the geo rule and the distance levels)."""
    import random

    rng = random.Random(seed)
    facilities = list(synthetic.facilities(registry.height, seed=seed))
    names, addresses, countries, lats, lngs = [], [], [], [], []
    fresh = synthetic.facilities(n, seed=seed + 99, start_id=0)
    for i in range(n):
        f = rng.choice(facilities)
        if i % 3 == 0:
            name, address = synthetic.perturb(rng, f)
        elif i % 3 == 1:
            name, address = synthetic.lookalike(rng, f)
        else:
            g = next(fresh)
            name, address, f = g.name, g.address, g
        names.append(name)
        addresses.append(address)
        countries.append(f.country)
        near = i % 4 == 0
        lats.append(10.0 + (f.id % 1000) * 0.001 if near else None)
        lngs.append(100.0 + (f.id % 997) * 0.001 if near else None)
    return pl.DataFrame(
        {"name": names, "address": addresses, "country": countries, "lat": lats, "lng": lngs},
        schema_overrides={"lat": pl.Float64, "lng": pl.Float64},
    )


@pytest.fixture
def pg_cursor(db: Any) -> Iterator[Any]:
    if connection.vendor != "postgresql":
        pytest.skip("the SQL engine runs on PostgreSQL (DATABASE_URL=postgres://...)")
    with connection.cursor() as cur:
        sql.install(cur, SCHEMA)
        yield cur


def _decided_alike_in_postgres(
    pg_cursor: Any, registry: pl.DataFrame, rows: pl.DataFrame, memory: list[Any]
) -> None:
    """Loads `registry` into the PostgreSQL engine, matches `rows` there and checks
    that each row gets the in-memory engine's decision, facility and top weight."""
    pg_cursor.execute(
        f"CREATE TABLE {SCHEMA}.facilities "
        "(id bigint, name text, address text, country text, lat float8, lng float8)"
    )
    pg_cursor.executemany(
        f"INSERT INTO {SCHEMA}.facilities VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
        list(registry.iter_rows()),
    )
    sql.load_registry(pg_cursor, SCHEMA, f"SELECT * FROM {SCHEMA}.facilities")  # noqa: S608
    cleaned = _clean(rows, normalised=False).select("name", "address", "country", "lat", "lng")
    in_sql = sql.match(pg_cursor, SCHEMA, list(cleaned.iter_rows()), matching.load())
    assert [(m.status, m.facility_id) for m in memory] == [
        (s["status"], s["facility_id"]) for s in in_sql
    ]
    for m, s in zip(memory, in_sql, strict=True):
        assert m.scored[0].weight == pytest.approx(s["weight"], abs=1e-9)


@pytest.mark.slow
def test_postgres_engine_decides_as_the_in_memory_engine(pg_cursor: Any) -> None:
    registry = _registry(4000, seed=21)
    # Coordinates on part of the registry, in the same made-up grid as the rows'.
    registry = registry.with_columns(
        lat=pl.when(pl.col("id") % 2 == 0).then(10.0 + (pl.col("id") % 1000) * 0.001),
        lng=pl.when(pl.col("id") % 2 == 0).then(100.0 + (pl.col("id") % 997) * 0.001),
    )
    rows = _rows(registry, 400, seed=21)
    clean = _clean(registry, normalised=False).with_columns(id=registry["id"])
    memory = matching.match_frame(
        matching.prepare_registry(
            clean.select("id", "name", "address", "country", "lat", "lng"), normalised=True
        ),
        rows,
    )

    pg_cursor.execute(
        f"CREATE TABLE {SCHEMA}.facilities "
        "(id bigint, name text, address text, country text, lat float8, lng float8)"
    )
    pg_cursor.executemany(
        f"INSERT INTO {SCHEMA}.facilities VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
        list(clean.select("id", "name", "address", "country", "lat", "lng").iter_rows()),
    )
    assert sql.load_registry(pg_cursor, SCHEMA, f"SELECT * FROM {SCHEMA}.facilities") == 4000  # noqa: S608
    cleaned_rows = _clean(rows, normalised=False)
    in_sql = sql.match(
        pg_cursor,
        SCHEMA,
        list(cleaned_rows.select("name", "address", "country", "lat", "lng").iter_rows()),
        matching.load(),
    )

    assert [(m.status, m.facility_id) for m in memory] == [
        (s["status"], s["facility_id"]) for s in in_sql
    ]
    for m, s in zip(memory, in_sql, strict=True):
        assert len(m.scored) == s["candidates"]
        if m.scored:
            assert m.scored[0].weight == pytest.approx(s["weight"], abs=1e-9)
    statuses = {m.status for m in memory}
    assert statuses == {matching.AUTOMATIC, matching.PENDING, matching.NEW}


def test_two_matches_run_at_once_in_one_process() -> None:
    """rapidfuzz's and polars' thread pools used from two threads at once (the web
    process and a job, two jobs): both finish, with the answers each gives alone."""
    registry = matching.prepare_registry(_registry(3000, seed=8))
    lists = [_rows(_registry(3000, seed=8), 200, seed=s) for s in (1, 2)]
    alone = [matching.match_frame(registry, rows) for rows in lists]
    results: dict[int, list[matching.MatchResult]] = {}
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            for _ in range(2):
                results[i] = matching.match_frame(registry, lists[i])
        except BaseException as e:  # reported below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a match hung"
    assert not errors
    for i in (0, 1):
        assert [(m.status, m.facility_id, m.score) for m in results[i]] == [
            (m.status, m.facility_id, m.score) for m in alone[i]
        ]


def _places(
    names: list[str],
    addresses: list[str],
    countries: list[str],
    *,
    ids: list[int] | None = None,
    lat: list[float | None] | None = None,
    lng: list[float | None] | None = None,
) -> pl.DataFrame:
    """A registry (with ids) or a list's rows, coordinates missing unless given."""
    missing: list[float | None] = [None] * len(names)
    columns: dict[str, list[Any]] = {"id": ids} if ids is not None else {}
    columns |= {"name": names, "address": addresses, "country": countries}
    columns |= {"lat": lat or missing, "lng": lng or missing}
    return pl.DataFrame(columns, schema_overrides={"lat": pl.Float64, "lng": pl.Float64})


def _name_levels_alike_in_both(
    pg_cursor: Any, registry: pl.DataFrame, rows: pl.DataFrame
) -> tuple[list[Any], list[str]]:
    """Match in memory, check PostgreSQL decides alike and reads every row's name
    level alike; the in-memory matches and their name levels."""
    memory = matching.match_frame(matching.prepare_registry(registry, normalised=True), rows)
    names = [next(e["level"] for e in m.explanation if e["field"] == "name") for m in memory]
    _decided_alike_in_postgres(pg_cursor, registry, rows, memory)
    pg_cursor.execute("SELECT rw, name_level FROM pg_temp.levels WHERE rw = idx ORDER BY rw")
    in_sql_names = {rw: features.NAME_BASE[level] for rw, level in pg_cursor.fetchall()}
    assert [in_sql_names[i] for i in range(len(names))] == names
    return memory, names


@pytest.mark.slow
def test_postgres_engine_reads_namesakes_nearby_as_the_in_memory_engine(pg_cursor: Any) -> None:
    """A chain's branches: one alone in its part of town, two 110 m apart, one 600 m
    from another (features.NAME_NEARBY_LEVELS); rows beside each, without addresses."""
    points = [(1.2800, 103.8500), (1.3500, 103.7000), (1.3510, 103.7000), (1.3000, 103.9000)]
    points += [(1.3054, 103.9000)] + [(1.40 + i * 0.02, 103.95) for i in range(25)]
    registry = pl.DataFrame(
        {
            "id": list(range(1, len(points) + 1)),
            "name": ["subway"] * len(points),
            "address": [""] * len(points),
            "country": ["SG"] * len(points),
            "lat": [p[0] for p in points],
            "lng": [p[1] for p in points],
        }
    )
    rows = pl.DataFrame(
        {
            "name": ["Subway"] * 4,
            "address": [""] * 4,
            "country": ["SG"] * 4,
            "lat": [1.2801, 1.3501, 1.3001, 1.2850],
            "lng": [103.8501, 103.7000, 103.9000, 103.8500],
        }
    )
    memory = matching.match_frame(matching.prepare_registry(registry, normalised=True), rows)
    _decided_alike_in_postgres(pg_cursor, registry, rows, memory)
    nearby = [
        next(e["level"] for e in m.explanation if e["field"] == "name_nearby") for m in memory
    ]
    assert nearby == [
        "the only place with the name within 1 km",
        "another place with the name within 200 m",
        "another place with the name within 1 km, none within 200 m",
        "the only place with the name within 1 km",
    ]


@pytest.mark.slow
def test_postgres_engine_reads_abbreviations_as_the_in_memory_engine(pg_cursor: Any) -> None:
    """An abbreviation counts as its long word ("acad" / "academy", "ctr" / "center",
    "assn" / "association", "blk" / "block") in both engines; a word that merely starts
    another ("bar" / "barber", "sun" / "sunset") does not."""
    registry = _places(
        [
            "chicago public schools nta national teachers academy",
            "hull house association parkway community center",
            "joes barber",
            "sunset cafe",
            "first engineering techno centre",
            "block 45 choa chu kang ave 2",
        ],
        ["55 w cermak", "3600 w parkway", "12 main st", "8 high st", "", ""],
        ["US", "US", "GB", "GB", "SG", "SG"],
        ids=[1, 2, 3, 4, 5, 6],
        lat=[None, None, None, None, 1.3, 1.31],
        lng=[None, None, None, None, 103.8, 103.81],
    )
    rows = _places(
        [
            "National Teachers Acad.",
            "Hull House Assn Parkway",
            "Joes Bar",
            "Sun Cafe",
            "First Engrg Techno Ctr",
            "Blk 45 Choa Chu Kang",
        ],
        ["55 W Cermak Rd", "3600 W Parkway", "12 Main St", "8 High St", "", ""],
        ["US", "US", "GB", "GB", "SG", "SG"],
        lat=[None, None, None, None, 1.3001, 1.3101],
        lng=[None, None, None, None, 103.8001, 103.8101],
    )
    memory, names = _name_levels_alike_in_both(pg_cursor, registry, rows)
    assert [m.scored[0].facility_id for m in memory] == [1, 2, 3, 4, 5, 6]
    assert names == ["contained", "contained", "similar", "similar", "contained", "contained"]


# (registry names, registry addresses, list names, list addresses, countries, name levels)
NAME_CASES = {
    # Initials of consecutive words the other name lacks count as those words
    # (`features.acronym`): "thorp jn" / "thorp james n", "us" / "united states"; letters
    # that are no one's initials ("jk") do not.
    "initials": (
        ["thorp jn", "united states post office", "chicago public schools thorp james n"],
        ["8914 s buffalo", "100 queen st w", "5 main st"],
        ["CHICAGO PUBLIC SCHOOLS THORP, JAMES N.", "US Post Office", "Thorp JK"],
        ["8914 S BUFFALO AVE 60617", "100 Queen St W", "5 Main St"],
        ["US", "CA", "GB"],
        ["contained", "contained", "different"],
    ),
    # One joined name inside the other (`features.joined_inside`) is "similar"; one under
    # JOINED_INSIDE_MIN letters is not.
    "joined inside": (
        ["de priest", "fresh start daycare", "spacecraft works"],
        ["139 s parkside ave", "6924 w north ave", "5 main st"],
        [
            "CHICAGO PUBLIC SCHOOLS DEPRIEST, OSCAR",
            "Easter Seals Fresh Start Day Care Center",
            "Ace",
        ],
        ["139 S PARKSIDE AVE 60639", "6924 W NORTH AVE", "5 Main St"],
        ["US", "US", "GB"],
        ["similar", "similar", "different"],
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(NAME_CASES))
def test_postgres_engine_reads_name_levels_as_the_in_memory_engine(
    pg_cursor: Any, case: str
) -> None:
    """Both engines give each case's rows the same record and the same name level
    (NAME_CASES)."""
    reg_names, reg_addresses, names, addresses, countries, levels = NAME_CASES[case]
    registry = _places(reg_names, reg_addresses, countries, ids=[1, 2, 3])
    rows = _places(names, addresses, countries)
    memory, found = _name_levels_alike_in_both(pg_cursor, registry, rows)
    assert [m.scored[0].facility_id for m in memory] == [1, 2, 3]
    assert found == levels


@pytest.mark.slow
def test_postgres_engine_blocks_a_numbered_street_as_the_in_memory_engine(pg_cursor: Any) -> None:
    """A numbered street ("545 W 119th Street") is a street in both engines' blocking
    keys and street keys: the record is found and proposed alike."""
    from imvo.supplychain.tests.test_matching import numbered_street_registry

    places = numbered_street_registry()
    registry = _places(
        [normalise_name(p[0]) for p in places],
        [normalise_address(p[1]) for p in places],
        [p[2] for p in places],
        ids=list(range(1, len(places) + 1)),
    )
    rows = _places(
        ["HENRY BOOTH HOUSE BUNNYLAND LAND DAY CARE"], ["545 W 119TH STREET 60628"], ["US"]
    )
    memory = matching.match_frame(matching.prepare_registry(registry, normalised=True), rows)
    assert memory[0].facility_id == len(places)
    _decided_alike_in_postgres(pg_cursor, registry, rows, memory)


def test_postgres_engine_reads_the_address_in_a_name_as_the_in_memory_engine(
    pg_cursor: Any,
) -> None:
    """Numbers that stand in both addresses are no name numbers in either engine
    (`features.name_number_levels`): the site written into the name ("... 4644 S.
    Dearborn") is supported at its address; branches 1 and 2 at one address still
    differ."""
    registry = _places(
        [
            normalise_name("Firman Community Services - Firman House II SA 21st Century CLC"),
            "el valor teddy bear 5 pulaski",
            "roo hsing garment branch 2",
        ],
        ["4644 s dearborn st", "5160 s pulaski rd", "no 4010 st 49 phnom penh"],
        ["US", "US", "KH"],
        ids=[1, 2, 3],
    )
    rows = _places(
        [
            "FIRMAN COMMUNITY SERVICES FIRMAN WEST II SA 4644 S. DEARBORN",
            "EL VALOR TEDDY BEAR 5 (5160 S PULASKI)",
            "Roo Hsing Garment Branch 1",
        ],
        ["4644 S DEARBORN 60609", "5160 S PULASKI RD 60632", "No 4010 St 49, Phnom Penh"],
        ["US", "US", "KH"],
    )
    memory = matching.match_frame(matching.prepare_registry(registry, normalised=True), rows)
    assert [m.scored[0].facility_id for m in memory] == [1, 2, 3]
    _decided_alike_in_postgres(pg_cursor, registry, rows, memory)
    pg_cursor.execute("SELECT rw, number_level FROM pg_temp.levels WHERE rw = idx ORDER BY rw")
    in_sql = [features.NAME_NUMBER_LEVELS[level] for _, level in pg_cursor.fetchall()]
    in_memory = [
        next(e["level"] for e in m.explanation if e["field"] == "name_number") for m in memory
    ]
    assert in_sql == in_memory == ["one side only", "same", "differ"]


def test_postgres_engine_sets_the_place_in_a_name_aside_as_the_in_memory_engine(
    pg_cursor: Any,
) -> None:
    """Names the same once the words both addresses carry are set aside are "exact" in
    both engines (`features.without_place_words`): a town written into a broken name;
    a remainder of words ten schools carry ("primary school" on Jurong West St) is not."""
    schools = [f"school {i} primary school" for i in range(10)]
    registry = _places(
        ["origi nal appar ae ls", "jurong west primary school", *schools],
        ["welmillaaluthgama bandaragama sri lanka", "jurong west st 61 30"]
        + [f"{i} other rd" for i in range(10)],
        ["LK", "SG"] + ["SG"] * 10,
        ids=list(range(1, 13)),
    )
    rows = _places(
        ["Original Apparaels Bandaragama", "Primary School"],
        ["Welmillaaluthgama Bandaragama Sri Lanka", "31 Jurong West St 24"],
        ["LK", "SG"],
    )
    memory, names = _name_levels_alike_in_both(pg_cursor, registry, rows)
    assert memory[0].scored[0].facility_id == 1
    assert memory[1].scored[0].facility_id == 2
    assert names == ["exact", "contained"]


def test_postgres_engine_reads_a_name_broken_into_pieces(pg_cursor: Any) -> None:
    """A name broken into pieces (`features.fragmented`) is "near" a whole name alike
    without spaces in both engines; a whole name with short words is not a fragment; a
    part of a place (`features.part_of_place`) is no automatic match in either."""
    registry = _places(
        ["alextricot", "pizza hut express", "martin place residences"],
        ["via galicea mare 16 bailesti", "5 main st", "6 martin pl"],
        ["RO", "GB", "SG"],
        ids=[1, 2, 3],
    )
    rows = _places(
        ["ale x tr i c o t sr l", "Pizza Hut", "Pool @ Martin Place Residences"],
        ["via galicea mare 16 bailesti", "5 Main St", "6 Martin Pl"],
        ["RO", "GB", "SG"],
    )
    memory, names = _name_levels_alike_in_both(pg_cursor, registry, rows)
    assert [m.scored[0].facility_id for m in memory] == [1, 2, 3]
    assert names == ["near", "contained", "contained"]
    assert not memory[2].scored[0].support and memory[2].status != matching.AUTOMATIC


def test_postgres_engine_reads_an_address_written_without_spaces(pg_cursor: Any) -> None:
    """An address typed with its words glued together is read as the same address
    written out (`features.address_levels`: the ratio of the addresses without spaces)
    in both engines; an address on another road is not."""
    # (name, the registry's address, the list's address, country)
    places = [
        (
            "MAS Active Mamadala",
            "pallerotamamadalanonagama",
            "Pallerota Mamadala Nonagama 82109 Sri Lanka",
            "LK",
        ),
        (
            "Industrias Merlet",
            "calle circunvalacion pol a 3 antiguo cuscatlan",
            "Calle Circun Valacion Poligono A No. 3 Antiguo Cuscatlan",
            "SV",
        ),
        ("Lanka Knit", "kandy road kadawatha", "Galle Road Panadura", "LK"),
    ]
    names, countries = [p[0] for p in places], [p[3] for p in places]
    registry = _places([n.lower() for n in names], [p[1] for p in places], countries, ids=[1, 2, 3])
    rows = _places(names, [p[2] for p in places], countries)
    memory, names = _name_levels_alike_in_both(pg_cursor, registry, rows)
    assert names == ["exact", "exact", "exact"]
    pg_cursor.execute("SELECT rw, address_level FROM pg_temp.levels WHERE rw = idx ORDER BY rw")
    in_sql = [features.ADDRESS_LEVELS[level] for _, level in pg_cursor.fetchall()]
    in_memory = [next(e["level"] for e in m.explanation if e["field"] == "address") for m in memory]
    assert in_sql == in_memory
    assert in_memory[0] != "different" and in_memory[2] == "different"


@pytest.mark.slow
def test_postgres_engine_reads_a_place_registered_twice_as_the_in_memory_engine(
    pg_cursor: Any,
) -> None:
    """Twins (features.twins): one Subway held twice 30 m apart, two 150 m apart, a
    factory held twice at one address without coordinates (not twins), and units A and B of one
    site 10 m apart; rows beside each. Both engines leave a candidate's twin out of how common
    its name is, see no namesake nearby in a twin and do not split the row between twins."""
    points = [(1.2800, 103.8500), (1.28027, 103.8500), (1.3500, 103.7000), (1.35135, 103.7000)]
    points += [(1.40 + i * 0.02, 103.95) for i in range(20)]
    n = len(points)
    lat: list[float | None] = [*(p[0] for p in points), None, None, 22.80, 22.80009]
    lng: list[float | None] = [*(p[1] for p in points), None, None, 113.60, 113.60]
    registry = _places(
        ["subway"] * n + ["lotus apparel"] * 4,
        [""] * n
        + ["no 5 lotus rd dongguan"] * 2
        + ["unit a no 7 lotus rd", "unit b no 7 lotus rd"],
        ["SG"] * n + ["CN"] * 4,
        ids=list(range(1, n + 5)),
        lat=lat,
        lng=lng,
    )
    rows = _places(
        ["Subway", "Subway", "Lotus Apparel Ltd", "Lotus Apparel", "Subway"],
        ["", "", "No 5 Lotus Road, Dongguan", "No 7 Lotus Road", ""],
        ["SG", "SG", "CN", "CN", "SG"],
        lat=[1.2801, 1.3501, None, 22.80004, 1.40],
        lng=[103.8501, 103.7000, None, 113.60, 103.95],
    )
    memory = matching.match_frame(matching.prepare_registry(registry, normalised=True), rows)
    _decided_alike_in_postgres(pg_cursor, registry, rows, memory)
    assert [m.status for m in memory] == [
        matching.AUTOMATIC,
        matching.PENDING,
        matching.PENDING,  # no coordinates: one place or two is a person's call
        matching.PENDING,
        matching.AUTOMATIC,
    ]
    counts = [next(e.get("count") for e in m.explanation if e["field"] == "name") for m in memory]
    # How common the name is: the records carrying it, less the candidate's own twin.
    assert (counts[0], counts[4]) == (n - 1, n)
    pg_cursor.execute("SELECT rw, idx, tf FROM pg_temp.levels WHERE rw IN (0, 4)")
    in_sql = {(rw, idx): int(tf) for rw, idx, tf in pg_cursor.fetchall()}
    assert in_sql[(0, int(str(memory[0].facility_id)) - 1)] == n - 1
    assert in_sql[(4, int(str(memory[4].facility_id)) - 1)] == n


def test_postgres_engine_reads_generic_extra_words_and_500_m_as_the_in_memory_engine(
    pg_cursor: Any,
) -> None:
    """A contained name's extra words are generic where 10+ registry facilities of the
    country carry them (`features.GENERIC_WORD_COUNT`, read from the registry's word
    counts in both engines), and 200 m-1 km is split at 500 m in both."""
    cafes = [
        f"{w} coffee"
        for w in [
            "lantern",
            "maple",
            "harbour",
            "granite",
            "willow",
            "copper",
            "juniper",
            "meadow",
            "falcon",
            "orchid",
            "cedar",
            "pebble",
        ]
    ]
    n = len(cafes) + 2
    registry = _places(
        ["beehive", "riverside bakery", *cafes],
        [""] * n,
        ["CA"] * n,
        ids=list(range(1, n + 1)),
        lat=[43.70, 43.75, *(43.60 + i * 0.01 for i in range(len(cafes)))],
        lng=[-79.40, -79.40, *([-79.30] * len(cafes))],
    )
    rows = _places(
        ["Beehive Coffee", "Beehive Lofts", "Riverside Bakery", "Riverside Bakery"],
        [""] * 4,
        ["CA"] * 4,
        lat=[43.70036, 43.70036, 43.7527, 43.7572],
        lng=[-79.40] * 4,
    )
    memory = matching.match_frame(matching.prepare_registry(registry, normalised=True), rows)
    _decided_alike_in_postgres(pg_cursor, registry, rows, memory)
    pg_cursor.execute(
        "SELECT rw, name_level, distance_level FROM pg_temp.levels WHERE idx IN (0, 1) ORDER BY rw"
    )
    assert [
        (features.NAME_LEVELS[name], features.DISTANCE_LEVELS[distance])
        for _, name, distance in pg_cursor.fetchall()
    ] == [
        ("contained, rare words, extra words generic", "<= 50 m"),
        ("contained, rare words", "<= 50 m"),
        ("exact, unique name", "<= 500 m"),
        ("exact, unique name", "<= 1 km"),
    ]
    assert memory[0].status == matching.AUTOMATIC and memory[1].status == matching.PENDING


def test_postgres_engine_leaves_names_that_agree_as_they_are(pg_cursor: Any) -> None:
    """Both engines set the place aside only from names that do not agree already
    (`features.PLACE_WORDS_FROM`): a unit-named record beside two records of the plain
    name at one address does not win automatically in either."""
    registry = _places(
        ["lotus apparel", "lotus apparel", "unit a lotus apparel"],
        ["unit a no 5 lotus road dongguan"] * 3,
        ["CN"] * 3,
        ids=[1, 2, 3],
    )
    rows = _places(["Lotus Apparel Limited"], ["Unit A, No. 5 Lotus Rd, Dongguan"], ["CN"])
    memory = matching.match_frame(matching.prepare_registry(registry, normalised=True), rows)
    assert memory[0].status != matching.AUTOMATIC
    _decided_alike_in_postgres(pg_cursor, registry, rows, memory)


def test_postgres_engine_reads_the_operators_name_as_the_in_memory_engine(
    pg_cursor: Any,
) -> None:
    """A list that writes its operator's name in front of its sites' (three rows start
    with "Henry Booth House", `features.operator_prefixes`): both engines read the same
    pairs at the operator level and decide alike; a rest that is a place of the list
    ("lake" of Lake St) or a word ten facilities carry ("center") is no site's name."""
    from imvo.supplychain.matching import blocking

    centers = [f"school {i} center" for i in range(10)]
    registry = _places(
        [
            "wee care nursery school",
            "kiddie kottage learning",
            "bethel new life lake",
            "community center",
            *centers,
        ],
        ["4601 n sheridan rd", "1946 w 87th st", "316 n pulaski rd", "50 e main st"]
        + [f"{i} other rd" for i in range(10)],
        ["US"] * 14,
        ids=list(range(1, 15)),
    )
    rows = _places(
        [
            "Henry Booth House Wee Care Nursery",
            "Henry Booth House Kiddie Kottage",
            "Henry Booth House Lake",
            "Henry Booth House Center",
            "Henry Booth House Day Care",
        ],
        [
            "4601 N Sheridan Rd",
            "1946 W 87th St",
            "316 N Pulaski Rd",
            "50 E Main St",
            "2905 W Lake St",
        ],
        ["US"] * 5,
    )
    prepared = matching.prepare_registry(registry, normalised=True)
    clean = _clean(rows, normalised=False)
    scored = matching.score_candidates(prepared, clean, blocking.candidates(prepared.index, clean))
    in_memory = {
        (int(r), prepared.ids[j])
        for r, j, level in zip(
            scored["rows"], scored["idx"], scored["levels"]["name_operator"], strict=True
        )
        if level == 1
    }
    assert in_memory == {(0, 1), (1, 2)}
    memory = matching.match_frame(prepared, rows)
    _decided_alike_in_postgres(pg_cursor, registry, rows, memory)
    pg_cursor.execute(
        f"SELECT l.rw, g.id FROM pg_temp.levels l JOIN {SCHEMA}.reg g ON g.idx = l.idx "  # noqa: S608
        "WHERE l.operator_level = 1"
    )
    assert {(int(rw), int(i)) for rw, i in pg_cursor.fetchall()} == in_memory
