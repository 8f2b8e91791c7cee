"""Resolution of demonyms that name a province or region rather than a country: the area,
not a town that shares its name ("Ontarians": Ontario the province, not Ontario, California)."""

from __future__ import annotations

from mapper.model import Span
from mapper.resolve import Geoparser


def test_people_of_a_province(geoparser: Geoparser) -> None:
    text = "Starting in July, Ontarians will receive a tax cut, the premier said in Toronto."
    start = text.index("Ontarians")
    people, city = geoparser.resolve(text, [Span(start, start + 9),
                                            Span(text.index("Toronto"), text.index("Toronto") + 7)])
    assert city.country_code == "CA"
    assert (people.name, people.feature_code, people.country_code) == ("Ontario", "ADM1", "CA")


def test_demonym_adjective_is_the_country_not_a_small_town(geoparser: Geoparser) -> None:
    text = "The insurers will take over $555 million in Canadian pension obligations this year."
    start = text.index("Canadian")
    (m,) = geoparser.resolve(text, [Span(start, start + len("Canadian"))])
    assert m.place_id == "cc:CA"  # not Canadian, Texas
