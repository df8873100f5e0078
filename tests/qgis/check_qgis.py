"""Opens a rawan output folder in real QGIS (headless) and checks what a planner would see:
each layer valid with its feature count, its .qml applied as the default style with the
expected renderer, the same six layers of rawan.gpkg (opened with nothing beside it) styled
from the file's own layer_styles table, and the project file loading every layer (from
rawan.gpkg). Renders the
project to PNG. Given the folder of `rawan compare`, checks its `changes` layer and
`changes.gpkg` the same way and renders that layer.

Not part of `make test` (QGIS is a 1 GB install); run it with `make qgis-check`, which installs
Debian's qgis + python3-qgis. Usage: QT_QPA_PLATFORM=offscreen /usr/bin/python3 check_qgis.py OUTDIR [RENDER.png]
"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer, QgsMapSettings, QgsMapRendererParallelJob
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

out = sys.argv[1]
app = QgsApplication([], False)
app.initQgis()
print("QGIS", Qgis.QGIS_VERSION)
comparison = os.path.exists(os.path.join(out, "changes.gpkg"))
gpkg_file = "changes.gpkg" if comparison else "rawan.gpkg"
expected = {"changes": "categorizedSymbol"} if comparison else {
    "villages": "graduatedSymbol",
    "hotspots": "categorizedSymbol",
    "lisa": "categorizedSymbol",
    "recommended": "singleSymbol",
    "desa_binaan": "singleSymbol",
    "offices": "singleSymbol",
}
failures = []


def render(layers, extent):
    """Renders `layers` over `extent` to the PNG named on the command line."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(1400, 1100))
    settings.setDestinationCrs(layers[0].crs())
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    png = sys.argv[2] if len(sys.argv) > 2 else "/tmp/rawan_qgis_render.png"
    job.renderedImage().save(png)
    print("rendered", os.path.abspath(png))


for name, renderer in expected.items():
    layer = QgsVectorLayer(os.path.join(out, name + ".geojson"), name, "ogr")
    if not layer.isValid():
        failures.append(f"{name}: layer not valid")
        continue
    msg, ok = layer.loadDefaultStyle()
    got = layer.renderer().type()
    detail = ""
    if got == "graduatedSymbol":
        detail = f"{len(layer.renderer().ranges())} classes on {layer.renderer().classAttribute()}"
    elif got == "categorizedSymbol":
        detail = f"{len(layer.renderer().categories())} categories on {layer.renderer().classAttribute()}"
    print(f"{name:12} features={layer.featureCount():6} style_loaded={ok} renderer={got} {detail} labels={layer.labelsEnabled()}")
    if not ok or got != renderer:
        failures.append(f"{name}: style {ok} {msg} renderer {got}")
# The GeoPackage alone in a folder of its own: any style QGIS applies can only come from the
# file's layer_styles table.
import shutil, tempfile
alone = tempfile.mkdtemp()
shutil.copy(os.path.join(out, gpkg_file), alone)
gpkg_layers = []
for name, renderer in expected.items():
    layer = QgsVectorLayer(os.path.join(alone, gpkg_file) + "|layername=" + name, name, "ogr")
    gpkg_layers.append(layer)
    if not layer.isValid():
        failures.append(f"{gpkg_file} {name}: layer not valid")
        continue
    geojson = QgsVectorLayer(os.path.join(out, name + ".geojson"), name, "ogr")
    msg, ok = layer.loadDefaultStyle()
    got = layer.renderer().type()
    print(f"gpkg {name:12} features={layer.featureCount():6} style_loaded={ok} renderer={got} labels={layer.labelsEnabled()} spatial_index={int(layer.hasSpatialIndex())}")
    if layer.featureCount() != geojson.featureCount():
        failures.append(f"{gpkg_file} {name}: {layer.featureCount()} features, GeoJSON {geojson.featureCount()}")
    if not ok or got != renderer:
        failures.append(f"{gpkg_file} {name}: stored style {ok} {msg} renderer {got}")
if comparison:
    # What a planner sees: the comparison's layer from the GeoPackage, with its own style.
    render(gpkg_layers, gpkg_layers[0].extent())
    app.exitQgis()
    print("FAILED:", *failures, sep="\n  ") if failures else print("OK")
    sys.stdout.flush()
    os._exit(1 if failures else 0)
project = QgsProject.instance()
if not project.read(os.path.join(out, "rawan.qgs")):
    failures.append("rawan.qgs did not load")
layers = list(project.mapLayers().values())
print("project layers:", len(layers), [l.name() for l in layers], "all valid:", all(l.isValid() for l in layers))
if len(layers) != 6 or not all(l.isValid() for l in layers):
    failures.append("project layers missing or invalid")
# The project reads its layers from the GeoPackage (through its spatial indexes).
for l in layers:
    if "rawan.gpkg|layername=" not in l.source():
        failures.append(f"project layer {l.name()} reads {l.source()}, not rawan.gpkg")
root = project.layerTreeRoot()
visible = [l.layer() for l in root.findLayers() if l.isVisible()]
ext = None
for l in visible:
    ext = l.extent() if ext is None else ext
    if l.name() and l.featureCount() > 1000:
        ext = l.extent()
render(visible, ext)
app.exitQgis()
if failures:
    print("FAILED:", *failures, sep="\n  ")
else:
    print("OK")
# PyQGIS objects left for the interpreter's teardown can crash it after exitQgis() (seen
# with QGIS 3.22: a segfault after "OK"); leave without that teardown.
sys.stdout.flush()
os._exit(1 if failures else 0)
