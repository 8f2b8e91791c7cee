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
