"""Name search: the ranking traps, filters, variants, fuzzy matching, names() and a property."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import Gazetteer
from gazetteer.errors import GazetteerQueryError
from gazetteer.normalize import fold, name_key


def _top(gaz: Gazetteer, name: str, **kw):
    hits = gaz.search(name, **kw)
    assert hits, name
    return hits[0]


@pytest.mark.parametrize("name,cc", [("Lebanon", "LB"), ("Jordan", "JO")])
def test_countries_beat_same_named_towns(gaz: Gazetteer, name: str, cc: str) -> None:
    hits = gaz.search(name, limit=None)
    assert hits[0].place.place_id == f"cc:{cc}" and hits[0].how == "country"
    towns = [h for h in hits if h.place.feature_class == "P" and h.place.country_code != cc]
    assert towns, "the trap is real: same-named towns exist elsewhere"
    assert all(t.score < hits[0].score for t in towns)


def test_anbar_is_the_iraqi_province_not_ambar_in_turkey(gaz: Gazetteer) -> None:
    hits = gaz.search("Anbar", limit=None)
    assert hits[0].place.feature_code == "ADM1" and hits[0].place.country_code == "IQ"
    assert any(h.place.country_code == "TR" for h in hits[1:])  # Ambar is a candidate, below


def test_mosul_is_the_city_not_the_province_listing_it(gaz: Gazetteer) -> None:
    hits = gaz.search("Mosul", limit=None)
    assert hits[0].place.feature_class == "P" and hits[0].place.country_code == "IQ"
    province = [h for h in hits if h.place.feature_code == "ADM1"]
    assert province and province[0].place.country_code == "IQ" and province[0].score < hits[0].score


@pytest.mark.parametrize("name", ["Basra", "Kirkuk", "Erbil", "Karbala", "Baghdad"])
def test_city_beats_the_province_named_after_it(gaz: Gazetteer, name: str) -> None:
    hits = gaz.search(name, limit=5)
    assert hits[0].place.feature_class == "P"
    assert any(h.place.feature_code == "ADM1" for h in hits[1:])


def test_kurdistan(gaz: Gazetteer) -> None:
    assert _top(gaz, "Kurdistan", country="IQ").place.place_id == "ov:kurdistan-region"
    hits = gaz.search("Kurdistan", limit=None)
    assert hits[0].place.place_id == "ov:kurdistan-region"
    assert any(h.place.country_code == "IR" and h.place.feature_code == "ADM1" for h in hits)
    assert _top(gaz, "Kurdistan", country="IR").place.country_code == "IR"


@pytest.mark.parametrize("a,b", [("Deir ez-Zor", "Deir ez Zor"), ("Al-Qa'im", "Al-Qa’im"),
                                 ("Al-Bukamal", "al bukamal"), ("Sulaymaniyah", "SULAYMANIYAH"),
                                 ("Ramadi", "Ar-Ramadi"), ("Najaf", "An Najaf"), ("Anbar", "al-Anbar")])
def test_spelling_variants_reach_the_same_place(gaz: Gazetteer, a: str, b: str) -> None:
    assert _top(gaz, a).place.place_id == _top(gaz, b).place.place_id


def test_arabic_script(gaz: Gazetteer) -> None:
    assert _top(gaz, "بغداد").place.place_id == _top(gaz, "Baghdad").place.place_id
    assert _top(gaz, "الموصل").place.place_id == _top(gaz, "Mosul").place.place_id


def test_fuzzy_only_when_asked_and_scored_lower(gaz: Gazetteer) -> None:
    assert gaz.search("Fallujahh") == []
    hit = _top(gaz, "Fallujahh", fuzzy=True)
    exact = _top(gaz, "Fallujah")
    assert hit.how == "fuzzy" and hit.place.place_id == exact.place.place_id
    assert hit.score < exact.score


def test_filters(gaz: Gazetteer) -> None:
    assert all(h.place.country_code == "US" for h in gaz.search("Lebanon", country="us", limit=None))
    assert all(h.place.feature_class == "A" for h in gaz.search("Basra", feature_class="A"))
    box = (38.0, 29.0, 49.0, 38.0)  # west, south, east, north: Iraq and around
    hits = gaz.search("Basra", bbox=box, limit=None)
    assert hits and all(38 <= h.place.lon <= 49 and 29 <= h.place.lat <= 38 for h in hits)
    assert not [h for h in hits if h.place.country_code == "PK"]


@pytest.mark.parametrize("kw,shown", [({"country": "Iraq"}, "'Iraq'"), ({"feature_class": "X"}, "'X'"),
                                      ({"bbox": (1, 2, 3)}, "(1, 2, 3)"),
                                      ({"bbox": (0, 10, 5, 5)}, "(0, 10, 5, 5)"), ({"limit": 0}, "0")])
def test_bad_filters_name_the_value(gaz: Gazetteer, kw: dict, shown: str) -> None:
    with pytest.raises(GazetteerQueryError, match=r"\(|'|0") as err:
        gaz.search("Mosul", **kw)
    assert shown in str(err.value)


def test_limit_none_returns_every_candidate(gaz: Gazetteer) -> None:
    assert len(gaz.search("Lebanon", limit=None)) > len(gaz.search("Lebanon", limit=3)) == 3


def test_names_cover_alternates_and_article_variants(gaz: Gazetteer) -> None:
    entries = {e.key: e for e in gaz.names(latin_only=True) if e.key in
               {"fallujah", "anbar", "al anbar", "basra", "lebanon", "ain al asad"}}
    assert set(entries) == {"fallujah", "anbar", "al anbar", "basra", "lebanon", "ain al asad"}
    assert "A" in entries["lebanon"].feature_classes and "P" in entries["lebanon"].feature_classes
    assert entries["lebanon"].n_places > 1 and entries["basra"].max_population > 1_000_000


def test_us_counties(gaz: Gazetteer) -> None:
    hit = _top(gaz, "Cook County, Illinois").place
    assert (hit.feature_code, hit.country_code, hit.admin1) == ("ADM2", "US", "Illinois")
    # Census 2017 county polygon of Cook County (FIPS 17031) holds Chicago's Loop (41.88, -87.63)
    assert abs(hit.lat - 41.88) < 0.5 and abs(hit.lon + 87.63) < 0.6
    assert {h.place.admin1 for h in gaz.search("Cook County", limit=None)} >= {"Illinois", "Georgia"}


def test_get_round_trips(gaz: Gazetteer) -> None:
    top = _top(gaz, "Tikrit").place
    assert gaz.get(top.place_id) == top
    assert gaz.get("gn:0") is None


@pytest.fixture(scope="module")
def all_ids(gaz: Gazetteer) -> list[str]:
    return gaz.place_ids()


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_place_is_found_by_its_own_name(gaz: Gazetteer, all_ids: list[str], data: st.DataObject) -> None:
    place = gaz.get(all_ids[data.draw(st.integers(0, len(all_ids) - 1))])
    assert place is not None
    if len(name_key(place.name)) >= 2:
        assert place.place_id in {c.place.place_id for c in gaz.search(place.name, limit=None)}


@given(st.text(max_size=40))
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)
