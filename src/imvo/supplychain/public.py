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
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from imvo.core.cache import cached
from imvo.core.countries import display_name
from imvo.covenants.models import Adherence, Covenant
from imvo.supplychain import publication
from imvo.supplychain.models import PublicLocation, PublicLocationMember
from imvo.supplychain.normalise import normalise_name

ORDER = ("country", "sort_name", "facility_id")


_published_year_id = publication.published_year_id


def _selected(
    published_id: int | None, query: str = "", country: str = "", sector: str = ""
) -> QuerySet[PublicLocation]:
    """The snapshot rows of a published year narrowed by the page's search and filters."""
    if published_id is None:
        return PublicLocation.objects.none()
    rows = PublicLocation.objects.filter(published_year_id=published_id)
    if country:
        rows = rows.filter(country=country.upper())
    if sector:
        rows = rows.filter(sector_key=sector.lower())
    if query:
        rows = rows.filter(
            Q(name__icontains=query)
            | Q(name_norm__icontains=normalise_name(query))
            | Q(address__icontains=query)
        )
    return rows


def withheld(
    covenant: Covenant, year: int | None, query: str = "", country: str = "", sector: str = ""
) -> str:
    """Why this selection of the public list is not shown ("" when it is)."""

    def compute() -> str:
        selected = _selected(_published_year_id(covenant, year), query, country, sector)
        return publication.selection_withheld(
            covenant, year, selected, bool(query or country or sector)
        )

    key = publication.public_cache_key(
        covenant, year, "withheld", query, country.upper(), sector.lower()
    )
    return cached(key, compute)


def public_rows(
    covenant: Covenant, year: int | None, query: str = "", country: str = "", sector: str = ""
) -> QuerySet[PublicLocation]:
    """The public rows of a selection, in the list's order: empty when the year is
    not public or the selection rests on fewer than K members."""
    published_id = _published_year_id(covenant, year)
    if published_id is None or withheld(covenant, year, query, country, sector):
        return PublicLocation.objects.none()
    return _selected(published_id, query, country, sector).order_by(*ORDER)


def _named(covenant: Covenant, location_ids: list[int]) -> dict[int, list[str]]:
    """Location -> names of the members behind it that consent to be named (read
    now, so a withdrawn consent takes effect at once)."""
    consenting = dict(
        Adherence.objects.filter(covenant=covenant, consent_to_be_named=True).values_list(
            "organisation_id", "organisation__name"
        )
    )
    named: dict[int, set[str]] = defaultdict(set)
    if consenting and location_ids:
        for loc, org in PublicLocationMember.objects.filter(
            location_id__in=location_ids, organisation_id__in=list(consenting)
        ).values_list("location_id", "organisation_id"):
            named[loc].add(consenting[org])
    return {loc: sorted(names) for loc, names in named.items()}


def as_dicts(covenant: Covenant, rows: list[PublicLocation]) -> list[dict[str, Any]]:
    """The row dicts every public surface shows (the API's PublicFacilityOut)."""
    named = _named(covenant, [r.pk for r in rows])
    return [
        {
            "id": r.facility_id,
            "name": r.name,
            "address": r.address,
            "country": r.country,
            "country_name": display_name(r.country),
            "sector": r.sector,
            "members": r.members,
            "named_members": named.get(r.pk, []),
            "lat": r.lat,
            "lng": r.lng,
        }
        for r in rows
    ]


def public_page(
    covenant: Covenant,
    year: int | None,
    page: Any = 1,
    query: str = "",
    country: str = "",
    sector: str = "",
    per_page: int = 100,
) -> Page:
    """One page of the public list; its object_list holds the row dicts."""
    result: Any = Paginator(public_rows(covenant, year, query, country, sector), per_page).get_page(
        page
    )
    result.object_list = as_dicts(covenant, list(result.object_list))
    page_out: Page = result
    return page_out


def public_facility_list(
    covenant: Covenant, year: int | None, query: str = "", country: str = "", sector: str = ""
) -> list[dict[str, Any]]:
    """The whole selection (downloads): the same rows as the pages, in the same order."""
    return as_dicts(covenant, list(public_rows(covenant, year, query, country, sector)))


def public_facets(covenant: Covenant, year: int | None) -> tuple[list[tuple[str, str]], list[str]]:
    """The countries (code, name) and sectors of the year's public list, for its filters."""
    rows = public_rows(covenant, year).order_by()
    codes = set(rows.values_list("country", flat=True).distinct())
    sectors = set(rows.values_list("sector", flat=True).distinct())
    countries = sorted(((c, display_name(c)) for c in codes), key=lambda c: c[1])
    return countries, sorted(s for s in sectors if s)


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
        rows = rows.filter(country=country.upper())
    query = (query or "").strip()
    if query:
        norm = normalise_name(query)
        words = [w for w in norm.split() if len(w) > 1] or [norm]
        cond = Q(name__icontains=query) | Q(address__icontains=query)
        for w in words:
            cond |= Q(name_norm__icontains=w)
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


@dataclass(frozen=True)
class CountryFigure:
    """A country of the public list with its locations and members (members: for
    the K rule only; shown as a band at most)."""

    code: str
    locations: int
    members: int


def countries(covenant: Covenant, year: int | None) -> tuple[list[CountryFigure], int, int]:
    """(countries that rest on at least K members, the locations of the other
    countries folded together, K). A country fewer than K members source in is
    never named with its count: that count could be one member's."""
    k = publication.policy_for(covenant).min_members
    published_id = _published_year_id(covenant, year)
    if published_id is None:
        return [], 0, k
    members = dict(
        PublicLocationMember.objects.filter(published_year_id=published_id)
        .values("location__country")
        .annotate(n=Count("organisation", distinct=True))
        .values_list("location__country", "n")
    )
    shown: list[CountryFigure] = []
    other = 0
    for code, n in (
        PublicLocation.objects.filter(published_year_id=published_id)
        .values("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    ):
        if members.get(code, 0) >= k:
            shown.append(CountryFigure(code, n, members[code]))
        else:
            other += n
    shown.sort(key=lambda c: (-c.locations, c.code))
    return shown, other, k


def points(covenant: Covenant, year: int | None) -> list[tuple[float, float, int]]:
    """(lat, lng, members) of the year's public locations with coordinates, only in
    countries shown by name (`countries`): a point in a folded country would name it."""
    shown, _other, _k = countries(covenant, year)
    published_id = _published_year_id(covenant, year)
    if published_id is None or not shown:
        return []
    return [
        (lat, lng, members)
        for lat, lng, members in PublicLocation.objects.filter(
            published_year_id=published_id,
            country__in=[c.code for c in shown],
            lat__isnull=False,
            lng__isnull=False,
        ).values_list("lat", "lng", "members")
        if lat is not None and lng is not None
    ]


def covenant_figures(covenant: Covenant, year: int) -> dict[str, Any]:
    """Public aggregates for the yearly report: locations, countries, shared ones.
    Empty (zero locations) while the year is not public; countries fewer than K
    members source in are counted under `other_countries`, not named."""
    rows = public_rows(covenant, year).order_by()
    shown, other, k = countries(covenant, year)
    published_id = _published_year_id(covenant, year)
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
