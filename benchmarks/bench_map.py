"""Map benchmark: build time, peak memory, file size and Chromium display time of map.html.

Run:  .venv/bin/python benchmarks/bench_map.py [--n 100000] [--folium-n 100000] [--no-browser]

Data: the 16.5k real UCDP GED Syria events in ``../shared/datasets/ucdp_ged_syria_2016_2019``
(read directly with pandas), repeated with a random jitter of up to 0.05 degrees until there
are ``--n`` incidents (seed 0). Each measurement runs in a fresh process, so its peak RSS is
its own (data preparation included). Prints one table:
- ours: ``mapper.render.build_map`` + ``to_html`` (self-contained, every script inlined) +
  writing the file;
- folium: the plain folium path for the same points (``folium.Marker`` with a popup, in a
  ``plugins.MarkerCluster``, ``Map.save``; CDN links, nothing inlined), on ``--folium-n``
  points;
- Chromium (Debian, headless, through Playwright, network blocked): from navigation until the
  map script has run and the first clusters are drawn, then a screenshot;
- every export of ``write_outputs`` (defaults + gpkg, kml, csv; map included) for ``--n``;
- the demo map of ``examples/articles`` (the pipeline of ``make demo``): its size.
"build s" is wall time, "CPU s" the process's CPU time (steadier on a shared machine); "data
MB" is the peak RSS after preparing the data, before the measured step.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UCDP = ROOT.parent / "shared" / "datasets" / "ucdp_ged_syria_2016_2019" / "ged_syria_2016-01-01_2019-11-30.csv"
EXAMPLES = ROOT / "examples" / "articles"
sys.path.insert(0, str(ROOT))

_METHOD_WORDS = (("drone", "drone"), ("rocket", "rocket"), ("mortar", "mortar"), ("shell", "shelling"),
                 ("air strike", "airstrike"), ("airstrike", "airstrike"), ("raid", "airstrike"),
                 ("ied", "IED"), ("explo", "IED"), ("bomb", "IED"), ("assassinat", "assassination"))
_UNCERTAINTY_KM = {1: 2.0, 2: 25.0, 3: 50.0, 4: 75.0, 5: 100.0, 6: 200.0, 7: 100.0}


def _method(headline: object, violence: int) -> str:
    text = str(headline).lower()
    for word, method in _METHOD_WORDS:
        if word in text:
            return method
    return "small arms" if violence == 3 else "armed clash"


def ucdp_result(n: int):
    """A ``Result`` with ``n`` incidents made from the UCDP Syria events (with jitter)."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from mapper import frames
    from mapper.pipeline import Result

    raw = pd.read_csv(UCDP, low_memory=False)
    reps = -(-n // len(raw))
    data = pd.concat([raw] * reps, ignore_index=True).iloc[:n]
    rng = np.random.default_rng(0)
    lon = data["longitude"].to_numpy() + rng.uniform(-0.05, 0.05, n) * (data.index >= len(raw))
    lat = data["latitude"].to_numpy() + rng.uniform(-0.05, 0.05, n) * (data.index >= len(raw))
    prec = data["date_prec"].astype(int)
    table = pd.DataFrame({c: [None] * n for c in frames.INCIDENT_COLUMNS})
    table["id"] = [f"IM-bench-{i:06d}" for i in range(n)]
    table["event_type"] = np.where(data["type_of_violence"] == 3, "Violence against civilians", "Battles")
    table["sub_event_type"] = np.where(data["type_of_violence"] == 3, "Attack", "Armed clash")
    table["method"] = [_method(h, v) for h, v in zip(data["source_headline"], data["type_of_violence"], strict=True)]
    table["is_threat"] = False
    table["date_start"] = data["date_start"].str[:10]
    table["date_end"] = data["date_end"].str[:10]
    table["time_precision"] = pd.array(prec.map({1: 1, 2: 2, 3: 2, 4: 3}), dtype="Int64")
    table["location"] = data["where_coordinates"]
    table["geo_precision"] = pd.array(data["where_prec"].clip(upper=3), dtype="Int64")
    table["uncertainty_km"] = data["where_prec"].map(_UNCERTAINTY_KM)
    table["country"] = "SY"
    table["admin1"] = data["adm_1"]
    table["actor1"] = data["side_a"]
    table["actor2"] = data["side_b"]
    table["fatalities"] = pd.array(data["best"], dtype="Int64")
    table["source"] = data["source_office"]
    table["quote"] = data["source_headline"]
    table["n_sources"] = pd.array(data["number_of_sources"], dtype="Int64")
    table["origin"] = "ucdp"
    table["licence"] = "CC BY 4.0 (UCDP)"
    for col in ("start", "end"):
        table[col] = pd.array([None] * n, dtype="Int64")
    incidents = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(lon, lat, crs=frames.CRS), crs=frames.CRS)  # x=lon
    empty = frames.mentions_frame([])
    return Result(incidents, frames.places_frame([]), empty, frames.empty_actors_frame(), {})


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def job_ours(n: int, out: str) -> dict[str, float]:
    result = ucdp_result(n)
    prepared = _peak_mb()
    from mapper.atomic import atomic_write_text
    from mapper.render import build_map, to_html

    started, cpu = time.perf_counter(), time.process_time()
    atomic_write_text(Path(out), to_html(build_map(result)))
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "peak_mb": _peak_mb(), "data_mb": prepared,
            "size_mb": Path(out).stat().st_size / 1e6}


def job_folium(n: int, out: str) -> dict[str, float]:
    result = ucdp_result(n)
    prepared = _peak_mb()
    import folium
    from folium.plugins import MarkerCluster

    started, cpu = time.perf_counter(), time.process_time()
    inc = result.incidents
    m = folium.Map(location=[35.0, 38.5], zoom_start=7, tiles=None, max_zoom=12)
    cluster = MarkerCluster(name="Incidents").add_to(m)
    for date, loc, method, quote, geom in zip(inc["date_start"], inc["location"], inc["method"], inc["quote"],
                                              inc.geometry, strict=True):
        popup = folium.Popup(f"{date} {method} at {loc}: {quote}", parse_html=True)  # text, escaped
        folium.Marker([geom.y, geom.x], popup=popup).add_to(cluster)  # folium order: lat, lon
    folium.LayerControl().add_to(m)
    m.save(out)
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "peak_mb": _peak_mb(), "data_mb": prepared,
            "size_mb": Path(out).stat().st_size / 1e6}


def job_exports(n: int, out: str) -> dict[str, float]:
    result = ucdp_result(n)
    prepared = _peak_mb()
    from mapper.export import write_outputs

    started, cpu = time.perf_counter(), time.process_time()
    written = write_outputs(result, Path(out), formats=("gpkg", "kml", "csv"))
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "peak_mb": _peak_mb(), "data_mb": prepared, "size_mb": sum(p.stat().st_size for p in written) / 1e6}


def job_demo(out: str) -> dict[str, float]:
    import mapper
    from mapper.render import build_map, to_html

    result = mapper.run([str(EXAMPLES)])
    html = to_html(build_map(result))
    Path(out).write_text(html, encoding="utf-8")
    return {"size_mb": len(html.encode("utf-8")) / 1e6, "incidents": len(result.incidents),
            "places": len(result.places)}


def _subprocess(job: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--job", job, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{job} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def browser_seconds(path: Path) -> tuple[float, int]:
    """Seconds from navigation to a screenshot with clusters drawn, and the marker count."""
    from playwright.sync_api import sync_playwright

    from mapper.render.snapshot import CHROMIUM_FLAGS, find_chromium

    flags = [f for f in CHROMIUM_FLAGS if f != "--headless"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=flags)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        started = time.perf_counter()
        page.goto(path.as_uri(), timeout=120_000)
        page.wait_for_function("window.incidentMapState !== undefined", timeout=120_000)
        page.wait_for_selector(".marker-cluster, .im-marker", timeout=120_000)
        page.screenshot(path=str(path.with_suffix(".png")))
        seconds = time.perf_counter() - started
        shown = int(page.evaluate("document.querySelector('.leaflet-container').dataset.visibleIncidents"))
        browser.close()
    return seconds, shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--folium-n", type=int, default=None, help="points for folium's path (default: --n)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the HTML files in")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.job:
        jobs = {"ours": lambda: job_ours(int(opts.args[0]), opts.args[1]),
                "folium": lambda: job_folium(int(opts.args[0]), opts.args[1]),
                "exports": lambda: job_exports(int(opts.args[0]), opts.args[1]),
                "demo": lambda: job_demo(opts.args[0])}
        print(json.dumps(jobs[opts.job]()))
        return 0
    if not UCDP.is_file():
        print(f"missing {UCDP}", file=sys.stderr)
        return 2
    folium_n = opts.folium_n or opts.n
    work = opts.keep or Path(tempfile.mkdtemp(prefix="bench-map-"))
    work.mkdir(parents=True, exist_ok=True)
    ours_html, folium_html = work / "map_ours.html", work / "map_folium.html"
    load = os.getloadavg()[0]
    rows = []
    ours = _subprocess("ours", str(opts.n), str(ours_html))
    rows.append(("ours: build_map + to_html (inlined)", opts.n, ours))
    folium = _subprocess("folium", str(folium_n), str(folium_html))
    rows.append(("folium: Marker + MarkerCluster (CDN)", folium_n, folium))
    rows.append(("all exports (+gpkg, kml, csv), MB total", opts.n,
                 _subprocess("exports", str(opts.n), str(work / "exports"))))
    print(f"load average at start: {load:.1f} on {os.cpu_count()} cores (wall times grow with it)")
    print(f"\n{'measurement':<40} {'n':>8} {'build s':>9} {'CPU s':>7} {'peak MB':>9} {'data MB':>9} {'HTML MB':>9}")
    for name, n, r in rows:
        print(f"{name:<40} {n:>8,} {r['seconds']:>9.2f} {r['cpu']:>7.2f} {r['peak_mb']:>9.0f} {r['data_mb']:>9.0f} "
              f"{r['size_mb']:>9.1f}")
    for what in ("seconds", "cpu"):
        per_point = (folium[what] / folium_n) / (ours[what] / opts.n)
        print(f"speed-up per point (folium / ours), {'wall' if what == 'seconds' else 'CPU'} time: {per_point:.1f}x")
    if not opts.no_browser and shutil.which("chromium"):
        seconds, shown = browser_seconds(ours_html)
        print(f"Chromium, ours, {opts.n:,} incidents: {seconds:.2f} s to clusters + screenshot "
              f"({shown:,} incidents shown)")
    if EXAMPLES.is_dir():
        try:
            demo = _subprocess("demo", str(work / "demo.html"))
            print(f"demo map of {EXAMPLES.relative_to(ROOT)}: {demo['size_mb']:.2f} MB "
                  f"({demo['incidents']} incidents, {demo['places']} places)")
        except RuntimeError as exc:
            print(f"demo map: not measured ({str(exc).splitlines()[0]})")
    if opts.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
