"""Our own exports (``mapper.export``) read back through the importers give the same incidents.

GeoJSON and GeoPackage carry every field, so every field comes back; the ACLED-layout CSV
carries ACLED's columns, so those fields come back (evidence becomes the row itself, the
licence becomes ACLED because the layout cannot tell our rows from ACLED's).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mapper import frames
from mapper.export import acled_frame, write_csv, write_geojson, write_gpkg
from mapper.importers import load_incidents
from mapper.importers.acled import ACLED_COLUMNS
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


def _write_and_read(items: list[Incident], name: str, write) -> list[Incident]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        write(frames.incidents_frame(items), path)
        back, report = load_incidents([path])
    assert report["files"][0]["rejected"] == 0, report["files"][0]["rejections"]
    return back


@settings(max_examples=15, deadline=None)
@given(st.lists(incidents(), min_size=1, max_size=5, unique_by=lambda i: i.id))
def test_geojson_export_reads_back_unchanged(items: list[Incident]) -> None:
    back = _write_and_read(items, "incidents.geojson",
                           lambda frame, path: write_geojson(frame, path, id_column="id"))
    assert back == items


@settings(max_examples=6, deadline=None)
@given(st.lists(incidents(), min_size=1, max_size=5, unique_by=lambda i: i.id))
def test_geopackage_export_reads_back_unchanged(items: list[Incident]) -> None:
    back = _write_and_read(items, "incidents.gpkg",
                           lambda frame, path: write_gpkg({"incidents": frame}, path))
    assert back == items


_ACTORS = ["Kata'ib Hezbollah", "Military Forces of the United States", "Syrian Democratic Forces",
           "Unidentified Armed Group (Iraq)"]
_ACLED_FIELDS = ("id", "event_type", "sub_event_type", "disorder_type", "method", "date_start",
                 "date_end", "time_precision", "location", "lat", "lon", "geo_precision", "country",
                 "admin1", "actor1", "actor2", "assoc_actors", "attribution", "target", "fatalities")


@st.composite
def acled_incidents(draw) -> Incident:
    """Incidents ACLED's layout can carry: dated, placed, not threats, 4-decimal points, and
    a period that is a day, a week around its middle, or a whole month."""
    base = draw(incidents())
    precision = draw(st.sampled_from([1, 2, 3]))
    day = base.date_start
    if precision == 1:
        start = end = day
    elif precision == 2:
        start, end = day - dt.timedelta(days=3), day + dt.timedelta(days=3)
    else:
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    assoc = draw(st.lists(st.sampled_from(_ACTORS), max_size=2, unique=True))
    # CSV text our export leaves as it is: no control characters, no leading =+-@ (which
    # mapper.safety neutralises against spreadsheet formulas)
    plain = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.'()/-]{0,60}", fullmatch=True).map(str.strip)
    evidence = [Evidence(doc_id="doc.txt", source=draw(plain), url="", quote=draw(plain),
                         start=0, end=5, origin="extracted")]
    return Incident(**{
        **{f: getattr(base, f) for f in ("id", "event_type", "sub_event_type", "disorder_type")},
        "location": draw(st.none() | plain), "admin1": draw(st.none() | plain),
        "evidence": evidence, "origin": "extracted",
        "method": draw(st.sampled_from(["", "rocket", "one-way drone"])), "is_threat": False,
        "date_start": start, "date_end": end, "time_precision": precision,
        "lat": round(base.lat or 0, 4), "lon": round(base.lon or 0, 4),
        "geo_precision": draw(st.integers(1, 3)), "country": draw(st.sampled_from(["IQ", "SY"])),
        "actor1": draw(st.sampled_from(_ACTORS)), "actor2": draw(st.none() | st.sampled_from(_ACTORS)),
        "assoc_actors": "; ".join(assoc) or None,
        "attribution": draw(st.none() | st.sampled_from(["claimed", "suspected"])),
        "target": draw(st.none() | st.sampled_from(["Ain al-Asad Air Base", "convoy"])),
        "fatalities": draw(st.integers(0, 50)), "licence": "own",
    })


@settings(max_examples=15, deadline=None)
@given(st.lists(acled_incidents(), min_size=1, max_size=5, unique_by=lambda i: i.id))
def test_acled_layout_export_reads_back_with_the_same_fields(items: list[Incident]) -> None:
    def write(frame, path):
        table, dropped = acled_frame(frame)
        assert not dropped
        write_csv(table, ACLED_COLUMNS, path)

    back = _write_and_read(items, "incidents.csv", write)
    assert [{f: getattr(i, f) for f in _ACLED_FIELDS} for i in back] == \
           [{f: getattr(i, f) for f in _ACLED_FIELDS} for i in items]
    for old, new in zip(items, back, strict=True):
        assert new.origin == "acled" and new.licence == "ACLED"
        assert (new.evidence[0].source, new.evidence[0].quote) == \
               (old.evidence[0].source or "ACLED", old.evidence[0].quote)
