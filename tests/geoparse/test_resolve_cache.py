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
