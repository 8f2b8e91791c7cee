"""Our own exports read back through the importers give the same incidents."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mapper import frames
from mapper.importers import load_incidents
from mapper.importers.common import crosswalks
from mapper.model import Evidence, Incident

_TAXONOMY = [(t, s) for t, subs in crosswalks()["acled_taxonomy"].items() for s in subs]
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s == s.strip() and s)
_opt_text = st.none() | _text


@st.composite
def incidents(draw) -> Incident:
    event_type, sub = draw(st.sampled_from(_TAXONOMY))
    start = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
    origin = draw(st.sampled_from(["extracted", "acled", "ucdp", "gdelt", "csv"]))
    quotes = draw(st.lists(st.text(max_size=80), min_size=1, max_size=3))
    return Incident(
        id="IM-" + draw(st.text("0123456789abcdef", min_size=16, max_size=16)),
        event_type=event_type, sub_event_type=sub,
        disorder_type=crosswalks()["acled_taxonomy"][event_type][sub],
        method=draw(st.sampled_from(["", "rocket", "one-way drone", "IED"])),
        is_threat=draw(st.booleans()), cameo_code=draw(st.none() | st.sampled_from(["194", "1952"])),
        date_start=start, date_end=start + dt.timedelta(days=draw(st.integers(0, 30))),
        time_precision=draw(st.none() | st.integers(1, 3)),
        location=draw(_opt_text), place_id=draw(_opt_text),
        lat=round(draw(st.floats(-89, 89)), 6), lon=round(draw(st.floats(-179, 179)), 6),
        geo_precision=draw(st.none() | st.integers(1, 3)),
        uncertainty_km=draw(st.none() | st.sampled_from([2.0, 25.0, 100.0, 373.5])),
        country=draw(st.none() | st.sampled_from(["IQ", "SY", "IR"])), admin1=draw(_opt_text),
        actor1=draw(_opt_text), actor2=draw(_opt_text), assoc_actors=draw(_opt_text),
        attribution=draw(st.none() | st.sampled_from(["claimed", "suspected"])),
        target=draw(_opt_text), fatalities=draw(st.none() | st.integers(0, 500)),
        confidence=draw(st.none() | st.sampled_from([0.25, 0.5, 0.9])),
        origin=origin, licence=draw(st.sampled_from(["own", "ACLED", "user"])),
        evidence=[Evidence(doc_id=f"doc{n}.txt", source=draw(st.text(max_size=20)), url="",
                           quote=q, start=n, end=n + len(q), origin=origin)
                  for n, q in enumerate(quotes)],
    )


def _write_and_read(items: list[Incident], suffix: str, driver: str, **options) -> list[Incident]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"incidents{suffix}"
        frames.incidents_frame(items).to_file(path, driver=driver, **options)
        back, report = load_incidents([path])
    assert report["files"][0]["rejected"] == 0, report["files"][0]["rejections"]
    return back


@settings(max_examples=25, deadline=None)
@given(st.lists(incidents(), min_size=1, max_size=5, unique_by=lambda i: i.id))
def test_geojson_export_reads_back_unchanged(items: list[Incident]) -> None:
    back = _write_and_read(items, ".geojson", "GeoJSON", RFC7946="YES", COORDINATE_PRECISION=6)
    assert back == items


@settings(max_examples=10, deadline=None)
@given(st.lists(incidents(), min_size=1, max_size=5, unique_by=lambda i: i.id))
def test_geopackage_export_reads_back_unchanged(items: list[Incident]) -> None:
    assert _write_and_read(items, ".gpkg", "GPKG", layer="incidents") == items
