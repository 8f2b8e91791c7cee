"""Resolution: "St." / "Mt." / "Ft." written out match a place's name as exactly as the
abbreviated spelling does ("St. Petersburg" is an exact name of Saint Petersburg, Russia, as
much as of St. Petersburg, Florida)."""

from __future__ import annotations

from mapper.resolve import Geoparser, _same_name
from tests.geoparse.conftest import spans_of


def test_abbreviated_title_word_is_an_exact_name() -> None:
    assert _same_name("Saint Petersburg", "st petersburg")
    assert _same_name("Mount Pleasant", "mt pleasant")
    assert not _same_name("Saint Petersburg", "petersburg")


def test_russian_consulate_city(geoparser: Geoparser) -> None:
    text = ("Russia will close the US consulate in St. Petersburg, the Russian foreign minister "
            "said. Russia expels as many diplomats as Russian embassies lost.")
    *_, city = geoparser.resolve(text, spans_of(text, "Russia", "US", "Russian", "St. Petersburg"))
    assert city.country_code == "RU" and city.name == "Saint Petersburg"


def test_abbreviated_name_finds_the_written_out_place(geoparser: Geoparser) -> None:
    text = "A cargo ship under the flag of St. Kitts and Nevis sank in the Red Sea on Monday."
    flag, _ = geoparser.resolve(text, spans_of(text, "St. Kitts and Nevis", "Red Sea"))
    assert flag.country_code == "KN" and flag.status == "resolved"


def test_abbreviated_town_finds_its_written_out_namesakes(geoparser: Geoparser) -> None:
    text = "Mt. Pleasant, Iowa, hosts the fair; buses leave from Burlington, Iowa."
    town, *_ = geoparser.resolve(text, spans_of(text, "Mt. Pleasant", "Iowa", "Burlington"))
    assert town.admin1 == "Iowa" and town.name == "Mount Pleasant"
