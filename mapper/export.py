"""PLACEHOLDER (map/export work, issue 6): write the run's outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mapper.render import build_map, to_html


def write_outputs(result: Any, out_dir: Path, **options: Any) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    p = out_dir / "map.html"
    p.write_text(to_html(build_map(result)), encoding="utf-8")
    written.append(p)
    for name, frame in (("incidents", result.incidents), ("places", result.places)):
        p = out_dir / f"{name}.geojson"
        frame.to_file(p, driver="GeoJSON", RFC7946="YES", COORDINATE_PRECISION=6)
        written.append(p)
    p = out_dir / "mentions.csv"
    result.mentions.drop(columns="geometry").to_csv(p, index=False)
    written.append(p)
    p = out_dir / "report.json"
    p.write_text(json.dumps(result.report, indent=2, sort_keys=True), encoding="utf-8")
    written.append(p)
    return written
