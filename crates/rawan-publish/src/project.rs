//! A QGIS project (`rawan.qgs`) that opens every layer, styled, in a sensible drawing order
//! (offices on top, village risk at the bottom), with paths relative to the project.
//!
//! The layers are read from `rawan.gpkg`, not from the GeoJSON files beside it: QGIS reads
//! a GeoJSON file whole and builds its own index before drawing, a GeoPackage layer it
//! reads through its spatial index, so a national project opens at once (docs/formats.md).

use crate::qml::{esc, styles};
use crate::{Publication, PublishError, i18n::t, layers, write_file};
use std::fmt::Write as _;
use std::path::Path;

const WGS84: &str = "<spatialrefsys><wkt>GEOGCRS[\"WGS 84\",DATUM[\"World Geodetic System 1984\",ELLIPSOID[\"WGS 84\",6378137,298.257223563,LENGTHUNIT[\"metre\",1]]],PRIMEM[\"Greenwich\",0,ANGLEUNIT[\"degree\",0.0174532925199433]],CS[ellipsoidal,2],AXIS[\"geodetic latitude (Lat)\",north,ORDER[1],ANGLEUNIT[\"degree\",0.0174532925199433]],AXIS[\"geodetic longitude (Lon)\",east,ORDER[2],ANGLEUNIT[\"degree\",0.0174532925199433]],ID[\"EPSG\",4326]]</wkt><proj4>+proj=longlat +datum=WGS84 +no_defs</proj4><srsid>3452</srsid><srid>4326</srid><authid>EPSG:4326</authid><description>WGS 84</description><projectionacronym>longlat</projectionacronym><ellipsoidacronym>EPSG:7030</ellipsoidacronym><geographicflag>true</geographicflag></spatialrefsys>";

pub fn write(p: &Publication, dir: &Path) -> Result<Vec<String>, PublishError> {
    let lang = p.lang;
    // Drawing order, top first.
    let order = [
        layers::OFFICES,
        layers::RECOMMENDED,
        layers::DESA_BINAAN,
        layers::HOTSPOTS,
        layers::LISA,
        layers::VILLAGES,
    ];
    let styles = styles(lang);
    let (mut tree, mut maplayers, mut order_xml) = (String::new(), String::new(), String::new());
    for name in order {
        let (_, renderer, labeling) = styles
            .iter()
            .find(|(n, _, _)| *n == name)
            .expect("style for every layer");
        let id = format!("rawan_{name}");
        let title = esc(t(lang, name));
        let geometry = if name == layers::OFFICES {
            "Point"
        } else {
            "Polygon"
        };
        // Hot spots and LISA start hidden so the risk map shows first.
        let checked = if name == layers::HOTSPOTS || name == layers::LISA {
            "Qt::Unchecked"
        } else {
            "Qt::Checked"
        };
        let source = format!("./{}|layername={name}", crate::gpkg::FILE);
        let _ = write!(
            tree,
            "<layer-tree-layer id=\"{id}\" name=\"{title}\" source=\"{source}\" providerKey=\"ogr\" checked=\"{checked}\" expanded=\"1\"><customproperties/></layer-tree-layer>"
        );
        let _ = write!(order_xml, "<item>{id}</item>");
        let _ = write!(
            maplayers,
            "<maplayer type=\"vector\" geometry=\"{geometry}\" wkbType=\"{}\" labelsEnabled=\"{}\" readOnly=\"0\" hasScaleBasedVisibilityFlag=\"0\" autoRefreshEnabled=\"0\"><id>{id}</id><datasource>{source}</datasource><layername>{title}</layername><srs>{WGS84}</srs><provider encoding=\"UTF-8\">ogr</provider>{renderer}{}<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode><layerOpacity>{}</layerOpacity></maplayer>",
            if geometry == "Point" {
                "Point"
            } else {
                "MultiPolygon"
            },
            u8::from(labeling.is_some()),
            labeling.as_deref().unwrap_or(""),
            if name == layers::VILLAGES { "1" } else { "0.9" }
        );
    }
    let title = format!("rawan — {} {}", t(lang, "villages"), p.job.as_of);
    let xml = format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis projectname=\"{t}\" version=\"3.22.0-Białowieża\">\n<homePath path=\"\"/>\n<title>{t}</title>\n<projectCrs>{WGS84}</projectCrs>\n<layer-tree-group><customproperties/>{tree}<custom-order enabled=\"0\">{order_xml}</custom-order></layer-tree-group>\n<projectlayers>{maplayers}</projectlayers>\n<layerorder>{}</layerorder>\n<properties><Paths><Absolute type=\"bool\">false</Absolute></Paths></properties>\n</qgis>\n",
        order
            .iter()
            .map(|n| format!("<layer id=\"rawan_{n}\"/>"))
            .collect::<String>(),
        t = esc(&title),
    );
    Ok(vec![write_file(dir, "rawan.qgs", xml.as_bytes())?])
}
