"""The source readers' admin-1 names and keys: Natural Earth's quirks do not leak into the index."""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer, sources


@pytest.fixture(scope="module")
def admin1() -> dict[str, sources.SourcePlace]:
    return {p.place_id: p for p in sources.read_admin1()}


@pytest.fixture(scope="module")
def cities() -> dict[str, sources.SourcePlace]:
    capitals = {cc: c.get("capital", "") for cc, c in sources.geonames_countries().items()}
    return {p.place_id: p for p in sources.read_cities(capitals)}


def test_district_of_columbia_is_not_named_washington(admin1: dict[str, sources.SourcePlace]) -> None:
    # Natural Earth's English name of the District is "Washington", the state's own name.
    dc, state = admin1["ne:USA-3556"], admin1["ne:USA-3519"]
    assert dc.name == "District of Columbia"
    assert "Washington" not in {n for n, _ in dc.names}
    assert "واشنطن" not in {n for n, _ in dc.names}  # the state's Arabic name too
    assert {"DC", "D.C."} <= {n for n, _ in dc.names}
    assert state.name == "Washington" and "Washington" in {n for n, _ in state.names}
    assert sources.admin1_names()["US.DC"] == "District of Columbia"
    assert sources.admin1_names()["US.WA"] == "Washington"


def test_a_unit_keeps_translations_nobody_else_owns(admin1: dict[str, sources.SourcePlace]) -> None:
    misrata = admin1["ne:LBY-2970"]  # NE name "Misratah", English "Misrata"
    assert misrata.name == "Misrata"
    assert {"Misratah", "Misrata"} <= {n for n, how in misrata.names if how == sources.HOW_PRIMARY}


@pytest.mark.parametrize(("text", "names"), [
    ("Misrata, Misurata", ["Misrata", "Misurata"]),
    ("Dibay|Doubaï|Dubai, Dubayy", ["Dibay", "Doubaï", "Dubai", "Dubayy"]),
    ("WA|Wash.", ["WA", "Wash."]),
    ("Southern Nations, Nationalities, and People's Region",
     ["Southern Nations, Nationalities, and People's Region"]),
    ("", []),
])
def test_natural_earth_alternate_names_split_on_commas(text: str, names: list[str]) -> None:
    assert sources.split_alternate_names(text) == names


def test_comma_separated_alternates_are_indexed_one_by_one(admin1: dict[str, sources.SourcePlace]) -> None:
    weak = {n for n, how in admin1["ne:LBY-2970"].names if how == sources.HOW_WEAK}
    assert weak == {"Misrata", "Misurata"}
    assert "Sebha" in {n for n, _ in admin1["ne:LBY-2971"].names}


def test_admin1_keys_natural_earth_gives_to_other_units_are_dropped(
        cities: dict[str, sources.SourcePlace]) -> None:
    # GeoNames' FR.11 is Ile-de-France; Natural Earth's FR.11 is the department of Aude.
    paris = cities["gn:2988507"]
    assert paris.admin1_code not in ("", "FR.11")  # the unit that contains it instead
    assert sources.admin1_names().get(paris.admin1_code, "") != "Aude"
    assert cities["gn:5809844"].admin1_code == "US.WA"  # Seattle: the keys agree
    assert cities["gn:99072"].admin1_code.startswith("IQ.")  # Mosul


def test_admin1_keys_natural_earth_does_not_have_are_dropped(
        cities: dict[str, sources.SourcePlace]) -> None:
    # GeoNames keys British towns by nation (GB.ENG) and Italian ones by region (IT.20, Veneto);
    # Natural Earth's units there are counties and provinces with other keys, so these never join.
    assert "GB.ENG" not in sources.ne_admin1_keys()
    assert cities["gn:5809844"].admin1_code == "US.WA"  # joined keys stay
    # Manchester and Venice get the key of the unit that contains them
    assert (cities["gn:2643123"].admin1_code, cities["gn:3164603"].admin1_code) == ("GB.I2", "IT.VE")


def test_london_boroughs_share_no_key(cities: dict[str, sources.SourcePlace]) -> None:
    # Natural Earth gives every London borough the key "GB."; Twickenham is not in Barking
    # and Dagenham (the first of them), nor in Surrey, the nearest keyed unit.
    assert not sources.valid_admin1_key("GB.") and sources.valid_admin1_key("GB.I2")
    assert "GB." not in sources.admin1_names()
    assert cities["gn:2635308"].admin1_code == ""


def test_a_coastal_city_just_off_its_simplified_unit_gets_the_nearest(
        cities: dict[str, sources.SourcePlace]) -> None:
    genoa = cities["gn:3176219"]
    assert genoa.admin1_code == "IT.GE"
    assert sources.containing_admin1_keys(["IT", "FR"], [44.41, 44.41], [8.93, 8.93]) == ["IT.GE", ""]


def test_only_the_capital_itself_is_a_capital(cities: dict[str, sources.SourcePlace]) -> None:
    washingtons = [p for p in cities.values() if p.country_code == "US" and p.name == "Washington"]
    assert len(washingtons) > 3
    assert [p.place_id for p in washingtons if p.feature_code == "PPLC"] == ["gn:4140963"]


def test_the_index_has_the_fixed_names_and_admin1(gaz: Gazetteer) -> None:
    paris = gaz.get("gn:2988507")
    assert paris is not None and paris.admin1 == "Paris"  # the department, not Aude
    dc = gaz.get("gn:4140963")
    assert dc is not None and dc.admin1 == "District of Columbia"
    assert "ne:USA-3556" not in {c.place.place_id for c in gaz.search("Washington", limit=50)}
    assert "ne:LBY-2970" in {c.place.place_id for c in gaz.search("Misurata", limit=10)}
    # towns whose GeoNames key does not join get the Natural Earth unit that contains them
    for gid, unit in (("gn:2643123", "Manchester"), ("gn:2652618", "Essex"), ("gn:3164603", "Venice")):
        town = gaz.get(gid)
        assert town is not None and town.admin1 == unit, (gid, town)
    ocean = gaz.search("North Atlantic", limit=1)[0].place  # not the Atlantic's equator point
    assert (ocean.place_id, ocean.lat > 20) == ("ov:north-atlantic", True)
    castle = gaz.search("Windsor Castle", limit=1)[0].place
    assert (castle.place_id, castle.country_code) == ("ov:windsor-castle", "GB")
