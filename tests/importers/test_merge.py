"""Merging reports of one event from articles and datasets; keeping distinct events apart."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.importers.common import country_radius_km
from mapper.merge import merge_incidents, merge_incidents_detailed
from mapper.model import Evidence, Incident

AIN_AL_ASAD = (33.7856, 42.4412)  # (lat, lon)
ERBIL = (36.2378, 43.9632)
DAY = dt.date(2024, 1, 20)


def report(id_: str, *, origin: str = "extracted", day: dt.date = DAY, latlon=AIN_AL_ASAD,
           method: str = "rocket", sub: str = "Shelling/artillery/missile attack",
           geo_precision: int = 1, uncertainty_km: float | None = 2.0, fatalities: int | None = 0,
           is_threat: bool = False, doc: str | None = None, actor1: str | None = None,
           licence: str = "own", end: dt.date | None = None) -> Incident:
    lat, lon = latlon
    return Incident(
        id=id_, event_type="Explosions/Remote violence", sub_event_type=sub, method=method,
        is_threat=is_threat, date_start=day, date_end=end or day, time_precision=1,
        location="Ain al-Asad Air Base", lat=lat, lon=lon, geo_precision=geo_precision,
        uncertainty_km=uncertainty_km, country="IQ", actor1=actor1, fatalities=fatalities,
        origin=origin, licence=licence,  # type: ignore[arg-type]
        evidence=[Evidence(doc_id=doc or f"{id_}.txt", source=f"source of {id_}", url="",
                           quote=f"quote of {id_}", start=0 if origin == "extracted" else None,
                           end=10 if origin == "extracted" else None, origin=origin)])  # type: ignore[arg-type]


def one_attack() -> list[Incident]:
    """Two articles and a row of the user's CSV about the same rocket attack."""
    return [
        report("IM-a1", fatalities=2, actor1="Islamic Resistance in Iraq"),
        report("IM-a2", day=DAY + dt.timedelta(days=1), latlon=(33.80, 42.43), fatalities=None,
               actor1="Kata'ib Hezbollah"),
        report("IM-c1", origin="csv", method="", latlon=(33.7860, 42.4410), fatalities=0,
               doc="mine.csv#4", licence="user"),
    ]


def test_two_articles_and_a_csv_row_of_one_attack_become_one_incident() -> None:
    merged, count = merge_incidents(one_attack())
    assert count == 2
    [incident] = merged
    assert {e.doc_id for e in incident.evidence} == {"IM-a1.txt", "IM-a2.txt", "mine.csv#4"}
    assert {e.origin for e in incident.evidence} == {"extracted", "csv"}
    assert incident.fatalities == 0  # the lowest figure
    assert incident.actor1 == "Islamic Resistance in Iraq"
    assert incident.assoc_actors == "Kata'ib Hezbollah"
    assert incident.licence == "own; user"


def test_conflicting_values_are_kept_with_their_sources() -> None:
    result = merge_incidents_detailed(one_attack())
    by_field = {c["field"]: c for c in result.conflicts}
    assert set(by_field) >= {"fatalities", "actor1", "date_start"}
    fatalities = {v["value"]: v["doc_ids"] for v in by_field["fatalities"]["values"]}
    assert fatalities == {"2": ["IM-a1.txt"], "0": ["mine.csv#4"]}
    assert result.groups == 1 and result.merged == 2


def test_two_attacks_on_the_same_base_on_different_days_stay_apart() -> None:
    merged, count = merge_incidents([report("IM-x"), report("IM-y", day=DAY + dt.timedelta(days=3))])
    assert count == 0 and [i.id for i in merged] == ["IM-x", "IM-y"]


def test_dates_one_day_apart_still_match_but_two_days_do_not() -> None:
    assert merge_incidents([report("IM-x"), report("IM-y", day=DAY + dt.timedelta(days=1))])[1] == 1
    assert merge_incidents([report("IM-x"), report("IM-y", day=DAY + dt.timedelta(days=2))])[1] == 0


def test_other_method_family_other_place_or_a_threat_stay_apart() -> None:
    drone = report("IM-d", method="one-way drone", sub="Air/drone strike")
    erbil = report("IM-e", latlon=ERBIL)
    threat = report("IM-t", method="threat", sub="Other", is_threat=True)
    merged, count = merge_incidents([report("IM-r"), drone, erbil, threat])
    assert count == 0 and len(merged) == 4


def test_rows_of_one_curated_dataset_are_never_merged_with_each_other() -> None:
    rows = [report(f"IM-u{n}", origin="ucdp", doc=f"ged.csv#{n}") for n in (1, 2)]
    assert merge_incidents(rows)[1] == 0
    gdelt = [report(f"IM-g{n}", origin="gdelt", doc=f"events.CSV#{n}") for n in (1, 2)]
    assert merge_incidents(gdelt)[1] == 1  # GDELT counts reports, not events


def test_an_imprecise_report_takes_the_place_of_the_precise_one() -> None:
    country = report("IM-g", origin="gdelt", latlon=(33.0, 44.0), geo_precision=3,
                     uncertainty_km=country_radius_km("IQ"), doc="events.CSV#1")
    [incident], count = merge_incidents([country, report("IM-a")])
    assert count == 1
    assert (incident.lat, incident.lon, incident.geo_precision) == (*AIN_AL_ASAD, 1)


def test_complete_linkage_keeps_two_precise_events_apart_through_a_vague_one() -> None:
    vague = report("IM-0", origin="gdelt", latlon=(33.0, 44.0), geo_precision=3,
                   uncertainty_km=country_radius_km("IQ"), doc="events.CSV#1")
    far = report("IM-2", latlon=(34.6, 43.7))  # 150 km from Ain al-Asad, within Iraq's radius
    merged, count = merge_incidents([report("IM-1"), vague, far])
    assert count == 1 and len(merged) == 2


def test_the_same_id_twice_is_one_incident() -> None:
    row = report("IM-u1", origin="ucdp", doc="ged.csv#1")
    merged, count = merge_incidents([row, row])
    assert count == 1 and len(merged) == 1 and len(merged[0].evidence) == 1


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(6)))
def test_the_result_does_not_depend_on_input_order(order: list[int]) -> None:
    items = [*one_attack(), report("IM-y", day=DAY + dt.timedelta(days=3)),
             report("IM-e", latlon=ERBIL), report("IM-d", method="drone", sub="Air/drone strike")]
    baseline, _ = merge_incidents(items)
    shuffled, _ = merge_incidents([items[i] for i in order])
    assert shuffled == baseline


def test_reports_in_two_countries_never_merge() -> None:
    """Strikes a few km apart on both sides of the Iraq-Syria border stay two events."""
    qaim = report("IM-q", method="airstrike", sub="Air/drone strike", latlon=(34.37, 41.09),
                  uncertainty_km=25.0)
    bukamal = replace(report("IM-b", method="airstrike", sub="Air/drone strike",
                             latlon=(34.45, 40.92), uncertainty_km=25.0), country="SY")
    merged, count = merge_incidents([qaim, bukamal])
    assert (count, len(merged)) == (0, 2)
    same_side = replace(bukamal, country="IQ")
    assert merge_incidents([qaim, same_side])[1] == 1  # the border rule is what keeps them apart
