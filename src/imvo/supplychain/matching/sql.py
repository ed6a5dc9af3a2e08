"""The same matcher as SQL, for PostgreSQL: past one machine's memory.

The in-memory engine (`matching.match_frame`) holds the prepared registry in the
worker's memory (about 2.5 GB at a million facilities). Here the registry, its
blocking index and the scoring live in PostgreSQL, so a worker holds only the
list; the database does the work where the data is, and the plan for 10M+
(docs/supplychain.md) partitions the same tables by country.

Same model, same decisions (a test compares them pair by pair):

- blocking keys are made in SQL from the cleaned name and address by the rules
  of `blocking` (words, joined words, prefixes, house number + street,
  postcodes), postings capped at `max_block` per key by position, ranked by
  summed IDF with the same budget, tie-breaks and top-k, plus the geo cells;
- comparison levels reproduce rapidfuzz's scores exactly: `fuzz.ratio` is the
  Indel distance, which is fuzzystrmatch's `levenshtein` with a substitution
  cost of 2; token sort and token set ratios are the same token operations;
  scores are rounded to float4 as `cpdist` returns them;
- weights and thresholds are those of the `Model` (model.json), loaded into a
  table; the decision rule is `matching.decide`'s.

Inputs are cleaned values (the registry stores them cleaned; a list's rows are
cleaned by `normalise` before they are loaded). Limits: fuzzystrmatch compares
at most 255 characters, so longer names and addresses are compared on their
first 255 (the cleaned values of real registries are far shorter).

Use: `install(cur, schema)`, `load_registry(cur, schema, source_sql, blocking)`
once (and again when facilities change), then `match(cur, schema, rows, model)`.
`cur` is any DB-API cursor on PostgreSQL (psycopg, or Django's).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from imvo.supplychain import matching
from imvo.supplychain.matching import blocking, features
from imvo.supplychain.matching.model import Model, contradicted, lookalikes, supported

_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


def _schema(schema: str) -> str:
    if not _SCHEMA_RE.match(schema):
        raise ValueError(f"not a plain schema name: {schema!r}")
    return schema


FUNCTIONS = r"""
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE SCHEMA IF NOT EXISTS {s};

-- rapidfuzz fuzz.ratio: 100 * (1 - indel distance / (len a + len b)).
CREATE OR REPLACE FUNCTION {s}.ratio(a text, b text) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN char_length(a) + char_length(b) = 0 THEN 100.0::float8
    ELSE 100.0::float8 - 100.0::float8 * levenshtein(left(a, 255), left(b, 255), 1, 1, 2)::float8
         / (least(char_length(a), 255) + least(char_length(b), 255))::float8 END
$$;

-- Python's str.split() then sorted, joined by one space (token_sort_ratio's input).
CREATE OR REPLACE FUNCTION {s}.sorted_tokens(a text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_to_string(array(
    SELECT t FROM regexp_split_to_table(a, '\s+') t WHERE t <> '' ORDER BY t COLLATE "C"), ' '), '')
$$;

CREATE OR REPLACE FUNCTION {s}.token_set(a text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array(SELECT DISTINCT t FROM regexp_split_to_table(a, '\s+') t WHERE t <> '')
$$;

-- rapidfuzz fuzz.token_set_ratio (fuzz_py.token_set_ratio, step for step).
CREATE OR REPLACE FUNCTION {s}.token_set_ratio(ta text[], tb text[]) RETURNS float8
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  sect text[]; dab text; dba text;
  ab_len int; ba_len int; sect_len int; sab int; sba int; lensum int;
  result float8 := 0; r2 float8; r3 float8; dist int;
BEGIN
  IF cardinality(ta) = 0 OR cardinality(tb) = 0 THEN RETURN 0; END IF;
  sect := array(SELECT unnest(ta) INTERSECT SELECT unnest(tb));
  dab := array_to_string(array(SELECT x FROM (SELECT unnest(ta) EXCEPT SELECT unnest(tb)) d(x)
                               ORDER BY x COLLATE "C"), ' ');
  dba := array_to_string(array(SELECT x FROM (SELECT unnest(tb) EXCEPT SELECT unnest(ta)) d(x)
                               ORDER BY x COLLATE "C"), ' ');
  IF cardinality(sect) > 0 AND (dab = '' OR dba = '') THEN RETURN 100; END IF;
  ab_len := char_length(dab); ba_len := char_length(dba);
  sect_len := char_length(array_to_string(sect, ' '));
  sab := sect_len + (sect_len <> 0)::int + ab_len;
  sba := sect_len + (sect_len <> 0)::int + ba_len;
  lensum := sab + sba;
  dist := levenshtein(left(dab, 255), left(dba, 255), 1, 1, 2);
  IF lensum > 0 THEN result := 100 - 100 * dist::float8 / lensum; ELSE result := 100; END IF;
  IF sect_len = 0 THEN RETURN result; END IF;
  r2 := 100 - 100 * ((sect_len <> 0)::int + ab_len)::float8 / (sect_len + sab);
  r3 := 100 - 100 * ((sect_len <> 0)::int + ba_len)::float8 / (sect_len + sba);
  RETURN greatest(result, r2, r3);
END $$;

-- features.identifiers: house/plot/unit numbers (<= 4 digits, no leading zeros) and
-- 'u:<unit with a letter>'.
CREATE OR REPLACE FUNCTION {s}.identifiers(a text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array(SELECT DISTINCT x FROM (
    SELECT coalesce(nullif(ltrim(m[1], '0'), ''), '0') AS x
    FROM regexp_matches(a, '([0-9]+)', 'g') m WHERE char_length(m[1]) <= 4
    UNION ALL
    SELECT 'u:' || m[1] FROM regexp_matches(a, '\y(?:{units})(?: no)? ([a-z]?[0-9]+[a-z]?|[a-z]+)\y', 'g') m
    WHERE m[1] !~ '^[0-9]+$') i)
$$;

CREATE OR REPLACE FUNCTION {s}.numbers(a text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array(SELECT x FROM (SELECT DISTINCT m[1] AS x FROM regexp_matches(a, '([0-9]+)', 'g') m) d
               ORDER BY x COLLATE "C")
$$;

-- features.street_keys: 'number|street word' for each house number (1-4 digits, a
-- letter; 5 digits first when no shorter number follows), the street word read after
-- the number and before it (_street_word).
CREATE OR REPLACE FUNCTION {s}.street_word(w1 text, w2 text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN x IS NULL OR (x ~ '^[0-9]' AND x !~ '{ordinal_street}') THEN '' ELSE x END
  FROM (SELECT CASE WHEN char_length(coalesce(w1, '')) >= 3 AND w1 <> ALL (ARRAY[{street_types}]) THEN w1
                    WHEN char_length(coalesce(w2, '')) >= 3 AND w2 <> ALL (ARRAY[{street_types}]) THEN w2
               END) q(x)
$$;

CREATE OR REPLACE FUNCTION {s}.street_keys(a text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array(SELECT DISTINCT v.k COLLATE "C" FROM (
      SELECT t, o, {s}.street_word(lead(t, 1) OVER w, lead(t, 2) OVER w) AS after,
             {s}.street_word(lag(t, 1) OVER w, lag(t, 2) OVER w) AS before
      FROM unnest(string_to_array(a, ' ')) WITH ORDINALITY u(t, o) WINDOW w AS (ORDER BY o)) q,
    LATERAL (VALUES (q.t || '|' || q.after, q.after), (q.t || '|' || q.before, q.before)) v(k, street)
    WHERE (q.t ~ '^[0-9]{1,4}[a-z]?$'
           OR (q.o = 1 AND q.t ~ '^[0-9]{5}[a-z]?$' AND a !~ '(^| )[0-9]{1,4}[a-z]?( |$)'))
      AND v.street <> '' ORDER BY 1)
$$;

-- features.abbreviates: letters only, the same first letter; the start of the word (4+
-- letters, cut by 3+) or a contraction (no vowel after the first letter, letters in order).
CREATE OR REPLACE FUNCTION {s}.abbreviates(a text, w text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT char_length(a) >= {abbr_min} AND char_length(w) > char_length(a)
    AND left(a, 1) = left(w, 1) AND a ~ '^[a-z]+$' AND w ~ '^[a-z]+$'
    AND CASE WHEN left(w, char_length(a)) = a
             THEN char_length(a) >= {abbr_prefix_min}
                  AND char_length(w) >= char_length(a) + {abbr_prefix_cut}
             ELSE substr(a, 2) !~ '[aeiou]'
                  AND w LIKE (left(a, 1) || regexp_replace(substr(a, 2), '(.)', '%\1', 'g') || '%') END
$$;

-- The first letters of the words of name that are not in x, in order (features.acronym).
CREATE OR REPLACE FUNCTION {s}.initials(name text, x text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(left(w, 1), '' ORDER BY o), '')
  FROM regexp_split_to_table(name, '\s+') WITH ORDINALITY t(w, o) WHERE w <> '' AND w <> ALL (x)
$$;

-- features.abbreviated_contained: a shared word, and every word one name has that the
-- other lacks abbreviates a word the other has that the first lacks, or is the initials
-- of consecutive such words (features.acronym).
CREATE OR REPLACE FUNCTION {s}.abbreviated_contained(wa text[], wb text[], a text, b text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT wa && wb AND EXISTS (
    SELECT 1 FROM (VALUES (wa, wb, b), (wb, wa, a)) p(x, y, name)
    WHERE NOT (p.x <@ p.y)
      AND NOT EXISTS (
        SELECT 1 FROM unnest(p.x) t(short)
        WHERE t.short <> ALL (p.y)
          AND NOT EXISTS (SELECT 1 FROM unnest(p.y) u(word)
                          WHERE u.word <> ALL (p.x) AND {s}.abbreviates(t.short, u.word))
          AND NOT (char_length(t.short) >= {acronym_min} AND t.short ~ '^[a-z]+$'
                   AND strpos({s}.initials(p.name, p.x), t.short) > 0)))
$$;

-- features.fragmented: 3+ words of letters, at least half of them {frag_letters} letters or fewer.
CREATE OR REPLACE FUNCTION {s}.fragmented(a text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT count(*) >= 3 AND 2 * count(*) FILTER (WHERE char_length(w) <= {frag_letters}) >= count(*)
  FROM regexp_split_to_table(a, '\s+') t(w) WHERE w ~ '^[a-z]+$'
$$;

-- features.twins: one place registered twice: the same country and joined name, both
-- with coordinates within {twin_meters} m, no conflicting house or unit numbers.
CREATE OR REPLACE FUNCTION {s}.twin(ca text, cb text, ja text, jb text, aa text, ab text,
                                    ia text[], ib text[], lat1 float8, lng1 float8,
                                    lat2 float8, lng2 float8) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ca = cb AND ja <> '' AND ja = jb AND CASE
    WHEN lat1 IS NULL OR lng1 IS NULL OR lat2 IS NULL OR lng2 IS NULL THEN false
    ELSE 2 * 6371000.0::float8 * asin(least(1.0::float8, sqrt(
           sin((radians(lat2) - radians(lat1)) / 2) * sin((radians(lat2) - radians(lat1)) / 2)
           + cos(radians(lat1)) * cos(radians(lat2))
             * sin(radians(lng2 - lng1) / 2) * sin(radians(lng2 - lng1) / 2)))) <= {twin_meters}
         AND NOT (cardinality(ia) > 0 AND cardinality(ib) > 0 AND NOT ia <@ ib AND NOT ib <@ ia)
    END
$$;

-- features.joined_name: the words without articles (all words if none is left), no spaces.
CREATE OR REPLACE FUNCTION {s}.joined_name(a text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(array_to_string(array(
      SELECT w FROM regexp_split_to_table(a, '\s+') WITH ORDINALITY t(w, o)
      WHERE w <> '' AND w NOT IN ('the', 'of', 'de', 'la', 'le', 'el') ORDER BY o), ''), ''),
    array_to_string(array(
      SELECT w FROM regexp_split_to_table(a, '\s+') WITH ORDINALITY t(w, o) WHERE w <> '' ORDER BY o),
      ''))
$$;
"""


def install(cur: Any, schema: str) -> None:
    """Create the schema and the comparison functions (idempotent)."""
    s = _schema(schema)
    types = ", ".join(f"'{w}'" for w in sorted(features.STREET_TYPES))
    cur.execute(
        FUNCTIONS.replace("{s}", s)
        .replace("{units}", features.UNIT_WORDS)
        .replace("{street_types}", types)
        .replace("{abbr_min}", str(int(features.ABBREVIATION_MIN)))
        .replace("{acronym_min}", str(int(features.ACRONYM_MIN)))
        .replace("{abbr_prefix_min}", str(int(features.ABBREVIATION_PREFIX_MIN)))
        .replace("{abbr_prefix_cut}", str(int(features.ABBREVIATION_PREFIX_CUT)))
        .replace("{frag_letters}", str(int(features.FRAGMENT_LETTERS)))
        .replace("{twin_meters}", repr(float(features.TWIN_METERS)))
        .replace("{ordinal_street}", features.ORDINAL_STREET)
    )


# Per record, once: what the comparisons need of each value.
DERIVED = """name_sorted = {s}.sorted_tokens(name), name_set = {s}.token_set(name),
    name_numbers = {s}.numbers(name), address_set = {s}.token_set(address),
    address_ids = {s}.identifiers(address), address_numbers = {s}.numbers(address),
    address_streets = {s}.street_keys(address)"""


def _keys_sql(src: str) -> str:
    """Blocking keys (idx, key, rule) of a table src(idx, name, address, country, joined):
    the rules of `blocking._name_keys` and `blocking._address_keys`, as SQL."""
    prefix = int(blocking.JOINED_PREFIX)
    ordinal = features.ORDINAL_STREET  # a numbered street's name: "119th"
    return f"""
    WITH w AS (
      SELECT idx, c, w, lead(w) OVER (PARTITION BY idx ORDER BY o) AS nxt
      FROM (SELECT x.idx, coalesce(x.country, '') || '|' AS c, t.w, t.o
            FROM {src} x, unnest(string_to_array(coalesce(x.name, ''), ' ')) WITH ORDINALITY t(w, o)
            WHERE t.w <> '') q
    ), tok AS (
      SELECT idx, c, t,
             coalesce(lead(t, 1) OVER p, '') AS n1, coalesce(lead(t, 2) OVER p, '') AS n2
      FROM (SELECT x.idx, coalesce(x.country, '') || '|' AS c, t.t, t.o
            FROM {src} x, unnest(string_to_array(coalesce(x.address, ''), ' ')) WITH ORDINALITY t(t, o)) q
      WINDOW p AS (PARTITION BY idx ORDER BY o)
    ), num AS (
      SELECT idx, c, t, CASE WHEN char_length(n1) >= 3 THEN n1 ELSE n2 END AS st
      FROM tok WHERE t ~ '^[0-9]+[a-z]?$'
    )
    SELECT idx, c || 'w|' || w AS key, 'name' AS rule FROM w WHERE char_length(w) >= 2
    UNION SELECT idx, c || 'w|' || w || nxt, 'name' FROM w WHERE nxt IS NOT NULL
    UNION SELECT idx, c || 'g|' || substr(w, 1, 4), 'name' FROM w WHERE char_length(w) >= 5
    UNION SELECT x.idx, coalesce(x.country, '') || '|k|' || substr(x.joined, 1, {prefix}), 'name'
          FROM {src} x WHERE coalesce(x.joined, '') <> ''
    UNION SELECT idx, c || 'a|' || t || '|' || st, 'address' FROM num
          WHERE char_length(st) >= 3 AND (st !~ '^[0-9]' OR st ~ '{ordinal}')
    UNION SELECT idx, c || 'p|' || t, 'address' FROM num WHERE char_length(t) >= 5
    """


def load_registry(
    cur: Any, schema: str, source_sql: str, settings: blocking.Blocking | None = None
) -> int:
    """(Re)build the registry tables from `source_sql`, a query giving id, name,
    address (both cleaned), country, lat, lng: facilities are numbered by id (the
    in-memory engine's positions for a registry in id order). Returns the count."""
    s = _schema(schema)
    b = settings or blocking.Blocking()
    cell = blocking.CELLS_PER_DEGREE
    derived = DERIVED.replace("{s}", s)
    _run(
        cur,
        f"""
        DROP TABLE IF EXISTS {s}.reg, {s}.reg_keys, {s}.freq, {s}.postings, {s}.cells,
            {s}.name_counts, {s}.meta;
        CREATE TABLE {s}.reg AS
          SELECT (row_number() OVER (ORDER BY id) - 1)::bigint AS idx, id,
                 coalesce(name, '') AS name, coalesce(address, '') AS address,
                 upper(coalesce(country, '')) AS country, lat::float8 AS lat, lng::float8 AS lng
          FROM ({source_sql}) src;
        ALTER TABLE {s}.reg ADD PRIMARY KEY (idx);
        ALTER TABLE {s}.reg ADD COLUMN joined text, ADD COLUMN name_sorted text,
          ADD COLUMN name_set text[], ADD COLUMN name_numbers text[], ADD COLUMN address_set text[],
          ADD COLUMN address_ids text[], ADD COLUMN address_numbers text[],
          ADD COLUMN address_streets text[];
        UPDATE {s}.reg SET joined = {s}.joined_name(name), {derived};
        CREATE TABLE {s}.reg_keys AS {_keys_sql(f"{s}.reg")};
        CREATE INDEX ON {s}.reg_keys (idx, key);
        CREATE TABLE {s}.freq AS
          SELECT key, count(*)::bigint AS df, min(rule) AS rule FROM {s}.reg_keys GROUP BY key;
        ALTER TABLE {s}.freq ADD PRIMARY KEY (key);
        CREATE TABLE {s}.postings AS
          SELECT key, idx FROM (
            SELECT key, idx, row_number() OVER (PARTITION BY key ORDER BY idx) AS position
            FROM {s}.reg_keys) p
          WHERE position <= {int(b.max_block)};
        CREATE INDEX ON {s}.postings (key);
        CREATE TABLE {s}.cells AS
          SELECT idx, country, lat, lng,
                 floor(lat * {cell}::float8)::int AS cy, floor(lng * {cell}::float8)::int AS cx
          FROM {s}.reg WHERE lat IS NOT NULL AND lng IS NOT NULL;
        CREATE INDEX ON {s}.cells (country, cy, cx);
        CREATE INDEX ON {s}.reg (country, joined);
        CREATE INDEX ON {s}.reg (country, name);
        CREATE TABLE {s}.name_counts AS
          SELECT country, name, count(*)::bigint AS n FROM {s}.reg GROUP BY country, name;
        ALTER TABLE {s}.name_counts ADD PRIMARY KEY (country, name);
        CREATE TABLE {s}.meta AS SELECT count(*)::bigint AS size FROM {s}.reg;
        ANALYZE {s}.reg; ANALYZE {s}.freq; ANALYZE {s}.postings; ANALYZE {s}.cells;
        ANALYZE {s}.name_counts;
        """,
    )
    cur.execute(f"SELECT size FROM {s}.meta")
    return int(cur.fetchone()[0])


def _run(cur: Any, text: str, timings: dict[str, float] | None = None) -> None:
    """Execute a script statement by statement (no semicolons inside statements),
    timing each when asked."""
    import time

    for statement in (part.strip() for part in text.split(";\n")):
        if not statement:
            continue
        started = time.perf_counter()
        cur.execute(statement)
        if timings is not None:
            label = " ".join(statement.split()[:4])
            timings[label] = timings.get(label, 0.0) + time.perf_counter() - started


def match(
    cur: Any,
    schema: str,
    rows: Sequence[tuple[str, str, str, float | None, float | None]],
    model: Model,
    settings: blocking.Blocking | None = None,
    timings: dict[str, float] | None = None,
) -> list[dict[str, Any]]:
    """Decide every row (cleaned name, cleaned address, country, lat, lng) against the
    registry tables. One dict per row, in order: status, facility_id (the proposal;
    None for new), weight (bits), probability, support, candidates (count)."""
    s = _schema(schema)
    b = settings or blocking.Blocking()
    cell = blocking.CELLS_PER_DEGREE
    cur.execute(
        """
        DROP TABLE IF EXISTS pg_temp.mrows, pg_temp.row_keys, pg_temp.pairs, pg_temp.scored, pg_temp.levels,
            pg_temp.weights, pg_temp.places;
        CREATE TEMP TABLE mrows (idx bigint PRIMARY KEY, name text, address text, country text,
                                lat float8, lng float8, joined text, name_sorted text,
                                name_set text[], name_numbers text[], address_set text[],
                                address_ids text[], address_numbers text[],
                                address_streets text[], op_rest text[]);
        """
    )
    with_index = [(i, *r) for i, r in enumerate(rows)]
    cur.executemany(
        "INSERT INTO pg_temp.mrows (idx, name, address, country, lat, lng) "
        "VALUES (%s, %s, %s, upper(%s), %s, %s)",
        [
            (i, n or "", a or "", c or "", _num(lat), _num(lng))
            for i, n, a, c, lat, lng in with_index
        ],
    )
    derived = DERIVED.replace("{s}", s)
    _run(
        cur,
        f"UPDATE pg_temp.mrows SET joined = {s}.joined_name(name), {derived};\nANALYZE pg_temp.mrows;",
    )
    # features.operator_prefixes: the longest run of leading words (leaving one) that
    # OPERATOR_NAMES or more distinct names of the list start with; the rest of the
    # name is kept (op_rest). features.address_words: the list's places.
    _run(
        cur,
        f"""
        WITH nm AS (
          SELECT DISTINCT name FROM pg_temp.mrows WHERE name <> ''
        ), w AS (
          SELECT name, array(SELECT t FROM regexp_split_to_table(name, '\\s+') WITH ORDINALITY x(t, o)
                             WHERE t <> '' ORDER BY o) AS ws
          FROM nm
        ), pre AS (
          SELECT w.name, w.ws, i FROM w, generate_series(1, cardinality(w.ws) - 1) i
        ), common AS (
          SELECT ws[1:i] AS p FROM pre GROUP BY ws[1:i]
          HAVING count(*) >= {int(features.OPERATOR_NAMES)}
        ), best AS (
          SELECT DISTINCT ON (pre.name) pre.name, pre.ws[pre.i + 1:] AS rest
          FROM pre JOIN common c ON c.p = pre.ws[1:pre.i]
          ORDER BY pre.name, pre.i DESC
        )
        UPDATE pg_temp.mrows r SET op_rest = b.rest FROM best b WHERE b.name = r.name;
        CREATE TEMP TABLE places AS
          SELECT DISTINCT w FROM pg_temp.mrows, unnest(address_set) w;
        CREATE INDEX ON pg_temp.places (w);
        ANALYZE pg_temp.places;
        """,
        timings,
    )
    cur.execute(f"SELECT size FROM {s}.meta")
    n = max(int(cur.fetchone()[0]), 2)
    # features.name_levels_tf: a contained name with generic extra words first.
    tf_cases = " ".join(
        [
            f"WHEN base = {base} AND generic THEN (ARRAY[{fine[0]}, {fine[1]}, {fine[2]}])"
            "[CASE WHEN tf <= 1 THEN 1 WHEN tf < 10 THEN 2 ELSE 3 END]"
            for base, fine in features._GENERIC_SPLIT.items()
        ]
        + [
            f"WHEN base = {base} THEN (ARRAY[{fine[0]}, {fine[1]}, {fine[2]}])"
            "[CASE WHEN tf <= 1 THEN 1 WHEN tf < 10 THEN 2 ELSE 3 END]"
            for base, fine in features._TF_SPLIT.items()
        ]
    )
    # features.distance_levels
    distance_cases = " ".join(
        f"WHEN meters <= {limit!r} THEN {level}"
        for level, limit in enumerate(features._DISTANCE_LIMITS, start=1)
    )
    far = len(features._DISTANCE_LIMITS) + 1
    generic_count = int(features.GENERIC_WORD_COUNT)
    within_200 = ", ".join(str(int(v)) for v in features.WITHIN_200_M)
    near, close = features.NEARBY_METERS, features.CLOSE_METERS
    abbr_ratio = float(features.ABBREVIATION_SET_RATIO)
    inside_min = int(features.JOINED_INSIDE_MIN)
    place_words_from = int(features.PLACE_WORDS_FROM)
    frag_ratio = float(features.FRAGMENTED_RATIO)
    _run(
        cur,
        f"""
        CREATE TEMP TABLE row_keys AS {_keys_sql("pg_temp.mrows")};

        -- Blocking (blocking.candidates): a row takes its rarest keys per rule until
        -- their postings reach the budget; registry records ranked by summed IDF.
        CREATE TEMP TABLE pairs AS
        WITH chosen AS (
          SELECT * FROM (
            SELECT k.idx AS rw, k.key, k.rule, f.df,
                   sum(f.df) OVER (PARTITION BY k.idx, k.rule ORDER BY f.df, k.key COLLATE "C"
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - f.df AS before
            FROM pg_temp.row_keys k JOIN {s}.freq f ON f.key = k.key) c
          WHERE before < {int(b.budget)} AND (df <= {int(b.max_block)} OR before = 0)
        ), ranked AS (
          SELECT c.rw, c.rule, p.idx,
                 round(sum(ln({float(n)!r}::float8) - ln(c.df::float8))::numeric, 9) AS w
          FROM chosen c JOIN {s}.postings p ON p.key = c.key
          GROUP BY c.rw, c.rule, p.idx
        ), top AS (
          SELECT rw, idx FROM (
            SELECT rw, rule, idx,
                   row_number() OVER (PARTITION BY rw, rule ORDER BY w DESC, idx) AS rank
            FROM ranked) r
          WHERE rank <= CASE WHEN rule = 'name' THEN {int(b.name_top)} ELSE {int(b.address_top)} END
        ), mine AS (
          SELECT idx AS rw, country, lat AS rlat, lng AS rlng,
                 floor(lat * {cell}::float8)::int AS cy, floor(lng * {cell}::float8)::int AS cx
          FROM pg_temp.mrows WHERE lat IS NOT NULL AND lng IS NOT NULL
        ), near AS (
          SELECT rw, idx FROM (
            SELECT m.rw, g.idx,
                   row_number() OVER (PARTITION BY m.rw ORDER BY
                     (g.lat - m.rlat) * (g.lat - m.rlat)
                     + ((g.lng - m.rlng) * cos(radians(m.rlat))) * ((g.lng - m.rlng) * cos(radians(m.rlat))),
                     g.idx) AS rank
            FROM mine m
            CROSS JOIN (VALUES (-1), (0), (1)) dy(v) CROSS JOIN (VALUES (-1), (0), (1)) dx(v)
            JOIN {s}.cells g ON g.country = m.country AND g.cy = m.cy + dy.v AND g.cx = m.cx + dx.v) q
          WHERE rank <= {int(b.geo_top)}
        )
        SELECT DISTINCT rw, idx FROM (SELECT * FROM top UNION ALL SELECT * FROM near) u;
        ANALYZE pg_temp.pairs;

        -- Comparison levels (features.*) and match weights (Model).
        CREATE TEMP TABLE levels AS
        WITH base AS MATERIALIZED (
          SELECT p.rw, p.idx, r.country, r.name AS a, g.name AS b, r.joined AS aj, g.joined AS bj,
                 r.address AS aa, g.address AS ba,
                 r.lat AS lat1, r.lng AS lng1, g.lat AS lat2, g.lng AS lng2,
                 greatest({s}.ratio(r.name_sorted, g.name_sorted)::real,
                          {s}.ratio(r.joined, g.joined)::real) AS best,
                 r.name_set AS wa, g.name_set AS wb, r.address_set AS ta, g.address_set AS tb,
                 r.address_ids AS sa, g.address_ids AS sb,
                 r.address_numbers AS aan, g.address_numbers AS ban,
                 r.address_streets AS ast, g.address_streets AS bst, r.op_rest,
                 -- features.name_number_levels: a name's numbers that stand in both
                 -- addresses are the address written into the name, not name numbers
                 array(SELECT x FROM unnest(r.name_numbers) WITH ORDINALITY u(x, o)
                       WHERE NOT (x = ANY(r.address_numbers) AND x = ANY(g.address_numbers))
                       ORDER BY o) AS na,
                 array(SELECT x FROM unnest(g.name_numbers) WITH ORDINALITY u(x, o)
                       WHERE NOT (x = ANY(r.address_numbers) AND x = ANY(g.address_numbers))
                       ORDER BY o) AS nb
          FROM pg_temp.pairs p JOIN pg_temp.mrows r ON r.idx = p.rw JOIN {s}.reg g ON g.idx = p.idx
        ), named AS MATERIALIZED (
          SELECT *,
            CASE WHEN a = '' OR b = '' THEN 0
                 WHEN a = b OR aj = bj THEN 1
                 WHEN best >= 92 THEN 2
                 -- features.fragmented: a name broken into pieces, alike without spaces
                 WHEN {s}.ratio(aj, bj) >= {frag_ratio!r}
                      AND ({s}.fragmented(a) OR {s}.fragmented(b)) THEN 2
                 WHEN cardinality(wa) > 0 AND cardinality(wb) > 0 AND wa && wb
                      AND (wa <@ wb OR wb <@ wa) THEN 3
                 WHEN {s}.token_set_ratio(wa, wb)::real >= {abbr_ratio!r}
                      AND {s}.abbreviated_contained(wa, wb, a, b) THEN 3
                 WHEN best >= 80 THEN 4
                 -- features.joined_inside: one joined name inside the other
                 WHEN (char_length(aj) >= {inside_min} AND strpos(bj, aj) > 0)
                      OR (char_length(bj) >= {inside_min} AND strpos(aj, bj) > 0) THEN 4
                 WHEN best >= 60 THEN 5
                 ELSE 6 END AS base0
          FROM base
        ), unplaced AS MATERIALIZED (
          -- features.without_place_words: the names less the words both addresses carry
          SELECT m.*,
            coalesce((SELECT string_agg(w, '' ORDER BY o)
                      FROM regexp_split_to_table(m.a, ' ') WITH ORDINALITY t(w, o)
                      WHERE NOT (w = ANY(m.ta) AND w = ANY(m.tb))), '') AS px,
            coalesce((SELECT string_agg(w, '' ORDER BY o)
                      FROM regexp_split_to_table(m.b, ' ') WITH ORDINALITY t(w, o)
                      WHERE NOT (w = ANY(m.ta) AND w = ANY(m.tb))), '') AS py
          FROM named m
        ), placed AS MATERIALIZED (
          SELECT u.*,
            CASE WHEN u.base0 >= {place_words_from} AND u.aa <> '' AND u.ba <> '' AND u.px <> '' AND u.px = u.py
                      AND NOT (u.px = replace(u.a, ' ', '') AND u.py = replace(u.b, ' ', ''))
                      AND EXISTS (
                        SELECT 1 FROM regexp_split_to_table(u.a, ' ') t(w)
                        WHERE NOT (w = ANY(u.ta) AND w = ANY(u.tb))
                          AND coalesce((SELECT f.df FROM {s}.freq f
                                        WHERE f.key = u.country || '|w|' || t.w), 0)
                              < {generic_count})
                 THEN 1 ELSE u.base0 END AS base
          FROM unplaced u
        ), counted AS MATERIALIZED (
          SELECT n.*,
            greatest(1, CASE
              -- a place the registry holds twice counts once (features.twins)
              WHEN base IN (1, 2) THEN coalesce(
                (SELECT c.n FROM {s}.name_counts c WHERE c.country = n.country AND c.name = n.b), 1)
                - (SELECT count(*) FROM {s}.reg o
                   WHERE o.country = n.country AND o.name = n.b AND o.idx <> n.idx
                     AND {s}.twin(o.country, n.country, o.joined, n.bj, o.address, n.ba,
                                  o.address_ids, n.sb, o.lat, o.lng, n.lat2, n.lng2))
              WHEN base = 3 THEN coalesce((
                SELECT min(coalesce(nullif(f.df, 0), 1))
                FROM unnest(CASE WHEN cardinality(wa) <= cardinality(wb) THEN wa ELSE wb END) t(word)
                LEFT JOIN {s}.freq f ON f.key = n.country || '|w|' || t.word), 1)
              ELSE 1 END) AS tf,
            -- features.GENERIC_WORD_COUNT: a contained name's extra words (both ways) all
            -- carried by that many registry facilities of the country
            base = 3 AND coalesce((
              SELECT count(*) > 0 AND bool_and(coalesce(f.df, 0) >= {generic_count})
              FROM ((SELECT unnest(wa) EXCEPT SELECT unnest(wb))
                    UNION (SELECT unnest(wb) EXCEPT SELECT unnest(wa))) t(word)
              LEFT JOIN {s}.freq f ON f.key = n.country || '|w|' || t.word), false) AS generic
          FROM placed n
        )
        , lv AS MATERIALIZED (
          SELECT rw, idx, tf, base, country, aj, bj, lat1, lng1, lat2, lng2, ba, sb, wb, tb, op_rest,
            CASE WHEN base = 0 THEN 0 {tf_cases} END AS name_level,
            CASE WHEN aa = '' OR ba = '' THEN 0
                 WHEN aa = ba THEN 1
                 WHEN conflict AND t >= 60 THEN 4
                 WHEN conflict THEN 6
                 WHEN (shared AND t >= 85) OR ast && bst THEN 2
                 WHEN t >= 85 THEN 3
                 WHEN t >= 60 THEN 5
                 ELSE 6 END AS address_level,
            CASE WHEN meters IS NULL THEN 0 {distance_cases} ELSE {far} END AS distance_level,
            CASE WHEN cardinality(na) = 0 AND cardinality(nb) = 0 THEN 0
                 WHEN na = nb THEN 1
                 WHEN NOT na <@ nb AND NOT nb <@ na THEN 3
                 ELSE 2 END AS number_level,
            meters
          FROM (
            SELECT y.*,
              cardinality(sa) > 0 AND cardinality(sb) > 0
                AND common < cardinality(sa) AND common < cardinality(sb) AS conflict
            FROM (
            SELECT c.*,
              -- features.address_levels: words, or the addresses without spaces
              CASE WHEN aa = '' OR ba = '' THEN 0::real
                   ELSE greatest({s}.token_set_ratio(ta, tb)::real,
                                 {s}.ratio(replace(aa, ' ', ''), replace(ba, ' ', ''))::real)
                   END AS t,
              cardinality(array(SELECT unnest(sa) INTERSECT SELECT unnest(sb))) AS common,
              cardinality(array(SELECT unnest(sa) INTERSECT SELECT unnest(sb))) > 0 AS shared,
              CASE WHEN lat1 IS NULL OR lng1 IS NULL OR lat2 IS NULL OR lng2 IS NULL THEN NULL ELSE
                2 * 6371000.0::float8 * asin(least(1.0::float8, sqrt(
                  sin((radians(lat2) - radians(lat1)) / 2) * sin((radians(lat2) - radians(lat1)) / 2)
                  + cos(radians(lat1)) * cos(radians(lat2))
                    * sin(radians(lng2 - lng1) / 2) * sin(radians(lng2 - lng1) / 2)))) END AS meters
            FROM counted c) y) x
        )
          -- Shared name words (features.word_compared, blocking.word_counts): the rarest
          -- word key both names carry, where the names differ as wholes and the address
          -- or the place agrees.
          SELECT lv.*,
            CASE WHEN NOT (base >= 3 AND (address_level IN (1, 2, 3, 5) OR distance_level IN ({within_200})))
                 THEN 0
                 ELSE (SELECT CASE WHEN min(f.df) IS NULL THEN 4 WHEN min(f.df) <= 1 THEN 1
                                   WHEN min(f.df) < 10 THEN 2 ELSE 3 END
                       FROM pg_temp.row_keys rk
                       JOIN {s}.reg_keys gk ON gk.key = rk.key AND gk.idx = lv.idx
                       JOIN {s}.freq f ON f.key = rk.key
                       WHERE rk.idx = lv.rw AND split_part(rk.key, '|', 2) = 'w') END AS word_level,
            -- Namesakes nearby (features.nearby_compared, matching._nearby_counts): the
            -- nearest other place with either name within {near!r} m of the row.
            CASE WHEN NOT (base BETWEEN 1 AND 2 AND tf > 1 AND meters IS NOT NULL AND meters <= {near!r}) THEN 0
                 ELSE (SELECT CASE WHEN min(d) IS NULL THEN 1 WHEN min(d) <= {close!r} THEN 3 ELSE 2 END
                       FROM (SELECT 2 * 6371000.0::float8 * asin(least(1.0::float8, sqrt(
                         sin((radians(o.lat) - radians(lv.lat1)) / 2) * sin((radians(o.lat) - radians(lv.lat1)) / 2)
                         + cos(radians(lv.lat1)) * cos(radians(o.lat))
                           * sin(radians(o.lng - lv.lng1) / 2) * sin(radians(o.lng - lv.lng1) / 2)))) AS d
                         FROM {s}.reg o
                         WHERE o.country = lv.country AND o.joined IN (lv.aj, lv.bj) AND o.joined <> ''
                           AND o.idx <> lv.idx AND o.lat IS NOT NULL AND o.lng IS NOT NULL
                           AND NOT {s}.twin(o.country, lv.country, o.joined, lv.bj, o.address, lv.ba,
                                            o.address_ids, lv.sb, o.lat, o.lng, lv.lat2, lv.lng2)) od
                       WHERE d <= {near!r}) END AS nearby_level,
            -- features.operator_levels: the list's operator name set aside, the rest of
            -- the row's name inside the registry name, at the same address, keeping a
            -- site word (features.site_words: not a word of the list's addresses nor of
            -- the candidate's, carried by fewer than GENERIC_WORD_COUNT facilities).
            CASE WHEN base >= {int(features.OPERATOR_FROM)} AND address_level IN (1, 2)
                      AND cardinality(op_rest) > 0 AND op_rest <@ wb
                      AND EXISTS (
                        SELECT 1 FROM unnest(op_rest) t(w)
                        WHERE NOT EXISTS (SELECT 1 FROM pg_temp.places pl WHERE pl.w = t.w)
                          AND NOT (t.w = ANY(lv.tb))
                          AND coalesce((SELECT f.df FROM {s}.freq f
                                        WHERE f.key = lv.country || '|w|' || t.w), 0)
                              < {generic_count})
                 THEN 1 ELSE 0 END AS operator_level
          FROM lv;
        ANALYZE pg_temp.levels;
        """,
        timings,
    )
    # Weights and decision: the model's own code on the levels SQL computed (the
    # model's form is the matching lane's to change; levels are what SQL must match).
    cur.execute(
        f"""
        SELECT l.rw, g.id, l.name_level, l.address_level, l.distance_level, l.number_level,
               l.word_level, l.nearby_level, l.operator_level, r.name, g.name,
               g.country, g.joined, g.address, g.lat, g.lng
        FROM pg_temp.levels l JOIN {s}.reg g ON g.idx = l.idx
          JOIN pg_temp.mrows r ON r.idx = l.rw ORDER BY l.rw, l.idx
        """
    )
    fetched = cur.fetchall()
    levels = {
        comp: np.array([r[2 + i] for r in fetched], dtype=np.int64)
        for i, comp in enumerate(
            (
                "name",
                "address",
                "distance",
                "name_number",
                "name_word",
                "name_nearby",
                "name_operator",
            )
        )
    }
    bits = model.pair_bits(levels) if fetched else np.zeros(0)
    parts = features.part_of_place(
        [r[9] for r in fetched], [r[10] for r in fetched], levels["name"]
    )
    support = supported(levels) & ~parts
    alike = lookalikes(levels)
    against = contradicted(levels)
    by_row: dict[int, list[int]] = {}
    for k, r in enumerate(fetched):
        by_row.setdefault(int(r[0]), []).append(k)
    out = []
    for row in range(len(rows)):
        ks = sorted(by_row.get(row, []), key=lambda k: -bits[k])
        cands = [
            matching.Candidate(
                fetched[k][1],
                matching._probability(float(bits[k])),
                float(bits[k]),
                [],
                bool(support[k]),
                bool(alike[k]),
                bool(against[k]),
                (
                    fetched[k][11],
                    fetched[k][12],
                    fetched[k][13],
                    _nan(fetched[k][14]),
                    _nan(fetched[k][15]),
                ),
            )
            for k in ks
        ]
        m = matching.decide(cands, model)
        out.append(
            {
                "status": m.status,
                "facility_id": m.facility_id,
                "weight": cands[0].weight if cands else None,
                "probability": cands[0].probability if cands else 0.0,
                "support": cands[0].support if cands else False,
                "candidates": len(cands),
            }
        )
    return out


def _nan(v: float | None) -> float:
    return float("nan") if v is None else float(v)


def _num(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
