"""The seed run (issue 2 item 8, issue 5): the attacks the five seed articles locate.

Reads the seed articles from ../shared/seeds (skipped when that folder is absent); seed 002
carries no date, so the test passes its publication date (about 2022-01-14) as ``published``.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from mapper.documents import read_file
from mapper.model import Document

from .conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def seed_incidents(extractor, name: str, published: dt.date | None = None):
    (doc,) = [d for d in read_file(SEEDS / name) if isinstance(d, Document)]
    if published is not None:
        doc = Document(doc.doc_id, doc.text, doc.title, doc.url, published, doc.source_path, doc.metadata)
    return extractor.process(doc).incidents


def near(inc, place, gold_places, limit=25.0):
    return inc.lat is not None and km(inc.lat, inc.lon, *gold_places[place]) <= limit


def test_mortars_near_the_embassy_and_rockets_at_basrah_airport(extractor, gold_places):
    incidents = seed_incidents(extractor, "000_fee5773d970ca1cd.txt")
    mortars = [i for i in incidents if i.method == "mortar"]
    rockets = [i for i in incidents if i.method == "rocket"]
    assert len(mortars) == 1 and near(mortars[0], "Embassy of the United States Baghdad", gold_places)
    assert mortars[0].geo_precision == 2  # "landed near"
    assert len(rockets) == 1 and near(rockets[0], "Basrah International Airport", gold_places, limit=5)
    for inc in (mortars[0], rockets[0]):
        assert inc.actor1 == "Iran-backed militias" and inc.attribution == "suspected"  # "likely"
    assert not any(i.country == "IR" for i in incidents)  # "Iranian proxies" is no place


def test_january_2022_rocket_attack_on_the_embassy(extractor, gold_places):
    incidents = seed_incidents(extractor, "002_7a6ba5aa978cfd90.txt", published=dt.date(2022, 1, 14))
    (rocket,) = [i for i in incidents if i.method == "rocket"]
    assert near(rocket, "Embassy of the United States Baghdad", gold_places)
    assert (rocket.date_start, rocket.date_end, rocket.time_precision) == (dt.date(2022, 1, 13),) * 2 + (1,)


def test_january_2020_us_strike_near_baghdad_airport_is_one_incident(extractor, gold_places):
    incidents = seed_incidents(extractor, "002_7a6ba5aa978cfd90.txt", published=dt.date(2022, 1, 14))
    strikes = [i for i in incidents if i.method == "airstrike" and i.date_start and i.date_start.year == 2020]
    (strike,) = strikes  # three sentences mention it: one incident with three quotes
    assert near(strike, "Baghdad International Airport", gold_places)
    assert strike.actor1 == "Military Forces of the United States"
    assert (strike.date_start, strike.date_end) == (dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assert len(strike.evidence) == 3 and strike.fatalities == 2


def test_hypotheticals_are_not_incidents_and_threats_are_threats(extractor):
    incidents = seed_incidents(extractor, "002_7a6ba5aa978cfd90.txt", published=dt.date(2022, 1, 14))
    quotes = " ".join(e.quote for i in incidents for e in i.evidence)
    assert "wave of drone attacks" not in quotes and "new weapons system" not in quotes
    (threat,) = seed_incidents(extractor, "001_329275816b2f3c0e.txt")
    assert threat.is_threat and threat.actor1 == "Hezbollah" and threat.location == "Tel Aviv"
    kh = [i for i in seed_incidents(extractor, "004_0e3b2a0375aa3430.txt") if i.is_threat]
    assert [(i.actor1, i.country, i.method) for i in kh] == [("Kata'ib Hezbollah", "IQ", "threat")]
