/* incident-mapper: layers, popups, legend and time filter of the offline incident map.
 *
 * The data arrive as one JSON object built by mapper/render/payload.py (incidents and places
 * as columns, dictionary-encoded strings). Every text that comes from a document is put into
 * the page with textContent (or escaped with esc() where Leaflet wants HTML), never as markup.
 */
var incidentMap = (function () {
  'use strict';

  var PRECISION_DATE = {1: 'exact day', 2: 'week known', 3: 'month known'};
  var PRECISION_PLACE = {1: 'the named town or site', 2: 'near the named place', 3: 'only the region is known'};

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function column(c) {
    if (c && c.codes) {
      var dict = c.dict, codes = c.codes;
      return function (i) { var k = codes[i]; return k < 0 ? null : dict[k]; };
    }
    return function (i) { var v = c[i]; return v === undefined ? null : v; };
  }

  function table(t) {
    var out = {n: t.n};
    Object.keys(t.columns).forEach(function (name) { out[name] = column(t.columns[name]); });
    return out;
  }

  function iconSvg(icon, fill, size) {
    return '<svg viewBox="' + esc(icon.viewBox) + '" width="' + size + '" height="' + size +
      '" aria-hidden="true"><path fill="' + esc(fill) + '" d="' + esc(icon.d) + '"/></svg>';
  }

  function short(text) {
    return text.length > 40 ? text.slice(0, 39) + '…' : text;
  }

  function swatch(style, threat) {
    var cls = threat ? 'im-pin im-threat im-swatch' : 'im-pin im-swatch';
    var fill = threat ? style.color : '#ffffff';
    var css = threat ? 'border-color:' + style.color : 'background:' + style.color;
    return '<span class="' + cls + '" style="' + esc(css) + '">' + iconSvg(style.icon, fill, 12) + '</span>';
  }

  function row(tbody, label, value) {
    if (value === null || value === undefined || value === '') { return; }
    var tr = el('tr');
    tr.appendChild(el('th', null, label));
    var td = el('td');
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = String(value); }
    tr.appendChild(td);
    tbody.appendChild(tr);
  }

  function quoteNode(quote, ranges) {
    var q = el('blockquote', 'im-quote');
    var pos = 0;
    (ranges || []).forEach(function (r) {
      if (r[0] < pos) { return; }
      q.appendChild(document.createTextNode(quote.slice(pos, r[0])));
      q.appendChild(el('mark', null, quote.slice(r[0], r[1])));
      pos = r[1];
    });
    q.appendChild(document.createTextNode(quote.slice(pos)));
    return q;
  }

  function linkNode(url, text) {
    if (url && /^https?:\/\//i.test(url)) {
      var a = el('a', null, text || url);
      a.href = url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
    return el('span', null, text || url);
  }

  function dateText(start, end, precision) {
    if (!start) { return 'unknown'; }
    var text = (end && end !== start) ? start + ' to ' + end : start;
    return text + ' (' + (PRECISION_DATE[precision] || (end && end !== start ? 'a range' : 'precision unknown')) + ')';
  }

  function init(map, data) {
    var I = table(data.incidents), P = table(data.places);
    var n = I.n, methods = data.methods, actors = data.actors;
    var visible = new Uint8Array(n);
    var overlays = [];
    var fast = data.options.fast;
    var from = data.time.min, to = data.time.max;

    map.getContainer().classList.add(data.options.tiles ? 'im-tiles' : 'im-offline');
    map.createPane('im-basemap').style.zIndex = 250;
    map.createPane('im-labels').style.zIndex = 440;
    map.getPane('im-basemap').style.pointerEvents = 'none';
    map.getPane('im-labels').style.pointerEvents = 'none';
    // Canvas points get their own pane above the SVG overlays (choropleth, areas) and the heat.
    map.createPane('im-points').style.zIndex = 450;
    var canvas = L.canvas({pane: 'im-points', padding: 0.2});

    // ---- basemap: land, country and admin-1 borders, names -----------------------------
    var bm = data.basemap;
    L.geoJSON(bm.countries, {pane: 'im-basemap', interactive: false, style: {
      color: bm.style.country_border, weight: 1, fillColor: bm.style.land,
      fillOpacity: data.options.tiles ? 0 : 1}}).addTo(map);
    L.geoJSON(bm.admin1, {pane: 'im-basemap', interactive: false, style: {
      color: bm.style.admin1_border, weight: 0.6, fill: false, dashArray: '3 3'}}).addTo(map);
    function labelLayer(points, cls) {
      return L.layerGroup(points.map(function (p) {
        return L.marker([p[0], p[1]], {pane: 'im-labels', interactive: false, keyboard: false,
          icon: L.divIcon({className: cls, html: esc(p[2]), iconSize: null})});
      }));
    }
    var countryLabels = labelLayer(bm.country_labels, 'im-label im-label-country');
    var adminLabels = labelLayer(bm.admin1_labels, 'im-label im-label-admin1');
    function labelsForZoom() {
      var z = map.getZoom();
      [[countryLabels, z >= 4 && z < 7], [adminLabels, z >= 7]].forEach(function (p) {
        if (p[1] && !map.hasLayer(p[0])) { p[0].addTo(map); }
        if (!p[1] && map.hasLayer(p[0])) { map.removeLayer(p[0]); }
      });
    }
    map.on('zoomend', labelsForZoom);

    // ---- popups -------------------------------------------------------------------------
    function incidentPopup(i) {
      var box = el('div', 'im-popup');
      var m = methods[I.m(i)];
      var title = (I.is_threat(i) ? 'Threat: ' : '') + m.label;
      box.appendChild(el('h4', null, title));
      var t = el('table'), b = el('tbody');
      t.appendChild(b);
      row(b, 'Event', [I.event_type(i), I.sub_event_type(i)].filter(Boolean).join(' / '));
      row(b, 'Date', dateText(I.date_start(i), I.date_end(i), I.time_precision(i)));
      var place = [I.location(i), I.admin1(i), I.country(i)].filter(Boolean).join(', ');
      var gp = I.geo_precision(i), unc = I.uncertainty_km(i);
      var prec = PRECISION_PLACE[gp] || 'precision unknown';
      if (unc) { prec += ', within ' + unc + ' km'; }
      row(b, 'Place', (place || 'unknown') + ' (' + prec + ')');
      row(b, 'Method', I.method(i));
      var actorsText = I.actor1(i) || 'unknown';
      if (I.attribution(i)) { actorsText += ' (' + I.attribution(i) + ')'; }
      if (I.actor2(i)) { actorsText += ' against ' + I.actor2(i); }
      row(b, 'Actors', actorsText);
      row(b, 'Associated', I.assoc_actors(i));
      row(b, 'Target', I.target(i));
      var f = I.fatalities(i);
      row(b, 'Fatalities', f === null ? 'not reported' : f);
      row(b, 'Sources', I.n_sources(i));
      box.appendChild(t);
      if (I.quote(i)) { box.appendChild(quoteNode(I.quote(i), I.hl(i))); }
      if (I.url(i) || I.source(i)) {
        var p = el('p', 'im-source');
        p.appendChild(linkNode(I.url(i), I.source(i)));
        box.appendChild(p);
      }
      box.appendChild(el('div', 'im-id', [I.id(i), I.origin(i), I.licence(i)].filter(Boolean).join(' · ')));
      return box;
    }

    function placePopup(j) {
      var box = el('div', 'im-popup');
      box.appendChild(el('h4', null, P.name(j)));
      var t = el('table'), b = el('tbody');
      t.appendChild(b);
      row(b, 'Kind', P.feature_code(j));
      row(b, 'Where', [P.admin1(j), P.country_code(j)].filter(Boolean).join(', '));
      row(b, 'Mentions', P.mentions(j));
      row(b, 'Written as', P.surface_forms(j));
      row(b, 'Documents', P.doc_ids(j));
      row(b, 'Gazetteer id', P.place_id(j));
      box.appendChild(t);
      return box;
    }

    var ring = null;
    function openIncident(i) {
      var ll = [I.lat(i), I.lon(i)];
      if (ring) { map.removeLayer(ring); ring = null; }
      if (fast && I.uncertainty_km(i)) {
        ring = L.circle(ll, {radius: I.uncertainty_km(i) * 1000, color: '#333', weight: 1,
          dashArray: '4 4', fillOpacity: 0.05, interactive: false}).addTo(map);
      }
      L.popup({maxWidth: 380}).setLatLng(ll).setContent(incidentPopup(i)).openOn(map);
    }
    map.on('popupclose', function () { if (ring) { map.removeLayer(ring); ring = null; } });

    // ---- incident markers ---------------------------------------------------------------
    var iconCache = {};
    function divIcon(kind, style, threat) {
      if (!iconCache[kind]) {
        var css = threat ? 'border-color:' + style.color : 'background:' + style.color;
        var fill = threat ? style.color : '#ffffff';
        iconCache[kind] = L.divIcon({
          className: 'im-marker',
          html: '<div class="im-pin' + (threat ? ' im-threat' : '') + '" style="' + esc(css) + '">' +
            iconSvg(style.icon, fill, 14) + '</div>',
          iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -12]});
      }
      return iconCache[kind];
    }
    function withIndex(layer, i) { layer.imIndex = i; return layer; }
    function markerFor(i, kind, style, threat) {
      var ll = [I.lat(i), I.lon(i)];
      if (fast) {
        return withIndex(L.circleMarker(ll, {renderer: canvas, radius: 4, weight: 0.5,
          color: '#ffffff', fillColor: style.color, fillOpacity: 0.85}), i);
      }
      var marker = withIndex(L.marker(ll, {icon: divIcon(kind, style, threat),
        title: I.location(i) || ''}), i);
      if (!I.uncertainty_km(i) || I.geo_precision(i) === 1) { return marker; }
      var circle = withIndex(L.circle(ll, {radius: I.uncertainty_km(i) * 1000, color: style.color,
        weight: 1, dashArray: '4 4', fillOpacity: 0.03, interactive: false}), i);
      return L.featureGroup([circle, marker]);
    }

    function overlay(id, indices, make, show, kind) {
      var layer = kind === 'cluster' ? L.markerClusterGroup({chunkedLoading: true,
        showCoverageOnHover: false, maxClusterRadius: 60}) : L.featureGroup();
      var o = {id: id, layer: layer, idx: indices, make: make, kind: kind || 'markers',
        items: {}, shown: {}};
      layer.on('click', function (e) {
        var src = e.propagatedFrom || e.layer;
        if (src && src.imIndex !== undefined) { openIncident(src.imIndex); }
      });
      layer.on('add', function () { sync(o); });
      overlays.push(o);
      if (show) { layer.addTo(map); }
      return o;
    }

    function sync(o) {
      if (!map.hasLayer(o.layer)) { return; }
      if (o.kind === 'heat') {
        o.layer.setLatLngs(o.idx.filter(function (i) { return visible[i]; })
          .map(function (i) { return [I.lat(i), I.lon(i)]; }));
        return;
      }
      if (o.kind === 'cluster') {
        o.layer.clearLayers();
        o.layer.addLayers(o.idx.filter(function (i) { return visible[i]; }).map(function (i) {
          return o.items[i] || (o.items[i] = o.make(i));
        }));
        return;
      }
      o.idx.forEach(function (i) {
        if (visible[i] && !o.shown[i]) {
          o.layer.addLayer(o.items[i] || (o.items[i] = o.make(i)));
          o.shown[i] = true;
        } else if (!visible[i] && o.shown[i]) {
          o.layer.removeLayer(o.items[i]);
          o.shown[i] = false;
        }
      });
    }

    var placed = [], byMethod = methods.map(function () { return []; });
    var threats = [], byActor = actors.map(function () { return []; });
    for (var i = 0; i < n; i++) {
      if (I.lat(i) === null) { continue; }
      placed.push(i);
      if (I.is_threat(i)) { threats.push(i); } else { byMethod[I.m(i)].push(i); }
      byActor[I.a(i)].push(i);
    }
    var entries = [];  // layer-control and legend entries, in display order
    function named(o, html) { entries.push({html: html, layer: o.layer}); return o; }

    methods.forEach(function (m, k) {
      if (!byMethod[k].length) { return; }
      named(overlay('method-' + k, byMethod[k], function (i) {
        return markerFor(i, 'm' + k, m, false);
      }, !fast), swatch(m, false) + ' ' + esc(m.label) + ' (' + byMethod[k].length + ')');
    });
    if (threats.length) {
      named(overlay('threats', threats, function (i) {
        var m = methods[I.m(i)];
        return markerFor(i, 't' + I.m(i), m, true);
      }, false), swatch(data.threat_style, true) + ' Threats (' + threats.length + ')');
    }
    actors.forEach(function (a, k) {
      if (!byActor[k].length) { return; }
      named(overlay('actor-' + k, byActor[k], function (i) {
        var m = I.m(i);
        return markerFor(i, 'a' + k + '-' + m, {color: a.color, icon: methods[m].icon}, false);
      }, false), swatch({color: a.color, icon: data.actor_icon}, false) + ' <span title="' + esc(a.name) +
        '">Actor: ' + esc(short(a.name)) + '</span> (' + byActor[k].length + ')');
    });
    if (placed.length) {
      named(overlay('clusters', placed, function (i) {
        var m = methods[I.m(i)];
        return withIndex(L.marker([I.lat(i), I.lon(i)], {icon: divIcon('c' + I.m(i), m, false)}), i);
      }, fast, 'cluster'), 'All incidents, clustered (' + placed.length + ')');
      var heat = {id: 'heat', layer: L.heatLayer([], {radius: 20, blur: 18, maxZoom: map.getMaxZoom(),
        minOpacity: 0.5}), idx: placed, kind: 'heat'};
      heat.layer.on('add', function () { sync(heat); });
      overlays.push(heat);
      named(heat, 'Heat map');
    }

    // places mentioned, sized by mentions
    if (P.n) {
      var placesLayer = L.featureGroup();
      for (var j = 0; j < P.n; j++) {
        var c = L.circleMarker([P.lat(j), P.lon(j)], {renderer: P.n > 2000 ? canvas : undefined,
          radius: 4 + 3 * Math.sqrt(P.mentions(j) || 1), color: '#08519c', weight: 1,
          fillColor: '#6baed6', fillOpacity: 0.45, className: 'im-place'});
        c.imPlace = j;
        placesLayer.addLayer(c);
      }
      placesLayer.on('click', function (e) {
        var src = e.propagatedFrom || e.layer;
        L.popup({maxWidth: 380}).setLatLng(src.getLatLng()).setContent(placePopup(src.imPlace)).openOn(map);
      });
      placesLayer.addTo(map);
      named({id: 'places', layer: placesLayer}, '<span class="im-dot"></span> Places mentioned (' + P.n +
        ')<span class="im-note"> · size: mentions</span>');
    }

    // actors' areas
    if (data.actor_areas.features.length) {
      var areas = L.geoJSON(data.actor_areas, {style: function (f) {
        return {color: f.properties.color, weight: 2, fillOpacity: 0.12};
      }, onEachFeature: function (f, layer) {
        layer.bindTooltip(function () {
          return el('span', null, f.properties.name + ': ' + f.properties.incidents + ' incidents');
        }, {sticky: true});
      }});
      named({id: 'areas', layer: areas}, "Actors' areas (" + data.actor_areas.features.length + ')');
    }

    // admin-1 choropleth of incident counts
    var breaks = data.choropleth.breaks, colours = data.choropleth.colors;
    var counts = new Array(bm.admin1_count).fill(0);  // by admin-1 index (properties.i)
    function classColour(count) {
      var k = -1;
      breaks.forEach(function (b, idx) { if (count >= b) { k = idx; } });
      return k < 0 ? null : colours[k];
    }
    var chor = L.geoJSON(bm.admin1, {style: function (f) {
      var colour = classColour(counts[f.properties.i]);
      return {color: '#555', weight: 0.5, fillColor: colour || '#ffffff', fillOpacity: colour ? 0.7 : 0};
    }, onEachFeature: function (f, layer) {
      layer.bindTooltip(function () {
        return el('span', null, f.properties.n + ': ' + counts[f.properties.i] + ' incidents');
      }, {sticky: true});
    }});
    if (breaks.length) {
      named({id: 'choropleth', layer: chor}, 'Incidents per province (admin-1)');
    }

    var ctl = {};
    entries.forEach(function (e) { ctl[e.html] = e.layer; });
    L.control.layers(null, ctl, {collapsed: false, position: 'topright'}).addTo(map);

    // ---- time filter --------------------------------------------------------------------
    var undated = placed.filter(function (i) { return !I.date_start(i); });
    function applyFilter() {
      var shown = 0;
      counts.fill(0);
      for (var i = 0; i < n; i++) {
        var s = I.date_start(i), e = I.date_end(i) || s;
        var v = I.lat(i) !== null && (!s || ((!to || s <= to) && (!from || e >= from)));
        visible[i] = v ? 1 : 0;
        if (v) { shown++; if (I.r(i) >= 0) { counts[I.r(i)]++; } }
      }
      overlays.forEach(sync);
      chor.setStyle(chor.options.style);
      status.textContent = 'Showing ' + shown + ' of ' + placed.length + ' incidents on the map' +
        (undated.length ? ' (' + undated.length + ' without a date, always shown)' : '') + '.';
      map.getContainer().setAttribute('data-visible-incidents', String(shown));
    }

    var timeCtl = L.control({position: 'topleft'});
    var status;
    timeCtl.onAdd = function () {
      var box = el('div', 'im-panel im-time leaflet-bar');
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      box.appendChild(el('strong', null, 'Time filter'));
      function dateInput(label, value, set) {
        var lab = el('label', null, label + ' ');
        var inp = el('input');
        inp.type = 'date';
        inp.value = value || '';
        if (data.time.min) { inp.min = data.time.min; inp.max = data.time.max; }
        inp.addEventListener('change', function () { set(inp.value || null); applyFilter(); });
        lab.appendChild(inp);
        box.appendChild(lab);
        return inp;
      }
      var fromIn = dateInput('From', from, function (v) { from = v; });
      var toIn = dateInput('To', to, function (v) { to = v; });
      var reset = el('button', null, 'All dates');
      reset.type = 'button';
      reset.addEventListener('click', function () {
        from = data.time.min; to = data.time.max;
        fromIn.value = from || ''; toIn.value = to || '';
        applyFilter();
      });
      box.appendChild(reset);
      status = el('div', 'im-status');
      box.appendChild(status);
      function listing(title, rows) {
        if (!rows.length) { return; }
        var d = el('details');
        d.appendChild(el('summary', null, title + ' (' + rows.length + ')'));
        var ul = el('ul');
        rows.forEach(function (r) { ul.appendChild(el('li', null, r)); });
        d.appendChild(ul);
        box.appendChild(d);
      }
      listing('Without a date', undated.map(function (i) {
        return [I.id(i), methods[I.m(i)].label, I.location(i)].filter(Boolean).join(' · ');
      }));
      listing('Not on the map: no known place', data.unplaced.map(function (r) {
        return r.filter(Boolean).join(' · ');
      }));
      return box;
    };
    timeCtl.addTo(map);

    // ---- legend ---------------------------------------------------------------------------
    var legend = L.control({position: 'bottomright'});
    legend.onAdd = function () {
      var box = el('div', 'im-panel im-legend');
      L.DomEvent.disableScrollPropagation(box);
      box.appendChild(el('strong', null, 'Legend'));
      entries.forEach(function (e) {
        e.item = el('div', 'im-legend-item');
        e.item.innerHTML = e.html;  // built above from escaped text only
        box.appendChild(e.item);
      });
      var scale = el('div', 'im-legend-item im-chor-scale');
      breaks.forEach(function (b, k) {
        var s = el('span', 'im-chor-step', '≥' + b);
        s.style.background = colours[k];
        scale.appendChild(s);
      });
      box.appendChild(scale);
      var ringNote = el('div', 'im-legend-item im-note', 'Dashed ring: the area an imprecisely placed incident may be in.');
      box.appendChild(ringNote);
      function refresh() {
        entries.forEach(function (e) { e.item.style.display = map.hasLayer(e.layer) ? '' : 'none'; });
        scale.style.display = map.hasLayer(chor) ? '' : 'none';
      }
      refresh();
      map.on('overlayadd overlayremove', refresh);
      return box;
    };
    legend.addTo(map);

    data.attribution.forEach(function (a) {
      map.attributionControl.addAttribution(a.href ? '<a href="' + esc(a.href) + '">' + esc(a.text) + '</a>' : esc(a.text));
    });

    map.fitBounds(data.options.bounds);
    labelsForZoom();
    applyFilter();
    window.incidentMapState = {overlays: overlays, visible: visible, applyFilter: applyFilter};
    return window.incidentMapState;
  }

  return {init: init, esc: esc};
}());
