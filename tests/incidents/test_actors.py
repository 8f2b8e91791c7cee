"""The actor registry: aliases, acronyms, user files, lookup by name, the actors frame."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from mapper import frames
from mapper.actors import ACLED_ACTOR_TYPES, ENV_VAR, ActorMention, ActorRegistry
from mapper.errors import InputError

REGISTRY = ActorRegistry.load()

# The actors issue 5 names, by one of their names each.
REQUIRED = ["Kata'ib Hezbollah", "Harakat al-Nujaba", "Asa'ib Ahl al-Haq", "Kata'ib Sayyid al-Shuhada",
            "Islamic Resistance in Iraq", "Popular Mobilization Forces", "Hashd al-Shaabi", "IRGC",
            "Quds Force", "Lebanese Hezbollah", "Houthis", "ISIS", "Daesh", "SDF", "Mughawir al-Thawra",
            "Peshmerga", "Iraqi Security Forces", "Syrian Arab Army", "Iranian military", "Turkish military",
            "Israel Defense Forces", "Russian military", "U.S. forces", "U.S.-led coalition"]


def test_registry_has_forty_sourced_actors_with_acled_types():
    assert len(REGISTRY) >= 40
    for actor in REGISTRY.actors:
        assert actor.source.strip(), actor.actor_id
        assert actor.kind in ACLED_ACTOR_TYPES, actor.actor_id
        assert actor.aliases or actor.acronyms, actor.actor_id


@pytest.mark.parametrize("name", REQUIRED)
def test_required_actor_is_known_by_name(name):
    assert REGISTRY.match_name(name) is not None, name


def test_kataib_hezbollah_under_all_its_names_is_one_actor():
    text = ("Kata’ib Hezbollah, also called the Hezbollah Brigades (KH) or Kataib Hizballah, "
            "كتائب حزب الله in Arabic, is distinct from Lebanese Hezbollah.")
    found = REGISTRY.find(text)
    ids = [m.actor_id for m in found]
    assert ids == ["kataib-hezbollah"] * 5 + ["hezbollah"]
    for m in found:
        assert text[m.start:m.end] == m.text


def test_acronyms_match_case_sensitively_and_only_whole_words():
    assert [m.text for m in REGISTRY.find("KH and the SDF")] == ["KH", "SDF"]
    assert REGISTRY.find("kh and the sdf, KHz, SDFs") == []


def test_generic_references_map_to_generic_actors_with_their_affiliation():
    found = REGISTRY.find("Iranian proxies and Iran-backed militias threaten U.S. troops.")
    assert [m.actor_id for m in found] == ["iran-backed-militias", "iran-backed-militias", "us-forces"]
    militias = REGISTRY.get("iran-backed-militias")
    assert militias.generic and militias.backers == ("iran-forces",)


def test_demonyms_and_persons_are_marked():
    kinds = {m.text: m.kind for m in REGISTRY.find("An American drone killed Qassem Soleimani.")}
    assert kinds == {"American": "demonym", "Qassem Soleimani": "person"}


def test_lineage_and_match_name_of_acled_style_names():
    assert [a.actor_id for a in REGISTRY.lineage("irgc-qf")] == ["irgc-qf", "irgc", "iran-forces"]
    assert REGISTRY.match_name("Military Forces of the United States (2021-)").actor_id == "us-forces"
    assert REGISTRY.match_name("Hezbollah Brigades").actor_id == "kataib-hezbollah"
    assert REGISTRY.match_name("no such group") is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Kata’ib Hezbollah", "KH", "kh", "Iraqi", "PMF", "Hashd al-Shaabi", " ",
                                 ", ", "é", "Quds Force", "the", "ISIS-K", "\n", "Iranian-backed militias"]),
                max_size=25))
def test_mention_offsets_always_point_at_the_mention(parts):
    text = "".join(parts)
    previous_end = 0
    for m in REGISTRY.find(text, doc_id="d"):
        assert text[m.start:m.end] == m.text and m.doc_id == "d"
        assert m.start >= previous_end
        previous_end = m.end


def _write(path, body):
    path.write_text(body, encoding="utf-8")
    return path


def test_user_file_adds_and_replaces_actors(tmp_path):
    extra = _write(tmp_path / "mine.yaml", """
actors:
  - {id: desert-hawks, name: Desert Hawks Brigade, kind: Political militia, source: "my notes",
     backers: [irgc-qf], aliases: [Desert Hawks], acronyms: [DHB]}
  - {id: sdf, name: SDF (renamed), kind: Rebel group, source: "my notes", aliases: [Syrian Democratic Forces]}
""")
    registry = ActorRegistry.load([extra])
    assert [m.actor_id for m in registry.find("DHB and the Desert Hawks")] == ["desert-hawks", "desert-hawks"]
    assert registry.get("sdf").name == "SDF (renamed)"
    assert len(registry) == len(REGISTRY) + 1


def test_environment_variable_extends_the_default_registry(tmp_path, monkeypatch):
    extra = _write(tmp_path / "env.yaml", "actors:\n  - {id: x-group, name: X Group, kind: Rebel group, "
                                          "source: test, aliases: [Xyzzy Front]}\n")
    monkeypatch.setenv(ENV_VAR, str(extra))
    assert ActorRegistry.default().match_name("Xyzzy Front").actor_id == "x-group"
    monkeypatch.delenv(ENV_VAR)
    assert ActorRegistry.default().match_name("Xyzzy Front") is None


@pytest.mark.parametrize(("body", "message"), [
    ("actors:\n  - {id: a, name: A, kind: Terrorists, source: s, aliases: [A]}\n", "is not an ACLED actor type"),
    ("actors:\n  - {id: a, name: A, kind: Rebel group, aliases: [A]}\n", "missing field(s) ['source']"),
    ("actors:\n  - {id: a, name: A, kind: Rebel group, source: s, parent: nobody}\n", "unknown actor id(s) ['nobody']"),
    ("actors:\n  - {id: a, name: A, kind: Rebel group, source: s, colour: red}\n", "unknown field(s) ['colour']"),
    ("actors: [unclosed\n", "not valid YAML"),
    ("- just a list\n", "expected a mapping with a list under 'actors'"),
])
def test_bad_registry_file_names_file_and_problem(tmp_path, body, message):
    path = _write(tmp_path / "bad.yaml", body)
    with pytest.raises(InputError) as info:
        ActorRegistry.load([path])
    assert str(path) in str(info.value) and message in str(info.value)


def test_missing_registry_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read actor registry"):
        ActorRegistry.load([tmp_path / "nope.yaml"])


def test_actors_frame_has_the_documented_columns_even_when_empty():
    empty = REGISTRY.actors_frame([], frames.incidents_frame([]), frames.mentions_frame([]))
    assert list(empty.columns) == [*frames.ACTOR_COLUMNS, "geometry"]
    assert empty.crs == frames.CRS and len(empty) == 0


def test_actors_frame_counts_mentions_and_places_incidents():
    text = "KH fired rockets. Kata'ib Hezbollah denied it. American officials said so."
    mentions = REGISTRY.find(text, doc_id="d1")
    incidents = gpd.GeoDataFrame(
        {"actor1": ["Kata'ib Hezbollah", "Kata'ib Hezbollah"], "actor2": [None, None], "doc_id": ["d1", "d2"]},
        geometry=[Point(44.4, 33.3), None], crs=frames.CRS)
    frame = REGISTRY.actors_frame(mentions, incidents, frames.mentions_frame([]))
    row = frame.set_index("actor_id").loc["kataib-hezbollah"]
    assert (row["mentions"], row["incidents"]) == (2, 2)
    assert row["parent"] == "Popular Mobilization Forces" and row["backers"] == "IRGC-Quds Force"
    assert sorted(json.loads(row["aliases"])) == ["KH", "Kata'ib Hezbollah"]
    assert [(p.x, p.y) for p in row.geometry.geoms] == [(44.4, 33.3)]
    assert "us-forces" not in set(frame["actor_id"])  # a demonym alone is not a mention of the actor


def test_actor_mention_keeps_the_pipeline_interface():
    m = ActorMention("d", 0, 2, "KH", "kataib-hezbollah")
    assert m.kind == "actor"
