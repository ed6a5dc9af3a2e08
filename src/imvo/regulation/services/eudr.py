"""EUDR geolocation: plots of land uploaded as GeoJSON or CSV, checked, and exported
as the GeoJSON the EU information system takes.

Rules (Regulation (EU) 2023/1115 Arts. 2(28), 9(1)(d), and the information
system's GeoJSON description), each with a row-level error naming the column:

- a known relevant commodity (cattle, cocoa, coffee, oil palm, rubber, soya, wood);
- a country as an ISO 3166 alpha-2 code;
- WGS84 longitude/latitude in range (a swapped pair is named as such);
- at least six decimal digits in every coordinate;
- a valid geometry (Point, Polygon, MultiPolygon; closed rings, no self-intersection);
- a plot over 4 ha is a polygon (a point must declare its area, at most 4 ha);
- the plot lies in the declared country (see `place_country`);
- a plot id, unique in the file; a due-diligence statement reference, if given,
  of letters, digits and dashes.

A file with any error imports nothing: the member fixes the rows named and
uploads it again, and the upload with its errors is kept as a record.
Coordinates are kept as the uploaded decimal text and exported unchanged, so
precision is never lost by a float round trip.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from imvo.accounts.models import User
from imvo.accounts.seams import AnyUser
from imvo.core.countries import CODES
from imvo.core.errors import DomainError
from imvo.core.uploads import CSV, FileType, UploadPolicy
from imvo.covenants.models import Covenant, Organisation
from imvo.regulation.models import Plot, PlotUpload
from imvo.regulation.services.access import require_active_member

COMMODITIES: dict[str, str] = {
    "cattle": "cattle", "cocoa": "cocoa", "coffee": "coffee", "oil_palm": "oil_palm",
    "oil palm": "oil_palm", "palm oil": "oil_palm", "rubber": "rubber", "soya": "soya",
    "soy": "soya", "wood": "wood", "timber": "wood",
}  # fmt: skip
# Covenant sectors whose members trade relevant commodities (docs/regulation.md).
SECTOR_COMMODITIES: dict[str, tuple[str, ...]] = {
    "food": ("cocoa", "coffee", "oil_palm", "soya", "cattle"),
    "agrifood": ("cocoa", "coffee", "oil_palm", "soya", "cattle"),
    "floriculture": ("wood", "soya", "rubber"),
    "natural_stone": ("wood",),
    "garment": ("cattle", "rubber"),  # leather, rubber soles
}
MIN_DECIMALS = 6
POINT_MAX_HA = Decimal(4)
MAX_ROWS = 50_000
GEOJSON = FileType("geojson", "application/geo+json", None)
JSON = FileType("json", "application/json", None)
POLICY = UploadPolicy((GEOJSON, JSON, CSV), 20 * 1024 * 1024)
DDS_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,59}$")
CSV_COLUMNS = ("plot_id", "commodity", "country", "latitude", "longitude", "polygon", "area_ha",
               "supplier", "dds_reference", "upstream_references")  # fmt: skip


def eudr_applies(covenant: Covenant) -> bool:
    return covenant.sector in SECTOR_COMMODITIES


@dataclass(frozen=True)
class PlotError:
    row: int  # the feature's number (GeoJSON) or the line (CSV, the header is line 1)
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PlotRow:
    row: int
    plot_id: str = ""
    commodity: str = ""
    country: str = ""
    geometry: dict[str, Any] | None = None  # coordinates as Decimals
    area_ha: str = ""
    supplier: str = ""
    dds_reference: str = ""
    upstream_references: str = ""
    errors: list[PlotError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(PlotError(self.row, column, message))


# --- reading the file ----------------------------------------------------------------


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def read_geojson(text: str) -> list[PlotRow]:
    try:
        doc = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except RecursionError:
        # "[[[[...]]]]" a hundred thousand deep: the decoder's own limit, a 500 before.
        raise DomainError(
            _("The file nests lists deeper than GeoJSON does (a geometry is at most four "
              "levels deep).")
        ) from None  # fmt: skip
    except json.JSONDecodeError as e:
        raise DomainError(
            _("The file is not valid JSON (line %(line)s, column %(col)s): %(msg)s.")
            % {"line": e.lineno, "col": e.colno, "msg": e.msg}
        ) from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DomainError(_("The file is not a GeoJSON FeatureCollection."))
    rows = []
    for i, feature in enumerate(doc.get("features") or [], start=1):
        r = PlotRow(i)
        if not isinstance(feature, dict):
            r.error("feature", _("not a GeoJSON Feature"))
            rows.append(r)
            continue
        p = feature.get("properties") or {}
        r.plot_id = _text(p.get("plot_id") or p.get("ProductionPlace"))
        r.commodity = _text(p.get("commodity"))
        r.country = _text(p.get("country") or p.get("ProducerCountry"))
        r.area_ha = _text(p.get("area_ha") if p.get("area_ha") is not None else p.get("Area"))
        r.supplier = _text(p.get("supplier") or p.get("ProducerName"))
        r.dds_reference = _text(p.get("dds_reference"))
        r.upstream_references = _text(p.get("upstream_references"))
        g = feature.get("geometry")
        r.geometry = g if isinstance(g, dict) else None
        rows.append(r)
    return rows


_WKT_POLYGON = re.compile(r"^\s*POLYGON\s*\(\s*\((.*)\)\s*\)\s*$", re.IGNORECASE | re.DOTALL)


def _wkt_polygon(text: str) -> dict[str, Any] | None:
    """POLYGON((lon lat, lon lat, ...)) with one ring, coordinates as Decimals."""
    m = _WKT_POLYGON.match(text)
    if not m:
        return None
    ring = []
    for pair in m.group(1).split(","):
        parts = pair.split()
        if len(parts) != 2:
            return None
        try:
            ring.append([Decimal(parts[0]), Decimal(parts[1])])
        except InvalidOperation:
            return None
    return {"type": "Polygon", "coordinates": [ring]}


def read_csv(text: str) -> list[PlotRow]:
    text = text.lstrip("\ufeff")
    dialect = csv.excel
    with contextlib.suppress(csv.Error):  # one column, or an odd file: the excel dialect
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")  # type: ignore[assignment]
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    try:
        return _plot_rows(reader)
    except csv.Error:  # a cell over the csv module's field limit, a NUL...: not a 500
        raise DomainError(
            _("Line %(line)s of the CSV cannot be read: a cell is longer than 131,072 "
              "characters, or a quote is not closed.")
            % {"line": reader.line_num + 1}  # the line being read when it failed
        ) from None  # fmt: skip


def _plot_rows(reader: csv.DictReader[str]) -> list[PlotRow]:
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    if "plot_id" not in header or not (
        {"latitude", "longitude"} <= set(header) or "polygon" in header
    ):
        raise DomainError(
            _("The CSV needs the columns plot_id, commodity, country and either latitude and "
              "longitude or polygon (WKT); found: %(cols)s.") % {"cols": ", ".join(header) or "-"}
        )  # fmt: skip
    rows = []
    for line, rec in enumerate(reader, start=2):
        r = PlotRow(line)
        values = {k: _text(v) for k, v in rec.items() if k}
        broken = next((k for k, v in values.items() if "\n" in v or "\r" in v), None)
        if broken is not None:
            # A quote opened and never closed takes the following lines into this cell:
            # those plots would be lost without a word.
            r.error(broken, _("holds a line break: a quote (\") opened in this cell is not "
                              "closed, so the lines after it were read into it; close or "
                              "remove the quote"))  # fmt: skip

        def get(k: str, values: dict[str, str] = values) -> str:
            return values.get(k, "")

        r.plot_id, r.commodity, r.country = get("plot_id"), get("commodity"), get("country")
        r.area_ha, r.supplier = get("area_ha"), get("supplier")
        r.dds_reference, r.upstream_references = get("dds_reference"), get("upstream_references")
        if get("polygon"):
            r.geometry = _wkt_polygon(get("polygon"))
            if r.geometry is None:
                r.error("polygon", _("not a WKT polygon: write POLYGON((lon lat, lon lat, ...))"))
        else:
            try:
                lon, lat = Decimal(get("longitude")), Decimal(get("latitude"))
            except InvalidOperation:
                r.error("latitude/longitude", _("give both latitude and longitude as numbers"))
            else:
                r.geometry = {"type": "Point", "coordinates": [lon, lat]}
        rows.append(r)
    return rows


# --- checking ------------------------------------------------------------------------


def _decimals(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _positions(geometry: dict[str, Any]) -> list[Any]:
    t, c = geometry.get("type"), geometry.get("coordinates")
    if t == "Point":
        return [c]
    if t == "Polygon" and isinstance(c, list):
        return [p for ring in c if isinstance(ring, list) for p in ring]
    if t == "MultiPolygon" and isinstance(c, list):
        return [p for poly in c if isinstance(poly, list) for ring in poly
                if isinstance(ring, list) for p in ring]  # fmt: skip
    return []


def check_coordinates(r: PlotRow) -> bool:
    """Types, ranges and precision of every position; False when the geometry is unusable."""
    g = r.geometry
    if g is None:
        if not r.errors:
            r.error("geometry", _("no geometry"))
        return False
    if g.get("type") not in ("Point", "Polygon", "MultiPolygon"):
        r.error("geometry", _("%(type)s is not a plot: use a Point or a Polygon")
                % {"type": g.get("type") or "?"})  # fmt: skip
        return False
    positions = _positions(g)
    if not positions:
        r.error("geometry", _("no coordinates"))
        return False
    ok = True
    imprecise: list[str] = []
    for pos in positions:
        if not (isinstance(pos, list) and len(pos) in (2, 3)
                and all(isinstance(v, Decimal) for v in pos)):  # fmt: skip
            r.error("geometry", _("a position is not a [longitude, latitude] pair of numbers"))
            return False
        lon, lat = pos[0], pos[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            if -90 <= lon <= 90 and -180 <= lat <= 180:
                r.error("geometry", _("longitude %(lon)s, latitude %(lat)s is outside WGS84: are "
                        "latitude and longitude swapped? GeoJSON puts longitude first")
                        % {"lon": lon, "lat": lat})  # fmt: skip
            else:
                r.error("geometry", _("longitude %(lon)s, latitude %(lat)s is outside WGS84")
                        % {"lon": lon, "lat": lat})  # fmt: skip
            ok = False
            break
        imprecise += [str(v) for v in (lon, lat) if _decimals(v) < MIN_DECIMALS]
    if imprecise:
        r.error("geometry", _("coordinates need at least %(n)s decimal digits; %(first)s has %(d)s")
                % {"n": MIN_DECIMALS, "first": imprecise[0],
                   "d": _decimals(Decimal(imprecise[0]))})  # fmt: skip
        ok = False
    return ok


def _shape(geometry: dict[str, Any]) -> Any:
    from shapely.geometry import shape

    def floats(c: Any) -> Any:
        return [floats(x) for x in c] if isinstance(c, list) else float(c)

    return shape({"type": geometry["type"], "coordinates": floats(geometry["coordinates"])})


def _rings(geometry: dict[str, Any]) -> list[list[Any]]:
    c = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        return list(c)
    if geometry["type"] == "MultiPolygon":
        return [ring for poly in c for ring in poly]
    return []


@cache
def _geod() -> Any:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_area_ha(shape: Any) -> Decimal:
    area, _perimeter = _geod().geometry_area_perimeter(shape)
    return Decimal(abs(area) / 10_000).quantize(Decimal("0.0001"))


def check_shape(r: PlotRow) -> Any:
    """Closed rings and a valid geometry (shapely); the shape, or None with an error."""
    from shapely.validation import explain_validity

    assert r.geometry is not None
    for ring in _rings(r.geometry):
        if len(ring) < 4:
            r.error(
                "geometry",
                _("a polygon ring needs at least four positions (the last repeats the first)"),
            )
            return None
        if ring[0][:2] != ring[-1][:2]:
            r.error(
                "geometry",
                _("a polygon ring is not closed: its last position must repeat the first"),
            )
            return None
    try:
        shape = _shape(r.geometry)
    except (ValueError, TypeError) as e:
        r.error("geometry", _("not a valid geometry: %(why)s") % {"why": e})
        return None
    if not shape.is_valid:
        r.error("geometry", _("not a valid geometry: %(why)s") % {"why": explain_validity(shape)})
        return None
    return shape


def check_area(r: PlotRow, shape: Any) -> Decimal | None:
    """Polygons: the geodesic area. Points: the declared area, at most 4 ha."""
    if r.geometry and r.geometry["type"] != "Point":
        return geodesic_area_ha(shape)
    if not r.area_ha:
        r.error(
            "area_ha",
            _(
                "a plot given as a point needs its area in hectares (plots over 4 ha need a polygon)"
            ),
        )
        return None
    try:
        area = Decimal(r.area_ha.replace(",", "."))
    except InvalidOperation:
        r.error("area_ha", _("%(v)s is not a number of hectares") % {"v": r.area_ha})
        return None
    if area <= 0:
        r.error("area_ha", _("the area must be more than 0 ha"))
        return None
    if area > POINT_MAX_HA:
        r.error("geometry", _("the plot is %(a)s ha: plots over 4 ha must be given as a polygon, not a point")
                % {"a": area})  # fmt: skip
        return None
    return area.quantize(Decimal("0.0001"))


def place_country(points: Sequence[tuple[float, float]]) -> list[tuple[str, str]]:
    """(country code, nearest place) for each (lat, lon), from GeoNames' populated places
    shipped with reverse_geocode: the country of the nearest town. Decided: near a
    border this can name the neighbour (docs/regulation.md); a plot is refused only when
    its nearest town lies in another country than declared."""
    import reverse_geocode

    if not points:
        return []
    return [(p["country_code"], p.get("city", "")) for p in reverse_geocode.search(points)]


def check_fields(r: PlotRow, seen: dict[str, int]) -> None:
    if not r.plot_id:
        r.error("plot_id", _("every plot needs an id"))
    elif r.plot_id in seen:
        r.error(
            "plot_id",
            _("%(id)s is also used in row %(other)s") % {"id": r.plot_id, "other": seen[r.plot_id]},
        )
    else:
        seen[r.plot_id] = r.row
    commodity = COMMODITIES.get(r.commodity.lower())
    if commodity is None:
        r.error("commodity", _("%(c)s is not a relevant commodity: cattle, cocoa, coffee, oil_palm, rubber, soya or wood")
                % {"c": r.commodity or "-"})  # fmt: skip
    else:
        r.commodity = commodity
    r.country = r.country.upper()
    if r.country not in CODES:
        r.error("country", _("%(c)s is not an ISO 3166 country code (two letters, e.g. CI)")
                % {"c": r.country or "-"})  # fmt: skip
    if r.dds_reference:
        r.dds_reference = r.dds_reference.upper()
        if not DDS_REFERENCE.match(r.dds_reference):
            r.error("dds_reference", _("%(v)s is not a statement reference number (letters, digits, dashes)")
                    % {"v": r.dds_reference})  # fmt: skip


@dataclass
class Checked:
    rows: list[PlotRow]
    areas: dict[int, Decimal]

    @property
    def errors(self) -> list[PlotError]:
        return [e for r in self.rows for e in r.errors]


def check_rows(rows: list[PlotRow]) -> Checked:
    seen: dict[str, int] = {}
    areas: dict[int, Decimal] = {}
    located: list[tuple[PlotRow, Any]] = []
    for r in rows:
        check_fields(r, seen)
        if not check_coordinates(r):
            continue
        shape = check_shape(r)
        if shape is None:
            continue
        area = check_area(r, shape)
        if area is not None:
            areas[r.row] = area
        located.append((r, shape))
    wanted = [(r, s) for r, s in located if r.country in CODES]
    points = [(s.representative_point().y, s.representative_point().x) for _r, s in wanted]
    for (r, _s), (code, place) in zip(wanted, place_country(points), strict=True):
        if code != r.country:
            r.error("country", _("the plot lies in %(found)s (nearest place %(place)s), not in %(declared)s")
                    % {"found": code, "place": place, "declared": r.country})  # fmt: skip
    return Checked(rows, areas)


def parse(name: str, data: bytes) -> list[PlotRow]:
    checked = POLICY.check(name, data)
    text = checked.data.decode("utf-8")
    rows = read_csv(text) if checked.name.lower().endswith(".csv") else read_geojson(text)
    if not rows:
        raise DomainError(_("%(name)s holds no plots.") % {"name": checked.name})
    if len(rows) > MAX_ROWS:
        raise DomainError(_("%(name)s holds %(n)s plots; upload at most %(max)s at a time.")
                          % {"name": checked.name, "n": len(rows), "max": MAX_ROWS})  # fmt: skip
    return rows


# --- importing and exporting -----------------------------------------------------------


def _stored(geometry: dict[str, Any]) -> dict[str, Any]:
    def text(c: Any) -> Any:
        return [text(x) for x in c] if isinstance(c, list) else str(c)

    return {"type": geometry["type"], "coordinates": text(geometry["coordinates"])}


def check_upload(user: AnyUser, covenant: Covenant, name: str, data: bytes) -> PlotUpload:
    """Check every row; import all plots if none has an error, else none (errors kept)."""
    org = require_active_member(user, covenant)
    if not eudr_applies(covenant):
        raise DomainError(_("This covenant's sector trades none of the EUDR's commodities."))
    checked = check_rows(parse(name, data))
    return do_upload(covenant, org, name, checked, user if isinstance(user, User) else None)


@transaction.atomic
def do_upload(
    covenant: Covenant, org: Organisation, name: str, checked: Checked, by: User | None
) -> PlotUpload:
    errors = checked.errors
    upload = PlotUpload.objects.create(
        covenant=covenant, organisation=org, name=name[:255], rows=len(checked.rows),
        errors=[e.as_dict() for e in errors], by=by,
    )  # fmt: skip
    if errors:
        return upload
    for r in checked.rows:
        assert r.geometry is not None
        Plot.objects.update_or_create(
            covenant=covenant, organisation=org, plot_id=r.plot_id,
            defaults={
                "upload": upload, "commodity": r.commodity, "country": r.country,
                "geometry": _stored(r.geometry), "area_ha": checked.areas[r.row],
                "supplier": r.supplier, "dds_reference": r.dds_reference,
                "upstream_references": r.upstream_references,
            },
        )  # fmt: skip
    return upload


def plots(user: AnyUser, covenant: Covenant) -> QuerySet[Plot]:
    return Plot.objects.visible_to(user).filter(covenant=covenant)


def _number_text(geometry: dict[str, Any]) -> str:
    """The geometry as JSON with the coordinates written exactly as uploaded."""

    def dump(c: Any) -> str:
        if isinstance(c, list):
            return "[" + ",".join(dump(x) for x in c) + "]"
        return str(Decimal(str(c)))

    return '{"type":%s,"coordinates":%s}' % (
        json.dumps(geometry["type"]),
        dump(geometry["coordinates"]),
    )


def geojson_bytes(rows: Sequence[Plot]) -> bytes:
    """A FeatureCollection as the EU information system takes it: per feature the
    producer's country and place, the area for points (ha), and our references."""
    features = []
    for p in rows:
        props: dict[str, Any] = {
            "ProducerName": p.supplier or p.organisation.name,
            "ProducerCountry": p.country,
            "ProductionPlace": p.plot_id,
            "Commodity": p.commodity,
        }
        if p.geometry["type"] == "Point":
            props["Area"] = float(p.area_ha)
        if p.dds_reference:
            props["DdsReference"] = p.dds_reference
        if p.upstream_references:
            props["UpstreamReferences"] = p.upstream_references
        features.append(
            '{"type":"Feature","properties":%s,"geometry":%s}'
            % (json.dumps(props, ensure_ascii=False, sort_keys=True), _number_text(p.geometry))
        )
    return ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()
