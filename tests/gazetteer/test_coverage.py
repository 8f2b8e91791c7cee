"""Coverage the geoparser needs beyond towns: continents, world regions, seas and rivers,
landmark metonyms, the countries of the UK, country aliases; GeoNames ids and admin-1 flags."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from gazetteer import Gazetteer, sources
from gazetteer.core import haversine_km
from gazetteer.errors import GazetteerDataError


def _top(gaz: Gazetteer, name: str):
    hits = gaz.search(name)
    assert hits, name
    return hits[0]


@pytest.mark.parametrize("name,geonames_id", [
    ("Europe", 6255148), ("Africa", 6255146), ("Asia", 6255147), ("North America", 6255149),
    ("South America", 6255150), ("Oceania", 6255151),  # "Antarctica" is the country AQ first
])
def test_continents_are_the_geonames_records(gaz: Gazetteer, name: str, geonames_id: int) -> None:
    top = _top(gaz, name)
    assert top.place.feature_code == "CONT" and top.place.feature_class == "L"
    assert top.place.place_id == f"gn:{geonames_id}" and top.place.geonames_id == geonames_id


def test_continents_beat_same_named_towns(gaz: Gazetteer) -> None:
    hits = gaz.search("Asia", limit=None)
    assert hits[0].place.feature_code == "CONT"
    assert any(h.place.country_code == "PH" and h.place.feature_class == "P" for h in hits[1:])


@pytest.mark.parametrize("name,slug,member", [
    ("Middle East", "middle-east", "IQ"), ("the Middle East", "middle-east", "SY"),
    ("Western Europe", "western-europe", "FR"), ("Southeast Asia", "southeast-asia", "TH"),
    ("Latin America", "latin-america", "BR"), ("Levant", "levant", "LB"),
    ("Balkans", "balkans", "RS"), ("Caucasus", "caucasus", "GE"), ("Scandinavia", "scandinavia", "SE"),
    ("Sub-Saharan Africa", "sub-saharan-africa", "NG"), ("Central Asia", "central-asia", "KZ"),
    ("North Africa", "north-africa", "LY"), ("Persian Gulf region", "gulf-states", "SA"),
    ("Korean Peninsula", "korean-peninsula", "KP"), ("Sahel", "sahel", "ML"),
])
def test_world_regions(gaz: Gazetteer, name: str, slug: str, member: str) -> None:
    top = _top(gaz, name)
    assert top.place.place_id == f"ov:{slug}" and top.place.feature_class == "L"
    assert top.place.feature_code == "RGN"
    region = gaz.geometry(top.place.place_id)
    assert region is not None and region.contains(Point(top.place.lon, top.place.lat))
    members = gaz.countries()
    country = members[members["country_code"] == member].geometry.iloc[0]
    assert region.contains(country.representative_point())


def test_middle_east_is_the_region_not_the_us_hamlet(gaz: Gazetteer) -> None:
    hits = gaz.search("Middle East", limit=None)
    assert hits[0].place.place_id == "ov:middle-east"
    # a region of whole countries carries their summed GeoNames populations
    table = {cc: gaz.get(f"cc:{cc}").population for cc in ("IQ", "SY", "EG", "TR", "IR")}
    assert hits[0].place.population > sum(table.values())
    hamlets = [h for h in hits if h.place.country_code == "US" and h.place.feature_class == "P"]
    assert hamlets and all(h.score < hits[0].score for h in hamlets)


@pytest.mark.parametrize("name,slug,code,lat,lon,km", [
    ("Mediterranean Sea", "mediterranean", "SEA", 35.0, 18.0, 1),
    ("Mediterranean", "mediterranean", "SEA", 35.0, 18.0, 1),
    ("Red Sea", "red-sea", "SEA", 22.0, 38.0, 1),  # not Egypt's Red Sea governorate
    ("Persian Gulf", "persian-gulf", "GULF", 26.0, 52.0, 1),
    ("Arabian Gulf", "persian-gulf", "GULF", 26.0, 52.0, 1),
    ("the Gulf", "persian-gulf", "GULF", 26.0, 52.0, 1),
    ("Gulf of Aden", "gulf-of-aden", "GULF", 12.0, 48.0, 1),
    ("Strait of Hormuz", "strait-of-hormuz", "STRT", 26.57, 56.25, 5),
    ("Bab el-Mandeb", "bab-el-mandeb", "STRT", 12.58, 43.33, 5),
    ("Black Sea", "black-sea", "SEA", 44.0, 35.0, 1),
    ("Caspian Sea", "caspian-sea", "LK", 41.67, 50.67, 5),
    ("Atlantic", "atlantic", "OCN", 0.0, -25.0, 1),
    ("Indian Ocean", "indian-ocean", "OCN", -20.0, 80.0, 1),
    ("South China Sea", "south-china-sea", "SEA", 12.0, 113.0, 1),
    ("Euphrates", "euphrates", "STM", 35.33, 40.14, 20),  # drawn at Deir ez-Zor
    ("Tigris", "tigris", "STM", 33.34, 44.40, 20),  # drawn at Baghdad
    ("Nile", "nile", "STM", 15.55, 32.53, 30),  # drawn at Khartoum
])
def test_seas_gulfs_straits_rivers(gaz: Gazetteer, name: str, slug: str, code: str,
                                   lat: float, lon: float, km: float) -> None:
    top = _top(gaz, name)
    assert top.place.place_id == f"ov:{slug}" and top.place.feature_class == "H"
    assert top.place.feature_code == code
    assert float(haversine_km(lat, lon, top.place.lat, top.place.lon)) < km


@pytest.mark.parametrize("name,slug,lat,lon", [
    ("White House", "white-house", 38.8977, -77.0365),  # en.wikipedia.org/wiki/White_House
    ("the Pentagon", "pentagon", 38.8719, -77.0563),  # en.wikipedia.org/wiki/The_Pentagon
    ("Capitol Hill", "us-capitol", 38.8899, -77.0091),  # en.wikipedia.org/wiki/United_States_Capitol
    ("Kremlin", "kremlin", 55.7520, 37.6175),  # en.wikipedia.org/wiki/Moscow_Kremlin
    ("Downing Street", "downing-street", 51.5034, -0.1276),  # en.wikipedia.org/wiki/10_Downing_Street
    ("Élysée", "elysee", 48.8704, 2.3167),  # en.wikipedia.org/wiki/Élysée_Palace
    ("Wall Street", "wall-street", 40.7060, -74.0088),  # en.wikipedia.org/wiki/Wall_Street
])
def test_landmark_metonyms(gaz: Gazetteer, name: str, slug: str, lat: float, lon: float) -> None:
    top = _top(gaz, name)
    assert top.place.place_id == f"ov:{slug}"
    assert float(haversine_km(lat, lon, top.place.lat, top.place.lon)) < 1


@pytest.mark.parametrize("name,slug,cc", [
    ("Golan Heights", "golan-heights", "SY"), ("Sinai", "sinai-peninsula", "EG"),
    ("Donbas", "donbas", "UA"), ("Darfur", "darfur", "SD"), ("Eastern Ghouta", "eastern-ghouta", "SY"),
    ("Ghouta", "eastern-ghouta", "SY"),
])
def test_conflict_areas(gaz: Gazetteer, name: str, slug: str, cc: str) -> None:
    top = _top(gaz, name)
    assert top.place.place_id == f"ov:{slug.replace('sinai-peninsula', 'sinai')}"
    countries = gaz.countries()
    country = countries[countries["country_code"] == cc].geometry.iloc[0]
    assert country.buffer(0.2).contains(Point(top.place.lon, top.place.lat))


def test_kashmir_spans_india_and_pakistan(gaz: Gazetteer) -> None:
    top = _top(gaz, "Kashmir")
    assert top.place.place_id == "ov:kashmir"
    shape = gaz.geometry("ov:kashmir")
    assert shape.contains(Point(74.80, 34.08)) and shape.contains(Point(73.47, 34.37))  # Srinagar, Muzaffarabad


@pytest.mark.parametrize("name,slug,city", [
    ("England", "england", (51.5074, -0.1278)),  # London
    ("Scotland", "scotland", (55.9533, -3.1883)),  # Edinburgh
    ("Wales", "wales", (51.4816, -3.1791)),  # Cardiff
    ("Northern Ireland", "northern-ireland", (54.5973, -5.9301)),  # Belfast
])
def test_countries_of_the_uk(gaz: Gazetteer, name: str, slug: str, city: tuple[float, float]) -> None:
    top = _top(gaz, name)
    assert top.place.place_id == f"ov:{slug}" and top.place.country_code == "GB"
    shape = gaz.geometry(top.place.place_id)
    assert shape.contains(Point(top.place.lon, top.place.lat))
    assert shape.buffer(0.05).contains(Point(city[1], city[0]))
    others = [s for s in ("england", "scotland", "wales", "northern-ireland") if s != slug]
    assert not any(gaz.geometry(f"ov:{o}").buffer(-0.01).contains(Point(city[1], city[0])) for o in others)


@pytest.mark.parametrize("name,cc", [
    ("DPRK", "KP"), ("North Korea", "KP"), ("South Korea", "KR"), ("Republic of Korea", "KR"),
    ("Holy See", "VA"), ("Vatican", "VA"), ("T&T", "TT"), ("Trinidad and Tobago", "TT"),
    ("U.K.", "GB"), ("UK", "GB"), ("Britain", "GB"), ("Great Britain", "GB"), ("U.S.", "US"),
    ("USA", "US"), ("America", "US"), ("UAE", "AE"), ("Burma", "MM"), ("Côte d'Ivoire", "CI"),
    ("Ivory Coast", "CI"), ("Czech Republic", "CZ"), ("Czechia", "CZ"), ("Palestine", "PS"),
    ("Kosovo", "XK"), ("Taiwan", "TW"), ("Netherlands", "NL"), ("Holland", "NL"),
    ("Republic of Armenia", "AM"), ("East Timor", "TL"),
])
def test_country_aliases(gaz: Gazetteer, name: str, cc: str) -> None:
    assert _top(gaz, name).place.place_id == f"cc:{cc}"


def test_soviet_union_is_its_own_historical_record(gaz: Gazetteer) -> None:
    for name in ("Soviet Union", "USSR"):
        top = _top(gaz, name)
        assert top.place.place_id == "ov:soviet-union" and top.place.feature_code == "PCLH"
        assert float(haversine_km(55.7558, 37.6173, top.place.lat, top.place.lon)) < 25  # Moscow


def test_airports_by_their_short_names(gaz: Gazetteer) -> None:
    assert _top(gaz, "Heathrow").place.place_id == "ap:EGLL"
    assert _top(gaz, "Schiphol").place.place_id == "ap:EHAM"
    assert _top(gaz, "Dulles International Airport").place.place_id == "ap:KIAD"


# -- GeoNames ids, admin-1 flags ----------------------------------------------------------------


def test_geonames_ids(gaz: Gazetteer) -> None:
    iraq = gaz.get("cc:IQ")
    assert iraq is not None and iraq.geonames_id == 99237  # GeoNames countryInfo: Iraq
    baghdad = gaz.get("gn:98182")
    assert baghdad is not None and baghdad.geonames_id == 98182
    assert gaz.get("ov:green-zone").geonames_id is None
    anbar = gaz.search("Anbar")[0].place
    assert anbar.place_id.startswith("ne:") and anbar.geonames_id == 99592  # Natural Earth gn_id
    assert gaz.admin1().set_index("iso_3166_2").loc["IQ-AN", "gn_id"] == 99592
    assert _top(gaz, "Syria").as_dict()["geonames_id"] == 163843


def test_names_flag_admin1_names(gaz: Gazetteer) -> None:
    wanted = {"al anbar", "anbar", "ninawa province", "orange county", "mosul", "erbil"}
    flags = {e.key: e.is_admin1 for e in gaz.names() if e.key in wanted}
    assert flags["al anbar"] and flags["anbar"] and flags["ninawa province"]
    assert not flags["orange county"]  # U.S. counties are admin-2
    assert not flags["mosul"]  # only a weak alternate of Ninawa province (its capital)


def test_reverse_never_returns_continents_or_regions(gaz: Gazetteer) -> None:
    for lat, lon in [(7.19, 21.09), (28.79, 44.04), (48.69, 9.14), (-14.6, -57.66)]:
        r = gaz.reverse(lat=lat, lon=lon)
        assert r.place is not None and r.place.feature_code not in ("CONT", "RGN")


# -- noisy alternate names ----------------------------------------------------------------------


@pytest.mark.parametrize("name,cc,noisy_cc", [
    ("Mashhad", "IR", None),
    ("Alexandria", "EG", "US"),  # Alexandria, Virginia and others rank below
    ("Tehran", "IR", None),
])
def test_alternates_rank_below_a_more_populous_primary_name(gaz: Gazetteer, name: str, cc: str,
                                                            noisy_cc: str | None) -> None:
    hits = gaz.search(name, limit=None)
    assert hits[0].place.country_code == cc and hits[0].place.name == name and hits[0].how == "exact"
    noisy = [h for h in hits if h.how == "alternate" and h.place.population > 0]
    assert all(h.score < hits[0].score for h in noisy)
    if noisy_cc:
        assert any(h.place.country_code == noisy_cc for h in hits[1:])


def test_alternates_never_outrank_a_primary_name_of_a_more_populous_place(gaz: Gazetteer) -> None:
    """Audit: over well-known names, no place reached by an alternate name outranks a place
    of at least ten times its population that bears the name as its primary name."""
    for name in ("Mashhad", "Alexandria", "Damascus", "Baghdad", "Cairo", "Paris", "London",
                 "Moscow", "Istanbul", "Aleppo", "Homs", "Beirut", "Amman", "Riyadh", "Kabul"):
        hits = gaz.search(name, limit=None)
        for i, h in enumerate(hits):
            if h.how != "alternate":
                continue
            bigger = [b for b in hits[i + 1:] if b.how == "exact" and b.place.population >= 10 * max(1, h.place.population)]
            assert not bigger, (name, h.place, bigger[0].place)


def test_overlay_geometry_kinds() -> None:
    peninsula = sources.overlay_geometry("countries:KP|KR")
    assert peninsula.contains(Point(125.75, 39.03)) and peninsula.contains(Point(126.98, 37.57))
    darfur = sources.overlay_geometry("region:SD:Darfur")
    assert darfur.contains(Point(25.35, 13.63))  # El Fasher
    with pytest.raises(GazetteerDataError):
        sources.overlay_geometry("countries:IQ|QQ")
    with pytest.raises(GazetteerDataError):
        sources.overlay_geometry("region:SD:Nowhere")
    with pytest.raises(GazetteerDataError):
        sources.overlay_geometry("geounit:Nowhere")
    assert sources.overlay_geometry("geounit:Wales").contains(Point(-3.1791, 51.4816))  # Cardiff
    lat, lon = sources.overlay_point("countries:KP|KR")
    assert peninsula.contains(Point(lon, lat))


def test_sea_points_lie_at_sea() -> None:
    """Seas, oceans, gulfs, bays and straits are drawn in water: no country polygon holds them."""
    import shapely

    tree = sources.countries_tree()
    marine = [r for r in sources.read_overlay()
              if r["feature_class"] == "H" and r["feature_code"] in ("SEA", "OCN", "GULF", "BAY", "STRT")]
    assert len(marine) >= 20
    for row in marine:
        point = shapely.Point(float(row["lon"]), float(row["lat"]))
        assert not len(tree.query(point, predicate="intersects")), row["id"]
