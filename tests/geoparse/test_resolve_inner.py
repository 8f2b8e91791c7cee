"""Resolution with given spans: a name the gazetteer lacks that names a place inside it
("Japan Exchange Group", "Delhi High Court", "Bank of Mexico") is placed at that place, a
country or state even when it holds the document's focus, unless the place is a small town
elsewhere, or the name is a lake, mountain or street named after it."""

from __future__ import annotations

from mapper.model import Span
from mapper.resolve import Geoparser


def _span(text: str, name: str) -> Span:
    start = text.index(name)
    return Span(start, start + len(name))


def test_country_named_inside_an_institution(geoparser: Geoparser) -> None:
    text = ("The Japan Exchange Group surprised traders in London on Monday, and London brokers "
            "sold the yen.")
    spans = [_span(text, "Japan Exchange Group"), _span(text, "London")]
    bourse, city = geoparser.resolve(text, spans)
    assert city.country_code == "GB"
    assert bourse.status == "resolved" and bourse.place_id == "cc:JP"
    assert bourse.reason.startswith("fallback to place named inside 'Japan'")


def test_capital_named_inside_a_court(geoparser: Geoparser) -> None:
    text = "The Delhi High Court on Monday refused bail to the accused from Ayodhya."
    court, _ = geoparser.resolve(text, [_span(text, "Delhi High Court"), _span(text, "Ayodhya")])
    assert court.country_code == "IN" and court.name in ("Delhi", "New Delhi")
    assert court.reason.startswith("fallback to place named inside")


def test_country_holding_the_focus_still_names_a_national_body(geoparser: Geoparser) -> None:
    text = ("Ciudad Juarez police said on Monday that the Bank of Mexico will not change its "
            "rates; Ciudad Juarez shops stayed open.")
    spans = [_span(text, n) for n in ("Ciudad Juarez", "Bank of Mexico")]
    town, bank = geoparser.resolve(text, spans)
    assert town.country_code == "MX" and town.feature_class == "P"
    assert bank.place_id == "cc:MX"  # the country, not the town the story is set in
    assert bank.reason.startswith("fallback to place named inside 'Mexico'")


def test_state_holding_the_focus_still_names_a_state_body(geoparser: Geoparser) -> None:
    text = ("Des Moines voters will meet the Iowa House challengers on Saturday; Des Moines "
            "police expect a crowd.")
    spans = [_span(text, n) for n in ("Des Moines", "Iowa House")]
    town, house = geoparser.resolve(text, spans)
    assert town.admin1 == "Iowa" and town.feature_class == "P"
    assert house.feature_code == "ADM1" and house.admin1 == "Iowa"
    assert house.reason.startswith("fallback to place named inside 'Iowa'")


def test_a_lake_or_township_is_not_the_place_it_is_named_after(geoparser: Geoparser) -> None:
    text = ("Boaters on Lake Cumberland were warned of storms; Somerset and London, Kentucky, "
            "opened shelters, and Somerset police closed the marina.")
    spans = [_span(text, n) for n in ("Lake Cumberland", "Somerset", "London", "Kentucky")]
    lake, town, _, _ = geoparser.resolve(text, spans)
    assert town.admin1 == "Kentucky"
    assert lake.place_id == town.place_id  # the focus, not Cumberland, Kentucky
    assert lake.reason.startswith("fallback to document focus")


def test_small_town_named_after_a_person_is_not_taken(geoparser: Geoparser) -> None:
    text = "Fans filled the Rogers Centre before the concert, Toronto police said."
    venue, city = geoparser.resolve(text, [_span(text, "Rogers Centre"), _span(text, "Toronto")])
    assert city.country_code == "CA"
    assert venue.place_id == city.place_id  # not Rogers, Arkansas
    assert venue.reason.startswith("fallback to document focus")


def test_demonym_inside_an_institution_gives_its_country(geoparser: Geoparser) -> None:
    text = ("The Russian Foreign Ministry summoned diplomats; in London, officials said London "
            "would not expel anyone.")
    ministry, city = geoparser.resolve(text, [_span(text, "Russian Foreign Ministry"),
                                              _span(text, "London")])
    assert city.country_code == "GB"
    # A government body of the country: its capital (test_resolve_government.py).
    assert (ministry.name, ministry.country_code) == ("Moscow", "RU")
    assert ministry.reason.startswith("fallback to place named inside 'Moscow'")
    assert "government body of Russia" in ministry.reason


def test_country_abbreviation_inside_an_institution(geoparser: Geoparser) -> None:
    text = "Traders in London sold bonds as the US Federal Reserve raised rates; London shares fell."
    fed, city = geoparser.resolve(text, [_span(text, "US Federal Reserve"), _span(text, "London")])
    assert city.country_code == "GB"
    assert fed.place_id == "cc:US"


def test_an_embassy_is_not_in_its_country(geoparser: Geoparser) -> None:
    text = ("Diplomats left the Russian Embassy in Washington on Sunday; Washington police "
            "closed the street.")
    embassy, city = geoparser.resolve(text, [_span(text, "Russian Embassy"), _span(text, "Washington")])
    assert city.country_code == "US"
    assert embassy.place_id == city.place_id  # not Russia
    assert "named inside" not in embassy.reason
