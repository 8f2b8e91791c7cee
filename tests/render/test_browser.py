"""The map in a real browser: Debian's Chromium driven by Playwright, every request outside
``file:`` and ``data:`` blocked and counted (an air-gapped workstation)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mapper.render import build_map, to_html
from mapper.render.snapshot import CHROMIUM_FLAGS
from tests.conftest import require_tool

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

MARKERS = ".leaflet-marker-pane > *"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    path = require_tool("chromium")
    with playwright_api.sync_playwright() as p:
        # never `playwright install`: Debian's chromium through executable_path
        flags = [f for f in CHROMIUM_FLAGS if f not in ("--headless", "--hide-scrollbars")]
        browser = p.chromium.launch(executable_path=path, args=flags)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def map_file(result: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("map") / "map.html"
    path.write_text(to_html(build_map(result)), encoding="utf-8")
    return path


class Page:
    """A page plus what went wrong on it."""

    def __init__(self, browser: Any, url: str) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.route("**/*", self._offline)
        self.page.goto(url)
        self.page.wait_for_function("window.incidentMapState !== undefined")

    def _offline(self, route: Any) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed
        assert self.external == [], self.external


@pytest.fixture
def page(chromium: Any, map_file: Path) -> Iterator[Page]:
    p = Page(chromium, map_file.as_uri())
    yield p
    p.page.close()


def test_markers_layers_and_no_network(page: Page, expected: dict[str, Any]) -> None:
    markers = page.page.locator(MARKERS)
    expect(markers).to_have_count(expected["default_markers"])
    for label, count in expected["method_markers"].items():
        page.page.get_by_label(label, exact=False).first.uncheck()
        expect(markers).to_have_count(expected["default_markers"] - count)
        page.page.get_by_label(label, exact=False).first.check()
        expect(markers).to_have_count(expected["default_markers"])
    page.page.get_by_label("Threats").check()
    expect(markers).to_have_count(expected["default_markers"] + expected["threats"])
    expect(page.page.locator(".leaflet-marker-pane .im-threat")).to_have_count(expected["threats"])
    page.assert_clean()


def test_time_filter_changes_visible_markers(page: Page, expected: dict[str, Any]) -> None:
    markers = page.page.locator(MARKERS)
    expect(markers).to_have_count(expected["default_markers"])
    window = expected["filter_2023_onwards"]
    page.page.get_by_label("From", exact=True).fill(window["from"])
    page.page.get_by_label("To", exact=True).fill(window["to"])
    expect(markers).to_have_count(window["markers"])
    status = page.page.locator(".im-status")
    expect(status).to_contain_text("1 without a date")
    overlap = expected["filter_overlap"]  # a date range shows while it overlaps the window
    page.page.get_by_label("From", exact=True).fill(overlap["from"])
    page.page.get_by_label("To", exact=True).fill(overlap["to"])
    expect(markers).to_have_count(overlap["markers"])
    page.page.get_by_role("button", name="All dates").click()
    expect(markers).to_have_count(expected["default_markers"])
    # the incident with no place is listed, not silently dropped
    page.page.get_by_text("Not on the map", exact=False).click()
    expect(page.page.locator(".im-time li", has_text=expected["unplaced"][0])).to_have_count(1)
    page.assert_clean()


def test_popup_shows_quote_with_highlight_and_source(page: Page) -> None:
    page.page.locator(".im-marker[title='Ain al-Asad']").click()
    popup = page.page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("ballistic missiles at Ain al-Asad air base")
    expect(popup.locator("mark")).to_have_text(["Ain al-Asad"])
    expect(popup).to_contain_text("2020-01-08 (exact day)")
    expect(popup).to_contain_text("Islamic Revolutionary Guard Corps (claimed)")
    expect(popup.locator("a")).to_have_attribute("href", "https://example.org/news/b")
    page.assert_clean()


def test_hostile_text_runs_no_script(page: Page) -> None:
    page.page.get_by_label("Actor:", exact=False).first.check()
    page.page.locator(".im-marker[title='Balad <b>Air Base</b>']").first.click()
    popup = page.page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Militants <script>window.__pwned=1</script> fired")
    expect(popup).to_contain_text("Balad <b>Air Base</b>")
    expect(popup.locator("img, script, b")).to_have_count(0)
    expect(popup.locator("a")).to_have_count(0)  # a javascript: URL is shown as text, not linked
    expect(page.page.get_by_text('<img src=x onerror="window.__pwned=3">Group', exact=False).first).to_be_visible()
    assert page.page.evaluate("window.__pwned") is None
    page.assert_clean()


def test_other_layers_draw(page: Page) -> None:
    page.page.get_by_label("clustered", exact=False).check()
    expect(page.page.locator(".marker-cluster").first).to_be_visible()
    page.page.get_by_label("Heat map").check()
    expect(page.page.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    page.page.get_by_label("Incidents per province").check()
    expect(page.page.locator(".im-chor-scale")).to_be_visible()
    page.page.get_by_label("Actors' areas", exact=False).check()
    page.assert_clean()


def test_png_snapshot(result: Any, tmp_path: Path, chromium: Any) -> None:
    from mapper.export import write_outputs

    written = write_outputs(result, tmp_path, png=True)
    png = tmp_path / "map.png"
    assert png in written
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (1400, 900)


def test_fast_mode_uses_canvas_with_same_popups(chromium: Any, result: Any, tmp_path: Path) -> None:
    path = tmp_path / "fast.html"
    path.write_text(to_html(build_map(result, fast_threshold=0)), encoding="utf-8")
    p = Page(chromium, path.as_uri())
    clusters = p.page.locator(".marker-cluster, .im-marker")
    expect(clusters.first).to_be_visible()
    p.page.get_by_label("clustered", exact=False).uncheck()
    expect(p.page.locator(MARKERS)).to_have_count(0)
    p.page.get_by_label("Missile").check()  # drawn on a canvas, clicked through the map
    p.page.evaluate(
        "() => { const s = window.incidentMapState; const o = s.overlays.find(x => x.id.startsWith('method-')"
        " && x.layer.getLayers().length === 1 && x.idx.length === 1 && s.visible[x.idx[0]]);"
        " o.layer.getLayers()[0].fire('click', {}, true); }")
    expect(p.page.locator(".leaflet-popup-content")).to_contain_text("Ain al-Asad")
    p.assert_clean()
    p.page.close()
