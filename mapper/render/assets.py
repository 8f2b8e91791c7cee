"""Make folium's HTML self-contained: swap every CDN ``<script>``/``<link>`` for the same file
read from an installed package, inline CSS images and fonts as ``data:`` URIs, and fail loudly
on any external URL not listed in ``static/assets.yaml``.

Why post-process the rendered HTML: folium's own embedding fetches URLs at render time, and
inlined CSS would lose its relative ``url()`` files (see reference/folium_offline.md, 3b).
"""

from __future__ import annotations

import base64
import importlib
import mimetypes
import re
from functools import cache
from pathlib import Path

import yaml

from mapper.errors import OfflineAssetError

STATIC = Path(__file__).with_name("static")

_SCRIPT_SRC = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>""", re.I)
_LINK = re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["']([^"']+)["'][^>]*?/?>""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+?)\1\s*\)""", re.I)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.I)
_FONT_SRC = re.compile(r"src\s*:\s*([^;}]*)", re.I)
_TAG = re.compile(r"<(script|link|img|iframe|source|audio|video|embed|object|track|image|input)\b[^>]*>", re.I)
_TAG_URL = re.compile(r"""\b(?:src|href|data|poster|srcset|xlink:href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", re.I)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.S)
_STYLE_ATTR = re.compile(r'style\s*=\s*"([^"]*)"', re.I)
_CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*((?:https?:)?//[^"')\s]+)""", re.I)
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)

# Leaflet finds its default marker icon through the URL in its CSS; once the CSS is inlined the
# lookup fails and Leaflet requests marker-icon.png beside the HTML file. Point it at data URIs.
_ICON_FIX = ("L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions("
             "{{iconUrl:'{icon}',iconRetinaUrl:'{retina}',shadowUrl:'{shadow}'}});")


@cache
def known_assets() -> dict[str, Path]:
    """The external URLs the inliner knows, each with the installed file that replaces it."""
    entries = yaml.safe_load((STATIC / "assets.yaml").read_text(encoding="utf-8"))["assets"]
    known = {}
    for entry in entries:
        module = importlib.import_module(entry["module"])
        base = Path(module.__file__ or "").parent
        path = base / entry["path"]
        if not path.is_file():
            raise OfflineAssetError(f"{entry['url']}: the package {entry['module']} has no file {entry['path']}")
        known[entry["url"]] = path
    return known


def _data_uri(path: Path) -> str:
    mime = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".svg": "image/svg+xml"}.get(
        path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _woff2_only(css: str) -> str:
    """Keep only the woff2 sources of each ``@font-face`` (every browser we target reads them)."""

    def face(match: re.Match[str]) -> str:
        block = match.group(0)

        def src(m: re.Match[str]) -> str:
            parts = [p for p in m.group(1).split(",") if "woff2" in p]
            return "src:" + ",".join(parts) if parts else m.group(0)

        return _FONT_SRC.sub(src, block)

    return _FONT_FACE.sub(face, css)


def inline_css(css: str, base: Path, *, origin: str) -> str:
    """``css`` with every relative ``url()`` replaced by a data URI of the file beside ``base``."""

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")):
            return match.group(0)
        if _EXTERNAL.match(ref):
            raise OfflineAssetError(f"{origin}: CSS refers to the external URL {ref}, which the offline inliner does not know")
        path = (base / ref.split("?")[0].split("#")[0]).resolve()
        if not path.is_file():
            raise OfflineAssetError(f"{origin}: CSS refers to {ref}, but {path} does not exist")
        return f'url("{_data_uri(path)}")'

    return _CSS_URL.sub(repl, _woff2_only(css))


def _script(code: str) -> str:
    return "<script>" + re.sub(r"</(script)", r"<\\/\1", code, flags=re.I) + "</script>"


def _style(css: str) -> str:
    return "<style>" + re.sub(r"</(style)", r"<\\/\1", css, flags=re.I) + "</style>"


def _unknown(url: str) -> OfflineAssetError:
    known = "\n  ".join(sorted(known_assets()))
    return OfflineAssetError(f"the map HTML loads {url}, which the offline inliner does not know; "
                             f"known URLs:\n  {known}\n(add it to mapper/render/static/assets.yaml "
                             "with the installed package file that replaces it)")


def leaflet_icon_fix() -> str:
    """JavaScript that points Leaflet's default marker icon at data URIs."""
    images = known_assets()["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"].parent / "images"
    return _ICON_FIX.format(icon=_data_uri(images / "marker-icon.png"),
                            retina=_data_uri(images / "marker-icon-2x.png"),
                            shadow=_data_uri(images / "marker-shadow.png"))


def make_self_contained(html: str) -> str:
    """Inline every known CDN script and stylesheet of ``html``; raise ``OfflineAssetError`` on
    any other external reference. Scripts or stylesheets loaded twice are kept once."""
    known = known_assets()
    seen: set[str] = set()

    def script(match: re.Match[str]) -> str:
        url = match.group(1)
        if not _EXTERNAL.match(url):
            return match.group(0)
        if url not in known:
            raise _unknown(url)
        if url in seen:
            return ""
        seen.add(url)
        code = known[url].read_text(encoding="utf-8")
        if known[url].name == "leaflet.js":
            code += "\n" + leaflet_icon_fix()
        return _script(code)

    def link(match: re.Match[str]) -> str:
        url = match.group(1)
        if not _EXTERNAL.match(url):
            return match.group(0)
        if url not in known:
            raise _unknown(url)
        if not re.search(r"""\brel\s*=\s*["']?stylesheet""", match.group(0), re.I):
            raise OfflineAssetError(f"the map HTML links {url} as something other than a stylesheet")
        if url in seen:
            return ""
        seen.add(url)
        path = known[url]
        return _style(inline_css(path.read_text(encoding="utf-8"), path.parent, origin=url))

    out = _LINK.sub(link, _SCRIPT_SRC.sub(script, html))
    left = external_refs(out)
    if left:
        raise _unknown(left[0])
    return out


def external_refs(html: str) -> list[str]:
    """External URLs a browser would fetch: in ``src``/``href``-like attributes of loading tags,
    and in CSS ``url()``/``@import``. Plain ``<a href>`` links are not fetched and not listed."""
    refs: list[str] = []
    for tag in _TAG.finditer(html):
        refs.extend(m.group(1) for m in _TAG_URL.finditer(tag.group(0)))
    for pattern in (_STYLE_BLOCK, _STYLE_ATTR):
        for block in pattern.finditer(html):
            refs.extend(m.group(1) for m in _CSS_EXTERNAL.finditer(block.group(1)))
    return refs
