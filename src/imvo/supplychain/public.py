"""The public list of production locations, read from the published snapshots.

One function yields the public rows, `public_rows`: the page, its filters and
search, the downloads, the API, the report figures, the map and the complaint
form's facility search all start from it (or, for the search across covenants,
from the same snapshot table). It reads `PublicLocation`, materialised when the
secretariat published the year (publication.py), never the members' lists: a
page is a small indexed query whether the cache is warm or not.

The publication rule is applied here once: nothing of a year that is not
public; nothing of a filtered selection fewer than K members disclosed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.translation import get_language

from imvo.core.countries import display_name
from imvo.core.text import fold
from imvo.covenants.models import Adherence, Covenant, Organisation
from imvo.supplychain import publication
from imvo.supplychain.models import PublicLocation, PublicLocationMember
from imvo.supplychain.normalise import normalise_name

ORDER = ("country", "sort_name", "facility_id")

# How many members source at a location, as every public surface shows it: a band,
# never an exact small count ("1 member" next to a member's known supplier, or
# counts that change by one between two years, say more than the K rule allows).
MEMBER_BANDS = ((1, 4), (5, 9), (10, 24), (25, 49))


def member_band(members: int) -> str:
    """The band a location's member count falls in: 1 to 4, 5 to 9, 10 to 24, 25 to 49,
    50 or more; written "5\u20139" with an en dash, which a spreadsheet opening the CSV
    does not take for a date (as it does "5-9")."""
    if 0 <= members < len(_BANDS):
        return _BANDS[members]  # a page asks 100 times: looked up, not worked out
    return _band(members)


def _band(members: int) -> str:
    for low, high in MEMBER_BANDS:
        if members <= high:
            return f"{low}\u2013{high}"
    return f"{MEMBER_BANDS[-1][1] + 1}+"


_BANDS = tuple(_band(n) for n in range(MEMBER_BANDS[-1][1] + 2))


def _text(value: str) -> str:
    """A query or filter value as the database may be asked it: without NUL, which
    no stored text holds and PostgreSQL refuses in a parameter (a server error on
    every public surface, `?q=%00`)."""
    return value.replace("\x00", "")


def _selected(
    published_id: int | None, query: str = "", country: str = "", sector: str = ""
) -> QuerySet[PublicLocation]:
    """The snapshot rows of a published year narrowed by the page's search and filters."""
    if published_id is None:
        return PublicLocation.objects.none()
    query, country, sector = _text(query), _text(country), _text(sector)
    rows = PublicLocation.objects.filter(published_year_id=published_id)
    if country:
        rows = rows.filter(country=country.upper())
    if sector:
        rows = rows.filter(sector_key=fold(sector))
    if query:
        rows = rows.filter(_matching(query))
    return rows


def _matching(query: str) -> Q:
    """The rows whose name, normal form of the name or address contains the query,
    whatever the case and accents: the name and the address compared with the query
    folded (`core.text.fold`: "İstanbul", "ISTANBUL" and "istanbul" are one), the
    normal form with the query's normal form, in the folded columns written with the
    snapshot, so the database runs a plain LIKE, not UPPER() of every row.

    When the two forms of the query are the same (most searches: "tex", "Dhaka")
    it is one LIKE over `search_key`, those three columns joined by a separator:
    a text without the separator is in the joined column exactly when it is in
    one of the three, never across two of them. Otherwise (punctuation, capitals
    outside ASCII, legal forms: "Tex-Co", "Dhaka, BD") each column is asked with
    its own form, as before."""
    one = _one_like(query)
    if one is not None:
        return Q(search_key__contains=one)
    lowered, normal = fold(query), normalise_name(query)
    return (
        Q(sort_name__contains=lowered)
        | Q(name_norm__contains=normal)
        | Q(address_key__contains=lowered)
    )


def _one_like(query: str) -> str | None:
    """What `search_key` must contain for the query, when one LIKE says it: the query
    folded when that is its normal form too (and holds no separator)."""
    lowered = fold(query)
    if lowered == normalise_name(query) and PublicLocation.SEARCH_SEPARATOR not in lowered:
        return lowered
    return None


# The columns of a row as the public surfaces show it (read as tuples: no model
# instances for a page of 100 rows).
COLUMNS = ("pk", "facility_id", "name", "address", "country", "sector", "members", "lat", "lng")


class _Counted(Paginator):
    """A paginator told its count (the snapshot's, or the K check's): no COUNT query."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known


# Reads `limit` rows of a selection from `offset`, in the list's order or (True)
# backwards: tuples carrying COUNT(*) OVER () (see _page_rows).
Reader = Callable[[int, int, bool], list[tuple[Any, ...]]]


def _sliced(
    selected: QuerySet[Any, Any],
    read_rows: Callable[[QuerySet[Any, Any]], list[tuple[Any, ...]]] = list,
) -> Reader:
    """The reader of a queryset in the list's order, each slice read by `read_rows`."""

    def read(offset: int, limit: int, backwards: bool) -> list[tuple[Any, ...]]:
        return read_rows((selected.reverse() if backwards else selected)[offset : offset + limit])

    return read


def _page_rows(
    read: Reader, number: int, per_page: int, total_at: int
) -> tuple[list[tuple[Any, ...]], int]:
    """Page `number` of a selection (tuples carrying COUNT(*) OVER () at `total_at`,
    read by `read`) and the number of the page read. Past the end the paginator
    shows the last page: it is read from the end with its count (the first
    total % per_page, or per_page, of those rows, reversed)."""
    offset = (number - 1) * per_page
    rows = read(offset, per_page, False)
    if not rows and number > 1:
        backwards = read(0, per_page, True)
        if backwards:
            total = backwards[0][total_at]
            number = -(-total // per_page)
            rows = backwards[: total - (number - 1) * per_page][::-1]
    return rows, number


def _quoted_columns() -> dict[str, str]:
    """PublicLocation's column names by field name ("pk" too), quoted for this
    database: what the statements written out below interpolate."""
    quote = connection.ops.quote_name
    fields = {"pk": PublicLocation._meta.pk} | {
        f.name: f for f in PublicLocation._meta.concrete_fields
    }
    return {name: quote(str(f.column)) for name, f in fields.items() if f is not None}


def _search_reader(published_id: int, like: str, k: int) -> Reader:
    """The reader of a search alone whose query is one LIKE on search_key (`like`,
    see _one_like): the statement the ORM path below makes of it (the narrow page
    with its count and K check, joined to its rows), written out, so a search page
    does not pay the ORM building and compiling two querysets (~0.6 ms of Python).
    The pattern is escaped and compared as Django's `contains` does."""
    quote = connection.ops.quote_name
    table, links = (quote(m._meta.db_table) for m in (PublicLocation, PublicLocationMember))
    column = _quoted_columns()
    # "LIKE %s" (with ESCAPE on SQLite): what Django's `contains` writes.
    contains: str = getattr(connection, "operators")["contains"]  # noqa: B009 (not in the stubs)
    pattern = f"%{connection.ops.prep_for_like_query(like)}%"
    pk, key = column["pk"], column["search_key"]

    def read(offset: int, limit: int, backwards: bool) -> list[tuple[Any, ...]]:
        direction = "DESC" if backwards else "ASC"
        order = ", ".join(f"{column[c]} {direction}" for c in ORDER)
        # Interpolated: table and column names from the models, the backend's own
        # LIKE operator and the direction; every value is a parameter.
        narrow = (
            f"SELECT {pk}, "  # noqa: S608
            f"{', '.join(column[c] for c in ORDER)}, COUNT({pk}) OVER (), "
            f"(SELECT COUNT(*) FROM (SELECT DISTINCT organisation_id FROM {links} "
            f"WHERE published_year_id = %s AND {key} {contains} LIMIT %s) k_members) "
            f"FROM {table} WHERE published_year_id = %s AND {key} {contains} "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        params: list[int | str] = [published_id, pattern, k, published_id, pattern, limit, offset]
        return _joined_to_rows(narrow, params, column, extra=2, direction=direction)

    return read


class _WholeList:
    """The rows of a public year's whole list (no filter) in the list's order, as
    COLUMNS, sliced as the paginator slices its object list: one statement written
    out per page (what the ORM makes of `rows().values_list(*COLUMNS)[a:b]`),
    not a queryset built and compiled on every page miss. Its count is the
    snapshot's (`_Counted`)."""

    ordered = True  # the paginator's check of an unordered list

    def __init__(self, published_id: int) -> None:
        self.published_id = published_id

    def __getitem__(self, part: slice) -> list[tuple[Any, ...]]:
        start = part.start or 0
        if part.stop is not None and part.stop <= start:
            return []
        column = _quoted_columns()
        columns = ", ".join(column[c] for c in COLUMNS)
        order = ", ".join(column[c] for c in ORDER)
        table = connection.ops.quote_name(PublicLocation._meta.db_table)
        # Interpolated: table and column names from the model; values are parameters.
        sql = (
            f"SELECT {columns} FROM {table} WHERE "  # noqa: S608
            f"{column['published_year']} = %s ORDER BY {order} LIMIT %s OFFSET %s"
        )
        # The paginator's slices always end; an open one reads to the end.
        limit = (part.stop - start) if part.stop is not None else 2**31 - 1
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.published_id, limit, start])
            return [tuple(r) for r in cursor.fetchall()]


def _with_columns(narrow: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a page read narrow (`narrow`: tuples of pk, the ORDER columns and
    what follows them, sliced), as COLUMNS and what followed, in the same order: one
    statement, the narrow page joined to its rows by id. The narrow read passes over
    every matching row in the index alone (PostgreSQL's sc_publoc_order carries the
    filtered columns, migration 0005); only the page's rows are read from the table,
    and no sort of whole rows (a search's page 9: 11 -> 1.6 ms under load)."""
    sql, params = narrow.query.sql_with_params()
    return _joined_to_rows(
        sql,
        params,
        _quoted_columns(),
        extra=len(narrow.query.annotation_select),
        direction="ASC" if narrow.query.standard_ordering else "DESC",
    )


def _joined_to_rows(
    narrow: str,
    params: Sequence[Any],
    column: dict[str, str],
    *,
    extra: int,
    direction: str,
) -> list[tuple[Any, ...]]:
    """Run `narrow` (the page read narrow: pk, the ORDER columns in `direction`,
    then `extra` more columns) joined to its rows by id: the rows as COLUMNS and
    the extra columns after them, in the narrow page's order. `column`:
    _quoted_columns()."""
    # The narrow columns named by position (a CTE's column list: SQLite and
    # PostgreSQL alike; PostgreSQL inlines it).
    names = [f"n{i}" for i in range(1 + len(ORDER) + extra)]
    columns = [f"l.{column[c]}" for c in COLUMNS] + [f"p.{n}" for n in names[1 + len(ORDER) :]]
    order = ", ".join(f"p.{n} {direction}" for n in names[1 : 1 + len(ORDER)])
    # Interpolated: the narrow statement (its values stay parameters), column and
    # table names from the model and the direction.
    joined = (
        f"WITH p({', '.join(names)}) AS ({narrow}) SELECT {', '.join(columns)} FROM p "  # noqa: S608
        f"JOIN {connection.ops.quote_name(PublicLocation._meta.db_table)} l "
        f"ON l.{column['pk']} = p.n0 ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(joined, params)
        return [tuple(r) for r in cursor.fetchall()]


@dataclass
class Listing:
    """A covenant's public list for one year, as one answer reads it: the
    publication state is read once (K, the snapshots) and a selection's K check
    once, however many parts of the page ask (rows, count, filters, map)."""

    covenant: Covenant
    state: publication.PublicState
    year: int | None
    _selections: dict[tuple[str, str, str], tuple[str, int | None]] = field(default_factory=dict)

    @property
    def published_id(self) -> int | None:
        return self.state.published_id(self.year)

    def _selection(self, query: str, country: str, sector: str) -> tuple[str, int | None]:
        """(why this selection is not shown or "", how many locations it holds, or
        None while not counted yet). The whole list's count is the snapshot's. For a
        filtered selection the K check only asks whether K distinct members stand
        behind it: a DISTINCT ... LIMIT K, which stops as soon as it has K (a broad
        search after a few rows); its count comes with its page (`page`), or from
        `count` when asked alone."""
        key = (query, country.upper(), sector.lower())
        if key not in self._selections:
            snap = self.state.snapshot(self.year)
            if snap is None:
                self._selections[key] = (publication.no_public_list(), 0)
            elif not (query or country or sector):
                self._selections[key] = ("", snap.locations)
            else:
                k = self.state.min_members
                # The member links of this year (always the location's own year:
                # read by index, not all years' links hashed).
                members = _k_members(snap.pk, k, query, country, sector).count()
                if members < k:
                    self._selections[key] = (publication.too_few(k), 0)
                else:
                    self._selections[key] = ("", None)
        return self._selections[key]

    def withheld(self, query: str = "", country: str = "", sector: str = "") -> str:
        """Why this selection is not shown ("" when it is)."""
        return self._selection(query, country, sector)[0]

    def count(self, query: str = "", country: str = "", sector: str = "") -> int:
        """How many public locations the selection shows (0 when withheld)."""
        withheld, counted = self._selection(query, country, sector)
        if counted is None:
            counted = _selected(self.published_id, query, country, sector).count()
            self._selections[(query, country.upper(), sector.lower())] = (withheld, counted)
        return counted

    def rows(
        self, query: str = "", country: str = "", sector: str = ""
    ) -> QuerySet[PublicLocation]:
        """The public rows of a selection, in the list's order: empty when the year
        is not public or the selection rests on fewer than K members."""
        if self.published_id is None or self.withheld(query, country, sector):
            return PublicLocation.objects.none()
        return _selected(self.published_id, query, country, sector).order_by(*ORDER)

    def as_dicts(self, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """The row dicts every public surface shows (the API's PublicFacilityOut),
        from rows read as COLUMNS."""
        named = _named(self.covenant, [r[0] for r in rows])
        language = get_language() or "en"
        country_names: dict[str, str] = {}  # a page repeats a few countries 100 times
        for code in {r[4] for r in rows}:
            country_names[code] = display_name(code, language)
        return [
            {
                "id": facility_id,
                "name": name,
                "address": address,
                "country": code,
                "country_name": country_names[code],
                "sector": sector,
                "members": member_band(members),
                "named_members": named.get(pk, []),
                "lat": lat,
                "lng": lng,
            }
            for pk, facility_id, name, address, code, sector, members, lat, lng in rows
        ]

    def page(
        self,
        page: Any = 1,
        query: str = "",
        country: str = "",
        sector: str = "",
        per_page: int = 100,
    ) -> Page:
        """One page of the public list; its object_list holds the row dicts. A
        filtered selection's count is read with its page (COUNT(*) OVER (): one
        scan of the matching rows, not a count and then the page); only a page past
        the end, or not a positive number, counts first, as the paginator would."""
        number = _page_number(page)
        result: Any = None
        key = (query, country.upper(), sector.lower())
        snap = self.state.snapshot(self.year)
        if key not in self._selections and snap and (query or country or sector) and number:
            # A filter's K check, count and page in one statement: the rows come
            # back with the K check as a scalar subquery (evaluated once) and are
            # dropped unseen when it falls short of K.
            k = self.state.min_members
            like = _one_like(query) if query and not (country or sector) else None
            if like is not None:
                reader = _search_reader(snap.pk, like, k)
            else:
                sql, params = _k_members(snap.pk, k, query, country, sector).query.sql_with_params()
                # The ORM's own SQL of _k_members around its parameters: no value interpolated.
                members = RawSQL(f"SELECT COUNT(*) FROM ({sql}) k_members", params)  # noqa: S608, S611
                narrow = (
                    _selected(snap.pk, query, country, sector)
                    .order_by(*ORDER)
                    .annotate(_total=Window(Count("pk")), _members=members)
                    .values_list("pk", *ORDER, "_total", "_members")
                )
                reader = _sliced(narrow, _with_columns)
            checked, number = _page_rows(reader, number, per_page, total_at=-2)
            if checked:
                if checked[0][-1] < k:
                    self._selections[key] = (publication.too_few(k), 0)
                else:
                    self._selections[key] = ("", checked[0][-2])
                    result = _Counted([], per_page, checked[0][-2]).page(number)
                    result.object_list = self.as_dicts([r[:-2] for r in checked])
                    page_read: Page = result
                    return page_read
        if snap is not None and not (query or country or sector):
            # The whole list: its count is the snapshot's, its page one statement.
            paginator = _Counted(_WholeList(snap.pk), per_page, self.count())
            whole = paginator.get_page(page)
            whole.object_list = self.as_dicts(list(whole.object_list))
            return whole
        rows = self.rows(query, country, sector).values_list(*COLUMNS)
        known = self._selection(query, country, sector)[1]
        if known is None and number is not None:
            counted = rows.annotate(_total=Window(Count("pk"))).values_list(*COLUMNS, "_total")
            read, number = _page_rows(_sliced(counted), number, per_page, total_at=-1)
            if read:
                total = read[0][-1]
                self._selections[(query, country.upper(), sector.lower())] = ("", total)
                paginator = _Counted(rows, per_page, total)
                result = paginator.page(number)
                result.object_list = [r[:-1] for r in read]
        if result is None:
            paginator = _Counted(rows, per_page, self.count(query, country, sector))
            result = paginator.get_page(page)
            result.object_list = list(result.object_list)
        result.object_list = self.as_dicts(result.object_list)
        page_out: Page = result
        return page_out

    def all(self, query: str = "", country: str = "", sector: str = "") -> list[dict[str, Any]]:
        """The whole selection (downloads): the same rows as the pages, in the same order."""
        return self.as_dicts(list(self.rows(query, country, sector).values_list(*COLUMNS)))

    def facets(self) -> tuple[list[tuple[str, str]], list[str]]:
        """The countries (code, name) and sectors of the year's list, for its filters:
        stored with the snapshot when it was written (publication.summarise)."""
        snap = self.state.snapshot(self.year)
        if snap is None:
            return [], []
        countries = sorted(((c, display_name(c)) for c in snap.countries), key=lambda c: c[1])
        return countries, list(snap.sectors)

    def countries(self) -> tuple[list[CountryFigure], int]:
        """(countries that rest on at least K members, the locations of the other
        countries folded together). A country fewer than K members source in is
        never named with its count: that count could be one member's. The folded
        group must itself rest on K members (or be empty): otherwise the smallest
        named countries join it, since the total minus the named rows would give
        away the few members behind it."""
        published_id = self.published_id
        if published_id is None:
            return [], 0
        k = self.state.min_members
        members: dict[str, set[int]] = {}
        for code, organisation_id in (
            PublicLocationMember.objects.filter(published_year_id=published_id)
            .values_list("location__country", "organisation_id")
            .distinct()
        ):
            members.setdefault(code, set()).add(organisation_id)
        shown: list[CountryFigure] = []
        other = 0
        other_members: set[int] = set()
        for code, n in (
            PublicLocation.objects.filter(published_year_id=published_id)
            .values("country")
            .annotate(n=Count("pk"))
            .values_list("country", "n")
        ):
            behind = members.get(code, set())
            if len(behind) >= k:
                shown.append(CountryFigure(code, n, len(behind)))
            else:
                other += n
                other_members |= behind
        shown.sort(key=lambda c: (-c.locations, c.code))
        while other and len(other_members) < k and shown:
            smallest = shown.pop()
            other += smallest.locations
            other_members |= members.get(smallest.code, set())
        return shown, other

    def points(self, shown: list[CountryFigure]) -> list[tuple[float, float, int]]:
        """(lat, lng, members) of the public locations with coordinates in the
        `shown` countries only: a point in a folded country would name it."""
        if self.published_id is None or not shown:
            return []
        return [
            (lat, lng, members)
            for lat, lng, members in PublicLocation.objects.filter(
                published_year_id=self.published_id,
                country__in=[c.code for c in shown],
                lat__isnull=False,
                lng__isnull=False,
            ).values_list("lat", "lng", "members")
            if lat is not None and lng is not None
        ]


def _k_members(
    published_id: int, k: int, query: str, country: str, sector: str
) -> QuerySet[PublicLocationMember, Any]:
    """Up to K distinct members behind a selection: enough to tell whether it
    reaches K, stopping at the K-th (a broad search after a few links). The links
    are this year's (always the location's own year): read by index, not all
    years' links hashed. A search alone (one LIKE) reads the links' copy of the
    search column: the year's links in member order until K members are found
    (`tex`: 35 links, 0.2 ms; a term found nowhere: the year's links once, ~1 ms),
    not the matching locations scanned a second time and joined."""
    links = PublicLocationMember.objects.filter(published_year_id=published_id)
    query, country, sector = _text(query), _text(country), _text(sector)
    one = _one_like(query) if query and not (country or sector) else None
    if one is not None:
        links = links.filter(search_key__contains=one)
    else:
        links = links.filter(
            location_id__in=_selected(published_id, query, country, sector).values("pk")
        )
    return links.values("organisation_id").distinct().order_by()[:k]


def _page_number(page: Any) -> int | None:
    """The page number as Paginator.validate_number reads it, when it is a positive
    whole number; None otherwise (not a number: page 1; below 1: the last page;
    left to the paginator, which counts first)."""
    try:
        if isinstance(page, float) and not page.is_integer():
            return None
        number = int(page)
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


@dataclass(frozen=True)
class CountryFigure:
    """A country of the public list with its locations and members (members: for
    the K rule only, never shown)."""

    code: str
    locations: int
    members: int


def listing(
    covenant: Covenant, requested: Any = None, state: publication.PublicState | None = None
) -> Listing:
    """The public list of the requested year, or of the newest public year (`state`:
    the covenant's public state when already read, publication.public_covenant)."""
    state = state or publication.public_state(covenant)
    return Listing(covenant, state, state.year(requested))


def for_year(
    covenant: Covenant, year: int | None, state: publication.PublicState | None = None
) -> Listing:
    """The public list of exactly this year (nothing when it is not public)."""
    return Listing(covenant, state or publication.public_state(covenant), year)


def _named(covenant: Covenant, location_ids: list[int]) -> dict[int, list[str]]:
    """Location -> names of the members behind it that consent to be named (read
    now, so a withdrawn consent takes effect at once).

    Every page miss asks, so it is one statement written for its plan: the page's
    member rows first (by the location index), then their adherence to this
    covenant and their name by key. Through the ORM the planner joined the
    covenant's adherences to all 5,000 organisations by a sequential scan first
    (1.6 ms -> 0.35 ms in PostgreSQL; 1.7 -> 0.5 ms of Python per page)."""
    if not location_ids:
        return {}
    ids = [int(i) for i in location_ids]
    params: list[Any]
    if connection.vendor == "postgresql":
        # One array literal of whole numbers: psycopg adapting a list of 100 ints
        # element by element was a quarter of a page's Python time outside rendering.
        where, params = "= ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    else:
        where, params = f"IN ({', '.join(['%s'] * len(ids))})", [*ids]
    # Interpolated: table names from the models and placeholders only; values are parameters.
    sql = (
        f"WITH page AS MATERIALIZED (SELECT location_id, organisation_id "  # noqa: S608
        f"FROM {PublicLocationMember._meta.db_table} WHERE location_id {where}) "
        f"SELECT page.location_id, org.name FROM page "
        f"JOIN {Adherence._meta.db_table} adh ON adh.organisation_id = page.organisation_id "
        f"JOIN {Organisation._meta.db_table} org ON org.id = page.organisation_id "
        f"WHERE adh.covenant_id = %s AND adh.consent_to_be_named"
    )
    named: dict[int, set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, covenant.pk])
        for loc, name in cursor.fetchall():
            named[loc].add(name)
    return {loc: sorted(names) for loc, names in named.items()}


# The same, by (covenant, year): for the report, tests and other callers.


def withheld(
    covenant: Covenant, year: int | None, query: str = "", country: str = "", sector: str = ""
) -> str:
    """Why this selection of the public list is not shown ("" when it is)."""
    return for_year(covenant, year).withheld(query, country, sector)


def public_rows(
    covenant: Covenant, year: int | None, query: str = "", country: str = "", sector: str = ""
) -> QuerySet[PublicLocation]:
    """The one source of public rows (see the module docstring)."""
    return for_year(covenant, year).rows(query, country, sector)


def public_facility_list(
    covenant: Covenant, year: int | None, query: str = "", country: str = "", sector: str = ""
) -> list[dict[str, Any]]:
    return for_year(covenant, year).all(query, country, sector)


def public_facets(covenant: Covenant, year: int | None) -> tuple[list[tuple[str, str]], list[str]]:
    return for_year(covenant, year).facets()


def countries(covenant: Covenant, year: int | None) -> tuple[list[CountryFigure], int, int]:
    """(countries shown by name, locations of the folded countries, K)."""
    view = for_year(covenant, year)
    shown, other = view.countries()
    return shown, other, view.state.min_members


def points(covenant: Covenant, year: int | None) -> list[tuple[float, float, int]]:
    view = for_year(covenant, year)
    return view.points(view.countries()[0])


# The longest query a search reads (the public page cuts its search box there).
SEARCH_MAX = 200


def public_facility_search(
    query: str, covenant: Covenant | None = None, country: str | None = None, limit: int = 20
) -> list[dict[str, Any]]:
    """Facilities on a public list whose name or address fits the query (the
    complaint form: a complainant naming their workplace). Keys: id, name,
    address, country, sector. Only snapshots of public years are searched. A name
    search may narrow to one facility: it says that some member sources there,
    which the year's public list says too, and never which member."""
    rows = PublicLocation.objects.filter(
        published_year__in=publication.public_published_years(covenant)
    )
    if country:
        rows = rows.filter(country=_text(country).upper())
    # At most as long as the public page's search (a union's signal form passes its
    # text unbounded); each word of the normal form asked once.
    query = _text(query or "").strip()[:SEARCH_MAX].strip()
    if query:
        norm = normalise_name(query)
        words = list(dict.fromkeys(w for w in norm.split() if len(w) > 1)) or [norm]
        # The snapshot's folded columns (as `_selected`): a plain LIKE, not
        # UPPER() of every row of every public year.
        lowered = fold(query)
        cond = Q(sort_name__contains=lowered) | Q(address_key__contains=lowered)
        for w in words:
            cond |= Q(name_norm__contains=w)
        rows = rows.filter(cond)
    seen: dict[int, dict[str, Any]] = {}
    for fid, name, address, code, sector in rows.order_by(
        "facility_id", "-published_year__year"
    ).values_list("facility_id", "name", "address", "country", "sector")[:1000]:
        seen.setdefault(
            fid, {"id": fid, "name": name, "address": address, "country": code, "sector": sector}
        )
    candidates = list(seen.values())
    if query:
        from rapidfuzz import fuzz

        norm = normalise_name(query)
        candidates.sort(key=lambda f: -fuzz.token_set_ratio(norm, normalise_name(f["name"])))
    return candidates[:limit]


def covenant_figures(covenant: Covenant, year: int) -> dict[str, Any]:
    """Public aggregates for the yearly report: locations, countries, shared ones.
    Empty (zero locations) while the year is not public; countries fewer than K
    members source in are counted under `other_countries`, not named."""
    view = for_year(covenant, year)
    rows = view.rows().order_by()
    shown, other = view.countries()
    k = view.state.min_members
    published_id = view.published_id
    members = (
        PublicLocationMember.objects.filter(published_year_id=published_id)
        .values("organisation_id")
        .distinct()
        .count()
        if published_id
        else 0
    )
    return {
        "locations": rows.count(),
        "countries": rows.values("country").distinct().count(),
        "shared": rows.filter(members__gt=1).count(),
        "members_disclosing": members,
        "by_country": [(c.code, c.locations) for c in shown],
        "other_countries": other,
        "min_members": k,
    }
