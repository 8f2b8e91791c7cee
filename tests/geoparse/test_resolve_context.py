"""Resolution with given spans uses the other names of the document: ambiguous towns and
counties go where the document's other names agree (real places; the old ranker, which only
knew its first-pass picks, sent each of these to the most populous reading)."""

from __future__ import annotations

import pytest

from mapper.model import Span
from mapper.resolve import Geoparser


def _spans(text: str, names: list[str]) -> list[Span]:
    out = []
    for name in names:
        start = text.index(name)
        out.append(Span(start, start + len(name)))
    return out


CASES = [
    ("The fire spread from Huntsville to Conroe and Willis before crews from Walker County "
     "and Montgomery County contained it.",
     {"Huntsville": "Texas", "Conroe": "Texas", "Walker County": "Texas"}),
    ("Police in Columbus said the suspect fled toward Grand Island and Norfolk, then crossed "
     "into Platte County.",
     {"Columbus": "Nebraska", "Norfolk": "Nebraska", "Platte County": "Nebraska"}),
    ("The Paris school board in Lamar County voted to close two campuses; Reno and "
     "Clarksville schools stay open.",
     {"Paris": "Texas", "Lamar County": "Texas", "Reno": "Texas", "Clarksville": "Texas"}),
    # "Richmond, Berea" is a list of towns, not "X, Y" containment. (Mount Vernon, a name
    # of towns in many states, is context only: three towns do not settle it.)
    ("Residents of Richmond, Berea and Mount Vernon waited for the Lexington crews.",
     {"Richmond": "Kentucky", "Berea": "Kentucky", "Lexington": "Kentucky"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=["walker", "platte", "lamar", "list"])
def test_names_that_agree_pull_each_other(geoparser: Geoparser, text: str,
                                          expected: dict[str, str]) -> None:
    names = list(expected)
    mentions = geoparser.resolve(text, _spans(text, names))
    got = {n: (m.country_code, m.admin1) for n, m in zip(names, mentions, strict=True)}
    assert got == {n: ("US", a1) for n, a1 in expected.items()}


def test_comma_container_between_given_spans(geoparser: Geoparser) -> None:
    """'X, Y' between two given spans links X to Y (the recogniser's own link pointed at a
    span the resolver never saw, so containment did not count for given spans)."""
    text = "Deputies in Walker County, Texas, arrested two men on Friday."
    spans = _spans(text, ["Walker County", "Texas"])
    given = geoparser._given(text, spans)
    assert given[0].container is given[1]
    county, state = geoparser.resolve(text, spans)
    assert (county.admin1, state.feature_code) == ("Texas", "ADM1")
