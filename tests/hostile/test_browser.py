"""No injection: the map of the hostile corpus runs no script from the documents.

Debian's Chromium, driven by Playwright (never ``playwright install``), opens ``map.html``
with every request outside ``file:``/``data:`` blocked and counted, every dialog recorded,
and every popup opened; the hostile titles and quotes must be visible as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import require_tool
from tests.hostile.conftest import Run

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MARKERS = ".leaflet-marker-pane > *"
# Inline event handlers, javascript: URLs and script elements that did not come from us.
INJECTED_DOM = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(el.tagName + ' ' + a.name + '=' + a.value);
      if (/^\\s*javascript:/i.test(a.value)) found.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  for (const s of document.querySelectorAll('.leaflet-popup-content script, .leaflet-popup-content img,'
                                          + ' .leaflet-popup-content iframe, .leaflet-popup-content svg')) {
    found.push('element ' + s.outerHTML.slice(0, 80));
  }
  return found;
}"""


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = require_tool("chromium", path="/usr/bin/chromium")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, args=FLAGS)
        yield chromium
        chromium.close()


def test_hostile_map_runs_no_script_and_shows_text(hostile: Run, browser: Any) -> None:
    features = json.loads((hostile.out / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    hostile_texts = sorted({_squash(str(f["properties"][k])) for f in features
                            for k in ("quote", "source") if "<" in str(f["properties"].get(k))})
    assert len(hostile_texts) >= 2, "the hostile strings did not reach the map: test is vacuous"

    dialogs: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def offline(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto((hostile.out / "map.html").as_uri())
    page.wait_for_selector(MARKERS, state="attached")
    markers = page.locator(MARKERS)
    shown = []
    for i in range(markers.count()):
        markers.nth(i).dispatch_event("click")  # markers overlap; no pointer needed
        shown.extend(_squash(t) for t in page.locator(".leaflet-popup-content").all_inner_texts())
        assert page.evaluate(INJECTED_DOM) == []
    page.wait_for_timeout(500)  # give any injected handler (img onerror) time to fire
    visible = "\n".join(shown)
    missing = [t for t in hostile_texts if t not in visible]
    assert not missing, f"hostile text not shown as text: {missing}"
    assert page.evaluate(INJECTED_DOM) == []
    assert dialogs == [], f"script from a document ran: {dialogs}"
    assert errors == [], errors
    assert requests == [], f"the map asked the network for {requests}"
    page.close()
