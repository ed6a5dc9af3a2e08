"""Coordinates of production locations: reading, checking and distance.

A supplier list's coordinates are often wrong in recognisable ways: latitude
and longitude swapped, (0, 0) for "unknown", a point in another country, text
in the column. Such coordinates are dropped with a warning on the row (the row
itself is kept: name, address and country still match it). Coordinates that
pass become matching evidence (distance) and a blocking key (nearby cells).

The country check is coarse on purpose: each country is a few bounding boxes
(Natural Earth 1:110m subunits, shipped in `data/country_boxes.json`) widened
by `MARGIN_DEGREES`, so a point near a border or on a small island is not
rejected; a point on another continent is.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources

MARGIN_DEGREES = 0.5
EARTH_RADIUS_M = 6_371_000.0


@cache
def _boxes() -> dict[str, list[list[float]]]:
    text = resources.files("imvo.supplychain").joinpath("data/country_boxes.json").read_text()
    boxes: dict[str, list[list[float]]] = json.loads(text)["boxes"]
    return boxes


def in_country(country: str, lat: float, lng: float) -> bool | None:
    """Whether (lat, lng) lies in the country's (widened) boxes; None when the
    country has no box (then nothing can be said)."""
    boxes = _boxes().get((country or "").upper())
    if not boxes:
        return None
    m = MARGIN_DEGREES
    return any(b[0] - m <= lng <= b[2] + m and b[1] - m <= lat <= b[3] + m for b in boxes)


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_PAIR = re.compile(r"^\(?\s*([+-]?\d+(?:\.\d+)?)\s*[,;/ ]\s*([+-]?\d+(?:\.\d+)?)\s*\)?$")


def parse_number(text: str) -> float | None:
    """'52.37', '52,37', '+4.9' -> float; anything else (text, degrees-minutes) -> None."""
    text = (text or "").strip()
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", "."))


def split_pair(text: str) -> tuple[str, str] | None:
    """'52.37, 4.89' (one 'lat, lng' column) -> ('52.37', '4.89'); None if not a pair."""
    m = _PAIR.match((text or "").strip())
    return (m.group(1), m.group(2)) if m else None


def check(
    lat_text: str, lng_text: str, country: str | None
) -> tuple[float | None, float | None, list[str]]:
    """Validate one row's coordinates. Returns (lat, lng, warnings): the
    coordinates to keep (both None when they are unusable) and what was wrong,
    in words for the person who uploaded the list."""
    lat_text, lng_text = (lat_text or "").strip(), (lng_text or "").strip()
    if not lat_text and not lng_text:
        return None, None, []
    if not lat_text or not lng_text:
        return None, None, ["only one of latitude and longitude is given; coordinates left out"]
    lat, lng = parse_number(lat_text), parse_number(lng_text)
    bad = [
        f"'{t}' is not a {what} in decimal degrees"
        for t, v, what in ((lat_text, lat, "latitude"), (lng_text, lng, "longitude"))
        if v is None
    ]
    if lat is None or lng is None:
        return None, None, [f"{b}; coordinates left out" for b in bad]
    if lat == 0 and lng == 0:
        return None, None, ["coordinates 0, 0 mean 'unknown'; coordinates left out"]
    if not -90 <= lat <= 90 or not -180 <= lng <= 180:
        if -90 <= lng <= 90 and -180 <= lat <= 180:
            return _swap_or_drop(lat, lng, country, out_of_range=True)
        return (
            None,
            None,
            [
                f"{lat}, {lng} is out of range (latitude -90..90, longitude -180..180); coordinates left out"
            ],
        )
    inside = in_country(country or "", lat, lng)
    if inside is False:
        return _swap_or_drop(lat, lng, country, out_of_range=False)
    return lat, lng, []


def _swap_or_drop(
    lat: float, lng: float, country: str | None, out_of_range: bool
) -> tuple[float | None, float | None, list[str]]:
    """Latitude and longitude the wrong way round are a common slip: swap them
    when the swapped point lies in the row's country, else leave them out."""
    if in_country(country or "", lng, lat):
        return lng, lat, [f"latitude and longitude seem swapped ({lat}, {lng}); used {lng}, {lat}"]
    if out_of_range:
        return (
            None,
            None,
            [
                f"{lat}, {lng} is out of range (latitude -90..90, longitude -180..180); coordinates left out"
            ],
        )
    return None, None, [f"{lat}, {lng} lies outside {country}; coordinates left out"]


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
