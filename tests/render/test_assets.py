"""The offline inliner: known CDN files come from installed packages, anything else fails."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mapper.errors import InputError, OfflineAssetError
from mapper.render import build_map, to_html
from mapper.render.assets import (
    STATIC,
    external_refs,
    inline_css,
    known_assets,
    make_self_contained,
)

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"


def test_every_known_url_has_an_installed_file() -> None:
    known = known_assets()
    assert len(known) >= 9
    assert all(path.is_file() and path.stat().st_size > 0 for path in known.values())


def test_known_script_and_style_are_inlined_once() -> None:
    html = (f'<html><head><script src="{LEAFLET_JS}"></script><script src="{LEAFLET_JS}"></script>'
            f'<link rel="stylesheet" href="{LEAFLET_CSS}"/></head><body></body></html>')
    out = make_self_contained(html)
    assert external_refs(out) == []
    assert out.count("<script>") == 1
    assert "L.Icon.Default.mergeOptions" in out  # default marker icon as data URI
    assert 'url("data:image/png;base64,' in out  # leaflet.css images inlined
    assert re.search(r"</script", out[out.index("<script>") + 8: out.rindex("</script>")], re.I) is None


@pytest.mark.parametrize("tag", [
    '<script src="https://cdn.example.com/lib.js"></script>',
    '<link rel="stylesheet" href="//cdn.example.com/lib.css"/>',
    '<img src="http://tracker.example.com/pixel.gif">',
    '<style>body{background:url(https://example.com/bg.png)}</style>',
    '<style>@import "https://example.com/more.css";</style>',
])
def test_unknown_external_url_fails_loudly(tag: str) -> None:
    with pytest.raises(OfflineAssetError, match=r"example\.com"):
        make_self_contained(f"<html><head>{tag}</head></html>")


def test_plain_links_are_not_external_refs() -> None:
    html = '<p><a href="https://www.geonames.org/">GeoNames</a></p><img src="data:image/png;base64,AA==">'
    assert external_refs(html) == []


def test_css_urls_become_data_uris_and_fonts_keep_woff2(tmp_path) -> None:
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"w2")
    (tmp_path / "fonts" / "a.ttf").write_bytes(b"tt")
    css = '@font-face{font-family:X;src:url(fonts/a.woff2) format("woff2"),url(fonts/a.ttf) format("truetype")}'
    out = inline_css(css, tmp_path, origin="test.css")
    assert "data:font/woff2;base64,dzI=" in out
    assert "truetype" not in out
    with pytest.raises(OfflineAssetError, match=r"missing\.png"):
        inline_css("a{background:url(missing.png)}", tmp_path, origin="test.css")


def test_map_html_has_no_external_reference(result) -> None:
    html = to_html(build_map(result))
    assert external_refs(html) == []
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html, re.I):
        assert "http://" not in tag and "https://" not in tag, tag
    assert (STATIC / "incident_map.js").read_text(encoding="utf-8")[:200] in html


def test_online_tiles_are_opt_in(result) -> None:
    html = to_html(build_map(result, tiles="OpenStreetMap"))
    assert "tile.openstreetmap.org" in html
    assert external_refs(html) == []  # tiles load from script, not from tags
    with pytest.raises(InputError, match=r"'NoSuchTiles' is not a known tile provider.*OpenStreetMap"):
        build_map(result, tiles="NoSuchTiles")


def test_result_map_displays_in_jupyter(result: Any) -> None:
    m = result.map()
    html = m._repr_html_()
    assert "iframe" in html and "incidentMap.init" in html
