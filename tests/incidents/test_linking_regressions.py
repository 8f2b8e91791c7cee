"""Linking regressions seen on the demo map, checked on short texts written for these tests."""

from __future__ import annotations

import datetime as dt

from mapper.dates import find_dates

MONDAY = dt.date(2023, 3, 13)


def test_munitions_fired_by_a_drone_join_the_drone_strike_not_an_earlier_paragraph(extract):
    text = ("A U.S. drone strike hit a convoy leaving Erbil International Airport on Monday. "
            "Missiles launched by an American drone destroyed two trucks on the airport road. "
            "The group had been blamed for last month's rocket attack on the K-1 base near Kirkuk.")
    incidents = extract(text, published=MONDAY)
    strikes = [i for i in incidents if "Missiles launched" in " ".join(e.quote for e in i.evidence)]
    assert len(strikes) == 1
    (strike,) = strikes
    assert strike.method == "airstrike" and strike.actor1 == "Military Forces of the United States"
    assert "Erbil" in (strike.location or "") and strike.date_start == MONDAY
    assert len(strike.evidence) == 2
    rockets = [i for i in incidents if i.method == "rocket"]
    assert rockets and all("Kirkuk" in (i.location or "") or i.location == "K-1" for i in rockets)
    assert all("Missiles launched" not in e.quote for i in rockets for e in i.evidence)


def test_a_site_reported_hit_is_an_event_and_the_vow_after_it_a_threat_without_its_place(extract):
    text = ("U.S. warplanes bombed militia depots in Syria on Sunday. "
            "Harakat al-Nujaba said two of its members were killed when its office near the town of "
            "Abu Kamal, in Deir ez-Zor province, was hit, and vowed to take revenge.")
    incidents = extract(text, published=MONDAY)
    threats = [i for i in incidents if i.is_threat]
    assert len(threats) == 1 and threats[0].actor1 == "Harakat Hezbollah al-Nujaba" and threats[0].location is None
    hits = [i for i in incidents if not i.is_threat and "Nujaba said" in " ".join(e.quote for e in i.evidence)]
    assert len(hits) == 1
    (hit,) = hits
    assert hit.method == "airstrike" and hit.geo_precision == 2 and hit.country == "SY"
    assert hit.actor1 == "Military Forces of the United States"  # never the group that was hit
    assert hit.date_start == dt.date(2023, 3, 12)


def test_an_event_days_after_another_does_not_take_the_later_date(extract):
    text = "Crowds rallied in Basra on Thursday, days after American airstrikes killed militiamen in al-Qaim."
    incidents = extract(text, published=MONDAY)
    (air,) = [i for i in incidents if i.method == "airstrike"]
    thursday = dt.date(2023, 3, 9)
    assert air.date_start is not None and air.date_end is not None
    assert air.date_end < thursday and (thursday - air.date_start).days <= 7


def test_a_recap_relative_to_the_main_event_is_dated_from_it(extract):
    text = ("A U.S. drone strike on a truck in Baghdad on Saturday killed two militia commanders. "
            "The strike came less than a week after American bombers hit depots near Akashat.")
    incidents = extract(text, published=MONDAY)
    (recap,) = [i for i in incidents if i.location and "Akashat" in i.location]
    saturday = dt.date(2023, 3, 11)
    assert recap.date_start == saturday - dt.timedelta(days=6) and recap.date_end == saturday - dt.timedelta(days=1)
    assert "less than a week" in recap.evidence[0].quote


def test_vague_offsets_are_windows():
    def window(text: str) -> tuple[int, int] | None:
        (d,) = find_dates(text, published=MONDAY)
        return d.offset_window

    assert window("two days after the raid") == (-2, -2)
    assert window("days after the raid") == (-7, -1)
    assert window("less than a week after the raid") == (-6, -1)
    assert window("a few days before the raid") == (1, 7)


def test_a_country_level_strike_moves_to_the_site_a_following_sentence_names(extract):
    text = ("American jets struck four militia depots on Sunday, two of them in western Iraq and two in Syria. "
            "The Pentagon called the raids defensive. "
            "The worst damage was reported at a depot in the al-Qaim district, close to the town of Abu Kamal.")
    incidents = extract(text, published=MONDAY)
    air = [i for i in incidents if i.method == "airstrike"]
    assert sorted(i.country for i in air) == ["IQ", "SY"]
    assert all(i.geo_precision == 2 for i in air)  # the named sites, not the countries
    assert all(i.date_start == dt.date(2023, 3, 12) for i in air)


def test_a_place_inside_a_definite_mention_names_the_event_it_refers_to(extract):
    text = ("Rockets hit a base near Kirkuk on Friday. U.S. jets struck depots in Syria on Sunday. "
            "Officials blamed Kata'ib Hezbollah for the Kirkuk attack.")
    incidents = extract(text, published=MONDAY)
    (rocket,) = [i for i in incidents if i.method == "rocket"]
    assert any("Kirkuk attack" in e.quote for e in rocket.evidence)
    assert rocket.actor1 == "Kata'ib Hezbollah"
    assert all("Kirkuk attack" not in e.quote for i in incidents if i.method != "rocket" for e in i.evidence)


def test_a_counted_remainder_is_the_same_attack_at_another_place(extract):
    text = ("Militants fired a salvo of rockets at Ain al-Asad air base on Tuesday. "
            "Most of the rockets struck the base. At least one more hit near the airport in Erbil. "
            "Kata'ib Hezbollah claimed the attacks.")
    incidents = extract(text, published=MONDAY)
    rockets = [i for i in incidents if i.method == "rocket"]
    assert len(rockets) == 2
    assert {i.date_start for i in rockets} == {dt.date(2023, 3, 7)}
    assert {i.actor1 for i in rockets} == {"Kata'ib Hezbollah"}
    (erbil,) = [i for i in rockets if "one more hit" in i.evidence[0].quote]
    assert erbil.geo_precision == 2 and erbil.country == "IQ"


def test_a_place_in_a_later_coordinated_clause_does_not_place_a_threat(extract):
    text = ("Asa'ib Ahl al-Haq warned that any attack would be met with a fierce response, "
            "and cautioned neighbours against allowing a strike on Iran from their soil.")
    (threat,) = [i for i in extract(text, published=MONDAY) if i.is_threat]
    assert threat.actor1 == "Asa'ib Ahl al-Haq" and threat.location is None


def test_supporters_of_a_group_are_a_crowd_not_the_group(extract):
    text = "Hundreds of supporters of Asa'ib Ahl al-Haq rallied in Basra on Friday."
    (protest,) = extract(text, published=MONDAY)
    assert protest.method == "protest"
    assert protest.actor1 is None


def test_the_target_of_an_attack_never_becomes_its_perpetrator_by_a_later_mention(extract):
    text = ("On Sunday, U.S. forces near Deir ez-Zor came under rocket fire, a spokesman said. "
            "U.S. forces returned artillery fire at the launch sites.")
    incidents = extract(text, published=MONDAY)
    (attack,) = [i for i in incidents if "came under" in i.evidence[0].quote]
    assert attack.actor1 != "Military Forces of the United States"


def test_strikes_ordered_by_a_leader_are_his_forces_strikes(extract):
    text = ("Last year Trump ordered the withdrawal of some troops from the region. "
            "In March he authorised strikes on militia depots near Akashat.")
    (strike,) = extract(text, published=MONDAY)
    assert strike.actor1 == "Military Forces of the United States"
    (other,) = extract("In March President Joe Biden approved strikes on militia depots near Akashat.",
                       published=MONDAY)
    assert other.actor1 == "Military Forces of the United States"


def test_near_carries_over_a_plain_list_of_places(extract):
    text = "U.S. jets struck militia depots around al-Qaim and Akashat on Sunday."
    incidents = [i for i in extract(text, published=MONDAY) if i.method == "airstrike"]
    assert len(incidents) == 2 and all(i.geo_precision == 2 for i in incidents)
