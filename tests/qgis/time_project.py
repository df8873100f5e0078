"""Times what a planner waits for when opening a run's QGIS project: `QgsProject.read`, then
the visible layers drawn at 1400 x 1100 over the whole extent, then over a fiftieth of it
(zoomed in). Does it twice: for `rawan.qgs` as written (layers from rawan.gpkg) and for a copy
whose layers are the GeoJSON files beside it, so the two sources compare on one machine.

A development tool (docs/formats.md), not a test. Usage:
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis/time_project.py OUTDIR
"""
import os, re, sys, time, subprocess

if len(sys.argv) == 3:
    # One measurement, in a process of its own (QGIS keeps what it read).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (QgsApplication, QgsProject, QgsMapSettings,
                           QgsMapRendererParallelJob, QgsRectangle)
    from qgis.PyQt.QtCore import QSize
    app = QgsApplication([], False)
    app.initQgis()
    t0 = time.time()
    project = QgsProject.instance()
    ok = project.read(sys.argv[1])
    t1 = time.time()
    layers = [l.layer() for l in project.layerTreeRoot().findLayers() if l.isVisible()]
    extent = max(layers, key=lambda l: l.featureCount()).extent()
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setOutputSize(QSize(1400, 1100))
    settings.setDestinationCrs(layers[0].crs())

    def draw(ext):
        settings.setExtent(ext)
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        return job.renderedImage()

    draw(extent)
    t2 = time.time()
    c, w, h = extent.center(), extent.width() / 100, extent.height() / 100
    image = draw(QgsRectangle(c.x() - w, c.y() - h, c.x() + w, c.y() + h))
    t3 = time.time()
    image.save(sys.argv[2])
    print(f"open {t1 - t0:.2f} s, whole extent {t2 - t1:.2f} s, zoomed in {t3 - t2:.2f} s"
          f" (loaded: {ok}, visible layers: {len(layers)}, zoomed render: {sys.argv[2]})")
    sys.stdout.flush()
    os._exit(0)

import tempfile
out = os.path.abspath(sys.argv[1])
written = os.path.join(out, "rawan.qgs")
# The copy goes elsewhere (nothing is added to a run's folder), its layers by absolute path.
geojson = os.path.join(tempfile.mkdtemp(), "rawan-geojson.qgs")
with open(written, encoding="utf-8") as f:
    text = f.read()
with open(geojson, "w", encoding="utf-8") as f:
    f.write(re.sub(r"\./rawan\.gpkg\|layername=([a-z_]+)", lambda m: f"{out}/{m.group(1)}.geojson", text))
try:
    for label, qgs in (("rawan.qgs (rawan.gpkg)", written), ("the same, GeoJSON layers", geojson)):
        png = os.path.join("/tmp", f"rawan-project-{'gpkg' if qgs == written else 'geojson'}.png")
        r = subprocess.run([sys.executable, __file__, qgs, png], capture_output=True, text=True)
        print(f"{label}: {r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-500:]}")
finally:
    os.remove(geojson)
