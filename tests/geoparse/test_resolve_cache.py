"""The resolver's caches never make a document's result depend on earlier documents."""

from __future__ import annotations

import json
import subprocess
import sys

from mapper.resolve import Geoparser
from tests.conftest import ROOT, SHARED, require_path


def _readings(geoparser: Geoparser, text: str) -> list[tuple[str, str, str, str | None]]:
    return [(m.text, m.status, m.reason, m.place_id) for m in geoparser.parse(text, doc_id="d")]


def test_demonym_reason_names_its_own_words(geoparser: Geoparser) -> None:
    # Two demonyms of one place: each mention's reason quotes its own word, in either order.
    scots = _readings(geoparser, "Troops landed on Scots soil.")
    scottish = _readings(geoparser, "Troops landed on Scottish soil.")
    assert [r[:2] for r in scots] == [("Scots", "resolved")]
    assert [r[:2] for r in scottish] == [("Scottish", "resolved")]
    assert "'Scots'" in scots[0][2] and "'Scottish'" in scottish[0][2]
    assert scots[0][3] == scottish[0][3]
    assert _readings(geoparser, "Troops landed on Scots soil.") == scots


def test_demonyms_of_the_nations_of_the_uk_are_those_nations(geoparser: Geoparser) -> None:
    # "English" is England's (as GeoWebNews annotates it), not the whole United Kingdom's.
    for text, nation in (("Troops landed on English soil.", "England"),
                         ("Troops landed on Scottish soil.", "Scotland"),
                         ("Troops landed on Welsh soil.", "Wales")):
        (mention,) = geoparser.parse(text, doc_id="d")
        assert (mention.status, mention.name) == ("resolved", nation), text


_ORDER_SCRIPT = """
import json, sys, xml.etree.ElementTree as ET
from mapper.resolve import Geoparser
texts = [a.findtext("text") for a in ET.parse(sys.argv[1]).getroot().iter("article")]
geoparser = Geoparser()
for n in json.loads(sys.argv[2]):
    mentions = geoparser.parse(texts[n], doc_id=str(n))
print(json.dumps([(m.text, m.place_id, m.score, m.reason) for m in mentions]))
"""


def test_result_does_not_depend_on_earlier_documents() -> None:
    # GeoWebNews article 37 (Enugu) after article 49 (Benue State): the document features
    # number countries and admin-1 areas in the order a process first meets them, and a tie
    # between two admin-1 areas once went to the lower number.
    gwn = require_path(SHARED / "corpora" / "geowebnews" / "GWN.xml", why="GeoWebNews corpus")
    runs = [subprocess.run([sys.executable, "-c", _ORDER_SCRIPT, str(gwn), json.dumps(order)],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
            for order in ([37], [49, 37])]
    assert json.loads(runs[0]) == json.loads(runs[1])


_ALL_SCRIPT = """
import json, sys
from mapper.evaluate import read_corpus
from mapper.resolve import Geoparser
docs = [d for path in sys.argv[1:3] for d in read_corpus(path).documents]
order = range(len(docs)) if sys.argv[3] == "forward" else reversed(range(len(docs)))
geoparser = Geoparser()
out = {}
for n in order:
    out[docs[n].doc_id] = [(m.start, m.end, m.status, m.place_id, m.score, m.reason)
                           for m in geoparser.parse(docs[n].text, doc_id=docs[n].doc_id)]
print(json.dumps(out, sort_keys=True))
"""


def test_no_document_of_two_corpora_depends_on_the_order() -> None:
    # Every GeoWebNews and LGL article parsed first to last, and last to first, in fresh
    # processes: per-process caches and numbering may only make parsing faster, never
    # change a result (the engines must write the same files whatever documents each
    # worker happened to see before).
    gwn = require_path(SHARED / "corpora" / "geowebnews" / "GWN.xml", why="GeoWebNews corpus")
    lgl = require_path(SHARED / "corpora" / "lgl" / "lgl.xml", why="LGL corpus")
    procs = [subprocess.Popen([sys.executable, "-c", _ALL_SCRIPT, str(gwn), str(lgl), order],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
             for order in ("forward", "backward")]
    forward, backward = (json.loads(p.communicate()[0]) for p in procs)
    assert all(p.returncode == 0 for p in procs)
    assert len(forward) == 788
    different = [doc for doc in forward if forward[doc] != backward[doc]]
    assert not different, f"{len(different)} documents differ, e.g. {different[:5]}"


_SENTENCES_SCRIPT = """
import json, sys
from mapper.resolve import Geoparser
geoparser = Geoparser()
for text in json.loads(sys.argv[1]):
    mentions = geoparser.parse(text, doc_id="d")
print(json.dumps([(m.text, m.status, m.place_id, m.score, m.reason) for m in mentions]))
"""


def test_a_state_abbreviation_seen_before_does_not_change_a_party_tag() -> None:
    # "Fresno, Calif." (the full stop: the state only) and "Pelosi, D-Calif," (either the
    # state or a town) once shared a cache entry, so the second result depended on whether
    # the process had met the first.
    dateline = "FRESNO, Calif. — Firefighters contained a grass fire near Fresno, Calif., on Sunday."
    party = ("House Speaker Nancy Pelosi, D-Calif, said the bill would pass. Lawmakers in "
             "Washington met on Tuesday.")
    runs = [subprocess.run([sys.executable, "-c", _SENTENCES_SCRIPT, json.dumps(texts)],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
            for texts in ([party], [dateline, party])]
    fresh, after = (json.loads(run) for run in runs)
    assert "Calif" in [m[0] for m in fresh]
    assert fresh == after
