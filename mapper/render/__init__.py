"""PLACEHOLDER (map work, issue 6): the layered offline folium map."""

from __future__ import annotations

from typing import Any

import folium


def build_map(result: Any, *, tiles: str | None = None) -> folium.Map:
    m = folium.Map(location=[33.0, 44.0], zoom_start=5, tiles=tiles)
    return m


def to_html(m: folium.Map) -> str:
    return m.get_root().render()
