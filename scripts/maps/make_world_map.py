"""Make the world map the public pages draw: src/imvo/supplychain/data/world_110m.json.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/maps/make_world_map.py package/countries-110m.json

Source: Natural Earth 1:110m admin-0 countries (public domain), as TopoJSON in
the npm package world-atlas 2.0.2 (ISC licence, Mike Bostock). The script
decodes the TopoJSON, drops Antarctica, projects every ring with the Equal
Earth projection (supplychain/map.py, the same function places the points),
rounds to 0.1 of a unit on a 1000-unit-wide canvas, drops repeated points and
rings smaller than a unit, and writes one SVG path per ISO 3166-1 alpha-2 code
(numeric ids through pycountry; Kosovo XK, Somaliland with Somalia and northern
Cyprus with Cyprus, as ISO counts them). Run once; the output is shipped with
the package, so the platform needs neither this script nor the network.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from imvo.supplychain.map import HEIGHT, WIDTH, project  # noqa: E402

NO_ID = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY"}


def rings(topology: dict, geometry: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            arc = decoded[i] if i >= 0 else decoded[~i][::-1]
            out.extend(arc if not out else arc[1:])
        return out

    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [ring(r) for polygon in polygons for r in polygon]


def unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring crossing the antimeridian (Russia, Fiji) made continuous in
    longitude, so it is not drawn across the whole map; past 180° it is clipped."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    for lon, lat in ring:
        if out and lon + shift - out[-1][0] > 180:
            shift -= 360
        elif out and lon + shift - out[-1][0] < -180:
            shift += 360
        out.append((lon + shift, lat))
    if sum(lon for lon, _ in out) / len(out) < -180:
        out = [(lon + 360, lat) for lon, lat in out]
    return out


def path(lonlat_rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for r in lonlat_rings:
        pts: list[tuple[float, float]] = []
        for lon, lat in unwrap(r):
            x, y = project(lat, lon)
            p = (round(x, 1), round(y, 1))
            if not pts or p != pts[-1]:
                pts.append(p)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        if len(pts) < 3 or (max(xs) - min(xs) < 1 and max(ys) - min(ys) < 1):
            continue
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in pts) + "Z")
    return "".join(parts)


def main() -> None:
    topology = json.loads(Path(sys.argv[1]).read_text())
    shapes: dict[str, str] = {}
    for g in topology["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        if name == "Antarctica":
            continue
        code = NO_ID.get(name) or pycountry.countries.get(numeric=g["id"]).alpha_2
        shapes[code] = shapes.get(code, "") + path(rings(topology, g))
    out = {
        "source": "Natural Earth 1:110m admin-0 countries (public domain), "
        "via world-atlas 2.0.2 (ISC); Equal Earth projection",
        "width": WIDTH,
        "height": HEIGHT,
        "countries": dict(sorted(shapes.items())),
    }
    target = ROOT / "src/imvo/supplychain/data/world_110m.json"
    target.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"{len(shapes)} countries, {target.stat().st_size:,} bytes -> {target}")


if __name__ == "__main__":
    main()
