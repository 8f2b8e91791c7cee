"""The layered offline incident map.

``build_map(result)`` returns a ``folium.Map`` (it displays inline in Jupyter); ``to_html(m)``
gives one self-contained HTML file with every script, style and icon inlined, so the map works
with no network. The layers, popups, legend and time filter are our own small script
(``static/incident_map.js``), fed with one JSON object (``payload.build_payload``).
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from mapper import frames
from mapper.errors import InputError
from mapper.render.assets import STATIC, external_refs, make_self_contained
from mapper.render.licences import left_out_earlier, public_rows
from mapper.render.payload import FAST_THRESHOLD, build_payload, to_json

__all__ = ["FAST_THRESHOLD", "IncidentLayers", "build_map", "check_result", "external_refs", "make_self_contained", "to_html"]

MAX_ZOOM = 12  # the offline borders are simplified for about this zoom; online tiles allow 18
_LEAFLET_JS = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
_LEAFLET_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]


class _RawScript(Element):
    """A ``<script type="application/json">`` block written as is: the data can be many MB,
    too big to pass through a Jinja template."""

    def __init__(self, element_id: str, text: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return f'<script type="application/json" id="{self.element_id}">{self.text}</script>'


class IncidentLayers(JSCSSMixin, MacroElement):
    """Our map script and its data: every incident, place and basemap layer, the legend and
    the time filter. Scripts it needs (markercluster, leaflet.heat) come as folium's CDN links,
    which ``to_html`` inlines from installed packages."""

    default_js = [  # noqa: RUF012 (folium reads the class attribute)
        ("markerclusterjs", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js"),
        ("leaflet-heat.js", "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js"),
    ]
    default_css = [  # noqa: RUF012
        ("markerclustercss", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css"),
        ("markerclusterdefaultcss", "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css"),
    ]
    _template = Template(
        "{% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.js }}\n"
        "incidentMap.init({{ this._parent.get_name() }}, "
        "JSON.parse(document.getElementById('{{ this.data_id }}').textContent));{% endmacro %}"
    )

    def __init__(self, data_json: str) -> None:
        super().__init__()
        self._name = "IncidentLayers"
        self.data = data_json  # from payload.to_json: safe inside <script>
        self.js = (STATIC / "incident_map.js").read_text(encoding="utf-8")
        self.css = (STATIC / "incident_map.css").read_text(encoding="utf-8")

    @property
    def data_id(self) -> str:
        return f"data_{self.get_name()}"

    def render(self, **kwargs: Any) -> Any:
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.html.add_child(_RawScript(self.data_id, self.data), name=self.data_id)
        return super().render(**kwargs)


def build_map(result: Any, *, tiles: str | None = None, include_restricted: bool = False,
              fast_threshold: int = FAST_THRESHOLD) -> folium.Map:
    """A layered folium map of ``result`` (a ``mapper.pipeline.Result``).

    ``tiles``: an online tile layer name known to folium/xyzservices (e.g. ``OpenStreetMap``,
    ``CartoDB positron``) drawn under the borders; by default there are none and the map needs
    no network. Rows whose licence forbids redistribution (ACLED) are left out unless
    ``include_restricted``; the footer says how many. Above ``fast_threshold`` incidents the
    markers are clustered and drawn on a canvas.
    """
    check_result(result)
    incidents, left_out = public_rows(result.incidents, include_restricted=include_restricted)
    left_out += left_out_earlier(result.report)
    payload = build_payload(incidents, result.places, result.mentions, tiles=tiles, left_out=left_out,
                            fast_threshold=fast_threshold)
    if tiles is not None:
        _check_tiles(tiles)
    m = folium.Map(location=[33.3, 44.4], zoom_start=6, tiles=tiles, control_scale=True,
                   maxZoom=18 if tiles else MAX_ZOOM, minZoom=2)
    # Only Leaflet itself: Bootstrap, jQuery, awesome-markers and Font Awesome are not used.
    m.default_js = list(_LEAFLET_JS)
    m.default_css = list(_LEAFLET_CSS)
    IncidentLayers(to_json(payload)).add_to(m)
    _stable_ids(m)
    return m


def _check_tiles(name: str) -> None:
    """Raise ``InputError`` unless folium knows the tile provider ``name`` (xyzservices names)."""
    try:
        folium.TileLayer(name)
    except ValueError as exc:
        raise InputError(f"--tiles {name!r} is not a known tile provider ({exc}); use a name from "
                         "xyzservices, e.g. OpenStreetMap, 'CartoDB positron', Esri.WorldImagery") from exc


def check_result(result: Any) -> None:
    """Raise ``SchemaError`` naming the frame and its missing columns (see ``mapper.frames``)."""
    for what, columns in (("incidents", frames.INCIDENT_COLUMNS), ("places", frames.PLACE_COLUMNS),
                          ("mentions", frames.MENTION_COLUMNS), ("actors", frames.ACTOR_COLUMNS)):
        frames.check_columns(getattr(result, what), columns, what=what)


def _stable_ids(m: folium.Map) -> None:
    """Give every element a deterministic id so the same inputs give the same bytes
    (branca draws random ids)."""
    counter = 0

    def visit(element: Element) -> None:
        nonlocal counter
        element._id = f"{counter:04d}"
        counter += 1
        for child in element._children.values():
            visit(child)

    visit(m)


def to_html(m: folium.Map) -> str:
    """The map as one self-contained HTML page (raises ``OfflineAssetError`` on any external
    script or stylesheet the inliner does not know)."""
    root = m.get_root()
    if not isinstance(root, Figure):
        root = Figure()
        root.add_child(m)
    html = root.render()
    html = html.replace("<head>", "<head>\n<title>Incident map</title>", 1)
    return make_self_contained(html)
