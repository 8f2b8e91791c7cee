"""The trigger lexicon and its mapping to ACLED and CAMEO."""

from __future__ import annotations

import pytest

from mapper.errors import InputError
from mapper.events import Lexicon

LEX = Lexicon.default()

# ACLED codebook, event types and sub-event types (shared reference event_data.md 1.2), word
# for word: the oracle the mapping must use.
ACLED = {
    "Battles": {"Government regains territory", "Non-state actor overtakes territory", "Armed clash"},
    "Protests": {"Excessive force against protesters", "Protest with intervention", "Peaceful protest"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
DISORDER = {"Political violence", "Demonstrations", "Strategic developments", "Political violence; Demonstrations"}


@pytest.mark.parametrize("method", sorted(LEX.methods))
def test_every_method_maps_to_acled_strings_word_for_word(method):
    info = LEX.method(method)
    assert info.sub_event_type in ACLED[info.event_type]
    assert info.disorder_type in DISORDER
    assert info.cameo.isdigit() and info.cameo[:2] in {"13", "14", "18", "19"}


@pytest.mark.parametrize(("text", "method"), [
    ("a one-way attack drone", "one-way attack drone"),
    ("an improvised explosive device", "IED"),
    ("the roadside bomb", "IED"),
    ("Katyusha rockets", "rocket"),
    ("an attempted assassination", "assassination attempt"),
    ("retaliatory airstrikes", "airstrike"),
    ("suicide bombings", "suicide bombing"),
])
def test_trigger_phrases_map_to_methods(text, method):
    (trigger,) = LEX.triggers(text)
    assert trigger.method == method and text[trigger.start:trigger.end] == trigger.text


def test_phrases_that_name_no_event_are_not_triggers():
    assert LEX.triggers("drone surveillance operations and rocket systems") == []


def test_case_sensitive_entries_need_their_case():
    assert [t.method for t in LEX.triggers("an IED exploded")] == ["IED"]
    assert LEX.triggers("he died, ied") == []


def test_interception_methods_are_disrupted_weapons_use():
    for method in ("intercepted drone", "intercepted rocket", "intercepted missile", "defused explosive"):
        info = LEX.method(method)
        assert (info.event_type, info.sub_event_type) == ("Strategic developments", "Disrupted weapons use")


def test_threat_is_not_violence():
    info = LEX.method("threat")
    assert info.event_type == "Strategic developments" and info.cameo.startswith("13")


def test_unknown_method_names_the_known_ones():
    with pytest.raises(InputError, match=r"unknown method 'laser'.*'rocket'"):
        LEX.method("laser")


def test_trigger_file_must_use_known_methods():
    from mapper.events import _load_yaml

    triggers = _load_yaml("triggers.yaml")
    triggers["triggers"] = {"laser beam": ["laser"]}
    with pytest.raises(InputError, match=r"method 'laser beam' is not in event_types\.yaml"):
        Lexicon(triggers=triggers, event_types=_load_yaml("event_types.yaml"))
