"""Exact lookups equal a straightforward reference computation over the index arrays.

``Gazetteer.search`` takes fast paths (postings read from flat arrays, records filled
without the dataclass constructor, results cached); the reference here takes none: it reads
the postings with numpy, builds every ``Place`` with its constructor, scores each hit with
``ranking.score`` and applies the capital rule as the issue states it. Both must give the
same candidates in the same order, for every key of a fixed sample of the index (thousands),
the issue's 40 names, Arabic-article keys, and with country, class and bbox filters.
"""

from __future__ import annotations

import csv
import dataclasses
import pickle
import weakref
from bisect import bisect_left
from typing import Any

import pytest

from gazetteer import Candidate, Gazetteer, Place, index, ranking, sources
from gazetteer.core import _in_bbox
from gazetteer.normalize import name_key

from .conftest import DATA

GOLDEN = [r["query"] for r in csv.DictReader((DATA / "golden_places.csv").open(encoding="utf-8"))]


def _place(gaz: Gazetteer, i: int) -> Place:
    d, v = gaz._data, gaz._data.vocab
    fclass, fcode, cc, admin1, source = (int(c) for c in d.codes[i])
    gn = int(d.geonames_id[i])
    return Place(d.place_ids[i], d.names[i], v["fclass"][fclass], v["fcode"][fcode], v["cc"][cc],
                 v["admin1"][admin1], float(d.lat[i]), float(d.lon[i]), int(d.population[i]),
                 v["source"][source], d.admin1_keys[i], gn or None)


@dataclasses.dataclass
class _Hit:
    place: Place
    score: float
    kind: str
    how: int
    row: int


def reference(gaz: Gazetteer, name: str, *, country: str | None = None,
              feature_class: frozenset[str] | None = None,
              bbox: tuple[float, float, float, float] | None = None) -> list[tuple[Any, ...]]:
    """(place, score, matched, how) of every candidate, best first, computed plainly."""
    d, cfg = gaz._data, dict(sources.ranking_config())
    key = name_key(name)
    best: dict[int, int] = {}  # row -> strongest how (lowest code) over the key and its variants
    for variant, flag in [(key, 0), *((v, ranking.ARTICLE_FLAG) for v in index.key_variants(key))]:
        k = bisect_left(d.keys, variant)
        if k == len(d.keys) or d.keys[k] != variant:
            continue
        a, b = int(d.offsets[k]), int(d.offsets[k + 1])
        for i, how in zip(d.post_place[a:b].tolist(), d.post_how[a:b].tolist(), strict=True):
            best[i] = min(best.get(i, 99), how | flag)
    hits = []
    for i, how in best.items():
        p = _place(gaz, i)
        if ((country and p.country_code != country) or (feature_class and p.feature_class not in feature_class)
                or (bbox and not _in_bbox(p.lat, p.lon, bbox))):
            continue
        kind = ranking.kind_of(p.feature_code, p.source)
        score = ranking.score(ranking.Hit(kind, how, p.population, p.country_code), cfg)
        hits.append(_Hit(p, score, kind, how, i))
    # The capital rule: a city of at least the minimum population inside a province listed
    # among the hits outranks that province.
    provinces: dict[tuple[str, str], float] = {}
    for h in hits:
        if h.kind == "admin1" and h.place.admin1_code:
            region = (h.place.country_code, h.place.admin1_code)
            provinces[region] = max(h.score, provinces.get(region, 0.0))
    for h in hits:
        province = provinces.get((h.place.country_code, h.place.admin1_code))
        if h.kind != "admin1" and h.place.feature_class == "P" and province is not None \
                and h.place.population >= cfg["capital_rule_min_population"]:
            h.score = max(h.score, min(1.0, province + 0.001))
    hits.sort(key=lambda h: (-h.score, -h.place.population, h.row))
    return [(h.place, h.score, key, ranking.how_label(h.how, h.kind)) for h in hits]


def _same(got: list[Candidate], want: list[tuple[Any, ...]], query: str) -> None:
    assert [c.place.place_id for c in got] == [w[0].place_id for w in want], query
    for c, (place, score, matched, how) in zip(got, want, strict=True):
        assert c.place == place and c.matched == matched and c.how == how, (query, c)
        assert c.score == pytest.approx(score, rel=0, abs=1e-12), (query, c)


@pytest.fixture(scope="module")
def sample(gaz: Gazetteer) -> list[str]:
    """Every 250th key of the index (about 4,000), the keys of the issue's names, and up to
    500 keys with a Latin-script Arabic article (their lookup merges article variants)."""
    keys = gaz._data.keys
    articled = [k for k in keys[::7] if index.key_variants(k)][:500]
    return list(keys[::250]) + [name_key(n) for n in GOLDEN] + articled


def test_the_sample_is_large_and_varied(gaz: Gazetteer, sample: list[str]) -> None:
    assert len(sample) >= 4000
    assert sum(1 for k in sample if index.key_variants(k)) >= 300
    multi = sum(1 for k in sample if len(reference(gaz, k)) > 1)
    assert multi >= 300, "keys naming several places (ranking order matters) are in the sample"


def test_every_sampled_key_gives_the_reference_candidates(sample: list[str]) -> None:
    fresh = Gazetteer(user_layer=False)  # nothing cached yet: the first-lookup path
    for key in sample:
        _same(fresh.search(key, limit=None), reference(fresh, key), key)
        _same(fresh.search(key), reference(fresh, key)[:10], key)  # and from the result cache


@pytest.mark.parametrize("name", GOLDEN)
def test_the_issue_names_give_the_reference_candidates(name: str) -> None:
    fresh = Gazetteer(user_layer=False)
    _same(fresh.search(name, limit=None), reference(fresh, name), name)


@pytest.mark.parametrize("filters", [{"country": "SY"}, {"country": "US"}, {"feature_class": frozenset("P")},
                                     {"feature_class": frozenset("AS")}, {"bbox": (30.0, 25.0, 50.0, 40.0)},
                                     {"bbox": (100.0, -60.0, -60.0, 75.0)}],
                         ids=["SY", "US", "P", "A+S", "bbox", "bbox-antimeridian"])
def test_filtered_lookups_give_the_reference_candidates(sample: list[str], filters: dict[str, Any]) -> None:
    fresh = Gazetteer(user_layer=False)
    kept = 0
    for key in sample[::4] + GOLDEN:
        want = reference(fresh, key, **filters)
        _same(fresh.search(key, limit=None, **filters), want, key)
        kept += bool(want)
    assert kept >= 10, "the filter keeps some candidates"


def test_records_built_on_the_fast_path_behave_as_constructed_ones(gaz: Gazetteer) -> None:
    cand = Gazetteer(user_layer=False).search("Mosul")[0]
    place = cand.place
    twin = Place(*(getattr(place, f.name) for f in dataclasses.fields(Place)))
    assert place == twin and hash(place) == hash(twin) and repr(place) == repr(twin)
    assert pickle.loads(pickle.dumps(cand)) == cand
    assert Candidate(place, cand.score, cand.matched, cand.how) == cand
    assert dataclasses.replace(place, name="x").name == "x" and dataclasses.asdict(place)["lat"] == place.lat
    assert weakref.ref(place)() is place and weakref.ref(cand)() is cand
    with pytest.raises(dataclasses.FrozenInstanceError):
        place.name = "x"  # type: ignore[misc]
