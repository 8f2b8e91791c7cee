"""Marker styles of the map, read from ``static/styles.yaml`` (method -> icon, colour, label).

Icons are Font Awesome Free SVG paths read from the installed ``xstatic-font-awesome`` package;
only the ``viewBox`` and the path data are kept, so no font or third-party file is embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mapper.errors import SchemaError

STATIC = Path(__file__).with_name("static")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class MethodStyle:
    """How incidents of one method are drawn."""

    key: str
    label: str
    icon: str
    color: str


def _fa_dir() -> Path:
    import xstatic.pkg.font_awesome as fa

    return Path(fa.__file__).parent / "data" / "svgs" / "solid"


@cache
def icon_path(name: str) -> dict[str, str]:
    """``{"viewBox": ..., "d": ...}`` of the Font Awesome solid icon ``name``."""
    path = _fa_dir() / f"{name}.svg"
    if not path.is_file():
        raise SchemaError(f"{STATIC / 'styles.yaml'}: no Font Awesome solid icon named {name!r} ({path})")
    svg = path.read_text(encoding="utf-8")
    view_box = re.search(r'viewBox="([^"]+)"', svg)
    d = re.search(r'<path d="([^"]+)"', svg)
    if not view_box or not d:
        raise SchemaError(f"{path}: not a single-path SVG icon")
    return {"viewBox": view_box.group(1), "d": d.group(1)}


@cache
def style_config() -> dict[str, Any]:
    """The parsed ``styles.yaml``, with colours checked (they go into inline CSS)."""
    source = STATIC / "styles.yaml"
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    colours = [m["color"] for m in config["methods"].values()]
    colours += config["actor_colors"] + config["choropleth_colors"] + list(config["basemap"].values())
    bad = [c for c in colours if not _COLOUR.match(str(c))]
    if bad:
        raise SchemaError(f"{source}: colours must be #rrggbb, got {bad}")
    return config


def method_key(method: object) -> str:
    """The lookup key of a method value: lower case, single spaces; ``unknown`` when missing."""
    if not isinstance(method, str) or not method.strip():
        return "unknown"
    return " ".join(method.lower().split())


def method_style(method: object) -> MethodStyle:
    """The style of ``method``; methods not in ``styles.yaml`` get the ``other`` icon and colour
    under their own name."""
    key = method_key(method)
    methods = style_config()["methods"]
    entry = methods.get(key)
    if entry is None:
        other = methods["other"]
        return MethodStyle(key, key[:1].upper() + key[1:], other["icon"], other["color"])
    return MethodStyle(key, entry["label"], entry["icon"], entry["color"])
