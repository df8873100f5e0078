// rawan's interactive map: reads the run's data (the JSON in #rawan-data, written by
// rawan_publish::web_map) and draws it with MapLibre GL JS, all from this one file.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('rawan-data').textContent);
  var L = D.labels;
  // The fields of a village row, in the order web_map.rs writes them.
  var KODE = 0, DESA = 1, KEC = 2, KAB = 3, SCORE = 4, CLASS = 5, RANK = 6, P05 = 7, P95 = 8,
    GI = 9, LISA = 10, BINAAN = 11, DESIGNATED = 12, COVERAGE = 13, REC = 14, OFFICE = 15,
    DIST = 16, REASON = 17, DEP = 18, DEP_NP = 19, CASES = 20, VICTIMS = 21, CONTRIB = 22,
    LON = 23, LAT = 24;

  function fill(template) {
    var values = Array.prototype.slice.call(arguments, 1), k = 0;
    return template.replace(/\{\}/g, function () { return String(values[k++]); });
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function num(x, d) {
    return x === null ? '–' : Number(x).toLocaleString(D.lang === 'id' ? 'id-ID' : 'en-GB',
      { minimumFractionDigits: d, maximumFractionDigits: d });
  }

  // Geometry: delta-encoded arcs on a grid, rings as lists of arcs (~i: arc i backwards).
  var q = D.quantum, ox = D.origin[0], oy = D.origin[1];
  var arcs = D.arcs.map(function (a) {
    var pts = [], x = 0, y = 0;
    for (var k = 0; k < a.length; k += 2) {
      x += a[k]; y += a[k + 1];
      pts.push([ox + x * q, oy + y * q]);
    }
    return pts;
  });
  function ring(refs) {
    var out = [];
    refs.forEach(function (r) {
      var a = r < 0 ? arcs[~r].slice().reverse() : arcs[r];
      for (var k = out.length ? 1 : 0; k < a.length; k++) out.push(a[k]);
    });
    return out;
  }
  var V = D.villages;
  var villageFeatures = V.map(function (v, i) {
    return {
      type: 'Feature', id: i,
      properties: { c: v[CLASS], g: v[GI], l: v[LISA] },
      geometry: { type: 'MultiPolygon', coordinates: D.rings[i].map(function (p) { return p.map(ring); }) }
    };
  });
  var bounds = [Infinity, Infinity, -Infinity, -Infinity];
  arcs.forEach(function (a) {
    a.forEach(function (p) {
      if (p[0] < bounds[0]) bounds[0] = p[0];
      if (p[1] < bounds[1]) bounds[1] = p[1];
      if (p[0] > bounds[2]) bounds[2] = p[0];
      if (p[1] > bounds[3]) bounds[3] = p[1];
    });
  });
  if (!isFinite(bounds[0])) bounds = [95, -11, 141, 6];
  function points(filter) {
    var f = [];
    V.forEach(function (v, i) {
      if (filter(v)) f.push({ type: 'Feature', id: i, properties: {}, geometry: { type: 'Point', coordinates: [v[LON], v[LAT]] } });
    });
    return { type: 'FeatureCollection', features: f };
  }
  var collection = function (features) { return { type: 'FeatureCollection', features: features }; };

  // Texts of the page.
  document.title = document.title || L.web_title;
  document.getElementById('title').textContent = L.web_title;
  document.getElementById('help').textContent = L.web_help;
  document.getElementById('search').placeholder = L.web_search;
  if (D.synthetic) {
    var s = document.getElementById('synthetic');
    s.textContent = L.synthetic_short;
    s.style.display = 'block';
  }
  document.getElementById('footer').textContent = [
    L.source + ' ' + D.version, L.as_of + ' ' + D.as_of, num(D.villages_total, 0) + ' ' + L.villages_count,
    D.restricted ? 'TERBATAS / RESTRICTED' : null, D.synthetic ? L.synthetic_short : null,
    'MapLibre GL JS ' + D.maplibre + ' (BSD-3-Clause)'
  ].filter(Boolean).join(' · ');

  // Colours: the map chart's classes.
  var riskFill = ['match', ['get', 'c']];
  D.risk_classes.forEach(function (c, k) { riskFill.push(k, c[3]); });
  riskFill.push('#c8c8c8');
  // Gi* and LISA classes are indices into D.gi_classes and D.lisa_classes.
  var GI_NS = D.gi_classes.map(function (c) { return c[0]; }).indexOf('ns');
  var LISA_NS = D.lisa_classes.map(function (c) { return c[0]; }).indexOf('ns');
  var giLine = ['match', ['get', 'g']];
  D.gi_classes.forEach(function (c, k) { if (k !== GI_NS) giLine.push(k, c[2]); });
  giLine.push('rgba(0,0,0,0)');
  var lisaFill = ['match', ['get', 'l']];
  D.lisa_classes.forEach(function (c, k) { if (k !== LISA_NS) lisaFill.push(k, c[2]); });
  lisaFill.push('rgba(0,0,0,0)');
  var BINAAN_COLOUR = '#1a9850', RECOMMENDED_COLOUR = '#6a3d9a', OFFICE_COLOUR = '#111111';

  var style = {
    version: 8,
    sources: {
      // A small tile buffer: polygons need little room beyond their tile (no labels, no wide
      // strokes), and each tile then carries fewer villages to draw.
      villages: { type: 'geojson', data: collection(villageFeatures), buffer: 32 },
      borders: { type: 'geojson', data: collection([{ type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: D.borders.map(function (b) { return arcs[b]; }) } }]) },
      binaan: { type: 'geojson', data: points(function (v) { return v[BINAAN] === 1; }) },
      recommended: { type: 'geojson', data: points(function (v) { return v[REC] !== null; }) },
      offices: { type: 'geojson', data: collection(D.offices.map(function (o, i) { return { type: 'Feature', id: i, properties: {}, geometry: { type: 'Point', coordinates: [o[1], o[2]] } }; })) }
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } },
      { id: 'villages-fill', type: 'fill', source: 'villages', paint: { 'fill-color': riskFill, 'fill-opacity': 0.9 } },
      { id: 'villages-line', type: 'line', source: 'villages', minzoom: 7, paint: { 'line-color': '#ffffff', 'line-width': 0.5, 'line-opacity': ['interpolate', ['linear'], ['zoom'], 7, 0, 10, 0.8] } },
      { id: 'lisa', type: 'fill', source: 'villages', filter: ['!=', ['get', 'l'], LISA_NS], layout: { visibility: 'none' }, paint: { 'fill-color': lisaFill, 'fill-opacity': 0.85 } },
      { id: 'hotspots', type: 'line', source: 'villages', filter: ['!=', ['get', 'g'], GI_NS], paint: { 'line-color': giLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.3, 7, 1.2, 11, 2.5] } },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#3a3a3a', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.6, 11, 1.8] } },
      { id: 'selected', type: 'line', source: 'villages', filter: ['==', ['id'], -1], paint: { 'line-color': '#000000', 'line-width': 3 } },
      { id: 'binaan', type: 'circle', source: 'binaan', paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 1.5, 8, 3.5, 11, 6], 'circle-color': BINAAN_COLOUR, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 4, 0.5, 8, 1.5] } },
      { id: 'recommended', type: 'circle', source: 'recommended', paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 2.5, 8, 4, 11, 7], 'circle-color': RECOMMENDED_COLOUR, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } },
      { id: 'offices', type: 'circle', source: 'offices', paint: { 'circle-radius': 6, 'circle-color': OFFICE_COLOUR, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } }
    ]
  };

  // The legend, with a switch for each layer a planner turns on and off.
  var legend = document.getElementById('legend');
  function row(swatch, text) {
    return '<div class="legend-row">' + swatch + '<span>' + esc(text) + '</span></div>';
  }
  function toggle(layer, text, on, body) {
    return '<label class="toggle"><input type="checkbox" data-layer="' + layer + '"' + (on ? ' checked' : '') + '>' +
      esc(text) + '</label><div class="sub">' + (body || '') + '</div>';
  }
  var html = '<h2>' + esc(L.risk_score) + '</h2>';
  D.risk_classes.slice().reverse().forEach(function (c) {
    html += row('<span class="sw" style="background:' + c[3] + '"></span>', c[2] + ' (' + c[0] + '–' + c[1] + ')');
  });
  html += row('<span class="sw" style="background:#c8c8c8"></span>', L.no_data);
  html += '<h2>' + esc(L.web_layers) + '</h2>';
  html += toggle('hotspots', L.hotspots, true, D.gi_classes.filter(function (c) { return c[0] !== 'ns'; }).map(function (c) {
    return row('<span class="sw line" style="border-color:' + c[2] + '"></span>', c[1]);
  }).join(''));
  html += toggle('lisa', L.lisa, false, D.lisa_classes.filter(function (c) { return c[0] !== 'ns'; }).map(function (c) {
    return row('<span class="sw" style="background:' + c[2] + '"></span>', c[1]);
  }).join(''));
  function pointToggle(layer, text, colour) {
    return '<label class="toggle"><input type="checkbox" data-layer="' + layer + '" checked><span class="sw dot" style="background:' +
      colour + '"></span>' + esc(text) + '</label>';
  }
  html += pointToggle('binaan', L.desa_binaan, BINAAN_COLOUR);
  html += pointToggle('recommended', L.recommended, RECOMMENDED_COLOUR);
  html += pointToggle('offices', L.offices, OFFICE_COLOUR);
  legend.innerHTML = html;

  var map;
  try {
    map = new maplibregl.Map({
      container: 'map', style: style, bounds: [[bounds[0], bounds[1]], [bounds[2], bounds[3]]],
      fitBoundsOptions: { padding: { top: 20, bottom: 40, left: 330, right: 20 } },
      attributionControl: false, maxZoom: 16, dragRotate: false, pitchWithRotate: false
    });
  } catch (e) {
    var n = document.getElementById('nowebgl');
    n.textContent = L.web_no_webgl + ' (' + e.message + ')';
    n.style.display = 'block';
    return;
  }
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  legend.addEventListener('change', function (e) {
    var layer = e.target.getAttribute('data-layer');
    if (layer) map.setLayoutProperty(layer, 'visibility', e.target.checked ? 'visible' : 'none');
  });

  // Area names (kabupaten/kota, or kecamatan in a one-kabupaten run), as page text: a
  // label layer would need glyphs from a server. Larger areas are named first; a name that
  // would overlap one already shown, or the panel, waits for a closer zoom or a pan.
  var labelled = document.getElementById('map'), panel = document.getElementById('panel');
  var areaLabels = D.areas.map(function (a) {
    var el = document.createElement('div');
    el.className = 'area-label';
    el.textContent = a[0];
    new maplibregl.Marker({ element: el }).setLngLat([a[1], a[2]]).addTo(map);
    return { el: el, at: [a[1], a[2]], villages: a[3] };
  }).sort(function (a, b) { return b.villages - a.villages; });
  var labelZoom = D.areas.length > 40 ? 7 : 0;
  function labels() {
    var hidden = map.getZoom() < labelZoom;
    labelled.classList.toggle('hide-labels', hidden);
    if (hidden) return;
    var q = panel.getBoundingClientRect(), m = labelled.getBoundingClientRect();
    var placed = [[q.left - m.left, q.top - m.top, q.right - m.left, q.bottom - m.top]];
    areaLabels.forEach(function (l) {
      var p = map.project(l.at), w = l.el.textContent.length * 3.6 + 4, h = 9;
      var box = [p.x - w, p.y - h, p.x + w, p.y + h];
      var clear = placed.every(function (b) { return box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3]; });
      l.el.style.visibility = clear ? 'visible' : 'hidden';
      if (clear) placed.push(box);
    });
  }
  map.on('zoomend', labels);
  map.on('moveend', labels);
  map.on('load', labels);

  // A village's popup.
  var popup = new maplibregl.Popup({ maxWidth: '340px', closeOnClick: false, focusAfterOpen: false });
  function villageHtml(i) {
    var v = V[i], rows = [];
    var cls = v[CLASS] >= 0 ? D.risk_classes[v[CLASS]] : null;
    rows.push([L.web_risk, v[SCORE] === null ? esc(L.no_data) :
      '<span class="sw" style="display:inline-block;vertical-align:middle;background:' + cls[3] + '"></span><b>' +
      num(v[SCORE], 2) + '</b> / 10 · ' + esc(cls[2])]);
    rows.push(['', esc(fill(L.web_rank, num(v[RANK], 0), num(D.villages_total, 0), num(v[P05], 0), num(v[P95], 0)))]);
    rows.push([L.web_hot_spot, esc(D.gi_classes[v[GI]][1])]);
    rows.push([L.web_cluster, esc(D.lisa_classes[v[LISA]][1])]);
    rows.push([L.web_coverage, num(v[COVERAGE], 2) + (v[BINAAN] === 1 ? ' · ' + esc(v[DESIGNATED] ? fill(L.web_designated, v[DESIGNATED]) : L.desa_binaan) : '')]);
    rows.push([L.web_recommendation, v[REC] === null ? esc(L.web_not_recommended) :
      '<b>' + esc(fill(L.web_recommended_as, v[REC], v[OFFICE] || '–', v[DIST] === null ? '–' : num(v[DIST], 1))) + '</b>' +
      (v[REASON] ? '<br><i>' + esc(v[REASON]) + '</i>' : '')]);
    var out = '<h3>' + esc(v[DESA]) + '</h3><div class="where">' + esc(v[KODE]) + ' · ' + esc(D.names[v[KEC]]) +
      ', ' + esc(D.names[v[KAB]]) + '</div><table>';
    rows.forEach(function (r) { out += '<tr><th>' + esc(r[0]) + '</th><td>' + r[1] + '</td></tr>'; });
    out += '</table>';
    var c = v[CONTRIB];
    if (c.length) {
      var lines = [];
      for (var k = 0; k < c.length; k += 2) lines.push(esc(D.indicators[c[k]]) + ' +' + num(c[k + 1], 2));
      out += '<div style="margin-top:6px"><b>' + esc(L.web_top_contributions) + '</b><br>' + lines.join('<br>') + '</div>';
    }
    var count = function (c) { return c === '(s)' ? '(s)' : num(c, 0); };
    out += '<div style="margin-top:6px"><b>' + esc(L.web_counts) + '</b><br>' +
      esc(L.web_departures) + ': ' + num(v[DEP], 0) + ' (' + esc(L.web_nonprocedural) + ' ' + num(v[DEP_NP], 0) + ')<br>' +
      esc(L.web_cases) + ': ' + count(v[CASES]) + ' · ' + esc(L.web_victims) + ': ' + count(v[VICTIMS]) + '</div>';
    if (v[CASES] === '(s)' || v[VICTIMS] === '(s)') out += '<div class="note">' + esc(L.web_suppressed) + '</div>';
    return out;
  }
  // A popup that opens under the panel (a village or office clicked near it) is moved clear
  // of it, when the map is wide enough to show both.
  function keepClear() {
    var el = popup.getElement();
    if (!el || !popup.isOpen()) return;
    var p = el.getBoundingClientRect(), q = panel.getBoundingClientRect();
    var under = p.left < q.right && p.top < q.bottom && p.bottom > q.top;
    var dx = q.right + 10 - p.left;
    if (under && q.right + 10 + p.width < map.getCanvas().clientWidth) map.panBy([-dx, 0], { duration: 250 });
  }
  function select(i, at) {
    var v = V[i];
    map.setFilter('selected', ['==', ['id'], i]);
    popup.setLngLat(at || [v[LON], v[LAT]]).setHTML(villageHtml(i)).addTo(map);
    if (map.isMoving()) map.once('moveend', keepClear); else keepClear();
  }
  map.on('click', 'villages-fill', function (e) {
    if (e.features.length) select(e.features[0].id, e.lngLat);
  });
  map.on('click', 'offices', function (e) {
    var o = D.offices[e.features[0].id];
    popup.setLngLat([o[1], o[2]]).setHTML('<h3>' + esc(o[0]) + '</h3>' +
      esc(fill(L.web_capacity, o[3] === null ? '–' : o[3], o[4]))).addTo(map);
    keepClear();
  });
  popup.on('close', function () { map.setFilter('selected', ['==', ['id'], -1]); });
  ['villages-fill', 'offices'].forEach(function (layer) {
    map.on('mouseenter', layer, function () { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', layer, function () { map.getCanvas().style.cursor = ''; });
  });

  // Search by name or code.
  var search = document.getElementById('search'), results = document.getElementById('results');
  var lowered = null;
  function find(text) {
    var t = text.trim().toLowerCase();
    if (t.length < 2) return [];
    if (!lowered) lowered = V.map(function (v) { return v[DESA].toLowerCase(); });
    var hits = [], starts = [];
    for (var i = 0; i < V.length && starts.length < 12; i++) {
      if (V[i][KODE].indexOf(t) === 0 || lowered[i].indexOf(t) === 0) starts.push(i);
      else if (hits.length < 12 && lowered[i].indexOf(t) > 0) hits.push(i);
    }
    return starts.concat(hits).slice(0, 12);
  }
  function go(i) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    villageFeatures[i].geometry.coordinates.forEach(function (p) {
      p[0].forEach(function (c) {
        b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
        b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
      });
    });
    if (isFinite(b[0])) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: { top: 80, bottom: 80, left: 360, right: 60 }, maxZoom: 13, duration: 600 });
    select(i);
  }
  search.addEventListener('input', function () {
    var hits = find(search.value);
    results.innerHTML = hits.length || search.value.trim().length < 2 ? hits.map(function (i) {
      var v = V[i];
      return '<li data-i="' + i + '">' + esc(v[DESA]) + ' <small>' + esc(D.names[v[KEC]]) + ', ' +
        esc(D.names[v[KAB]]) + ' · ' + esc(v[KODE]) + '</small></li>';
    }).join('') : '<li>' + esc(L.web_no_match) + '</li>';
  });
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') {
      var hits = find(search.value);
      if (hits.length) go(hits[0]);
    }
  });
  results.addEventListener('click', function (e) {
    var li = e.target.closest('li[data-i]');
    if (li) go(Number(li.getAttribute('data-i')));
  });

  // A self-check for the project's browser test (map.html#selftest): what rendered, a
  // popup read back, a search, the time a pan and a zoom take to draw, a popup opened beside
  // the panel kept clear of it, and every resource the page asked for.
  var violations = [];
  document.addEventListener('securitypolicyviolation', function (e) { violations.push(e.blockedURI + ' ' + e.violatedDirective); });
  map.on('error', function (e) { violations.push('map error: ' + (e.error && e.error.message)); });
  if (location.hash === '#selftest') {
    map.once('idle', function () {
      var seen = {};
      map.queryRenderedFeatures({ layers: ['villages-fill'] }).forEach(function (f) { seen[f.id] = true; });
      var first = 0;
      V.forEach(function (v, i) { if (v[RANK] < V[first][RANK]) first = i; });
      var hits = find(V[first][KODE]);
      select(first);
      var content = document.querySelector('.maplibregl-popup-content');
      var result = {
        villages: V.length,
        rendered: Object.keys(seen).length,
        selected: V[first][KODE],
        popup: content ? content.innerText : null,
        search_first: hits.length ? V[hits[0]][KODE] : null,
        // From navigation to every village drawn, before the pan and zoom below.
        drawn_seconds: performance.now() / 1000
      };

      // How long a pan by a third of the screen, then a zoom in, take to draw completely.
      var t0 = performance.now();
      map.panBy([map.getCanvas().clientWidth / 3, 0], { animate: false });
      map.once('idle', function () {
        result.pan_seconds = (performance.now() - t0) / 1000;
        // After the pan (which moves the map under the panel): area names shown, and how
        // many of them the panel covers (none should be).
        var q = panel.getBoundingClientRect(), shown = areaLabels.filter(function (l) {
          return l.el.style.visibility !== 'hidden' && !labelled.classList.contains('hide-labels');
        });
        result.labels_shown = shown.length;
        result.labels_under_panel = shown.filter(function (l) {
          var r = l.el.getBoundingClientRect();
          return r.left < q.right && r.right > q.left && r.top < q.bottom && r.bottom > q.top;
        }).length;
        var t1 = performance.now();
        map.zoomIn({ animate: false });
        map.once('idle', function () {
          result.zoom_seconds = (performance.now() - t1) / 1000;
          // A village clicked just beside the panel: its popup must end clear of the panel.
          var q = panel.getBoundingClientRect(), at = [q.right + 15, q.top + 200];
          var beside = map.queryRenderedFeatures(at, { layers: ['villages-fill'] });
          var finish = function () {
            if (beside.length) {
              var p = popup.getElement().getBoundingClientRect();
              result.beside_panel = V[beside[0].id][KODE];
              result.popup_clear_of_panel = p.left >= q.right || p.top >= q.bottom || p.bottom <= q.top;
            }
            result.resources = performance.getEntriesByType('resource').map(function (r) { return r.name; });
            result.problems = violations;
            document.getElementById('selftest').textContent = JSON.stringify(result);
          };
          if (beside.length) select(beside[0].id, map.unproject(at));
          if (map.isMoving()) map.once('moveend', finish); else finish();
        });
      });
    });
  }
})();
