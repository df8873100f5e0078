//! Projected village layers: a Shapefile's `.prj` names its coordinate system, and rawan
//! transforms it back to longitude/latitude. The WKT is turned into a PROJ definition by
//! `proj4wkt` and the points are transformed by `proj4rs` (both pure Rust), so any
//! projection those read works — Transverse Mercator in all its Indonesian uses (UTM zones,
//! the national land agency's TM-3 zones) and more. Web Mercator, which `proj4wkt` does not
//! map from ESRI's WKT, is undone here (two lines of spherical formulae).
//!
//! The datum must be WGS 84, DGN95 or SRGI2013: the three differ by well under a metre at a
//! village's scale (DGN95 is realised on WGS 84's ellipsoid, SRGI2013 on ITRF2008) and are
//! taken as one, which `docs/data-contract.md` states. A layer on another datum (Batavia,
//! ID74: hundreds of metres away) is refused rather than placed wrongly.

/// A projection rawan can undo.
#[derive(Clone)]
pub enum Projection {
    /// What `proj4rs` reads from the `.prj` (its PROJ definition kept for messages).
    Proj {
        definition: String,
        from: Box<proj4rs::Proj>,
        to: Box<proj4rs::Proj>,
    },
    WebMercator,
}

impl std::fmt::Debug for Projection {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Projection::Proj { definition, .. } => f.write_str(definition),
            Projection::WebMercator => f.write_str("Web Mercator"),
        }
    }
}

const A: f64 = 6_378_137.0;

/// What a `.prj` says: `Ok(None)` for geographic lon/lat, `Ok(Some(p))` for a projection
/// rawan can undo, `Err(reason)` otherwise.
pub fn from_prj(wkt: &str) -> Result<Option<Projection>, String> {
    let upper = wkt.to_uppercase();
    // The datum by its DATUM node's name where the WKT has one (an ellipsoid named WGS 84
    // says nothing of the datum), else by any name in the text.
    let datum_text = datum_name(wkt)
        .map(str::to_uppercase)
        .unwrap_or(upper.clone());
    let datum_ok = ["WGS", "DGN", "GEODESI_NASIONAL", "GEODESI NASIONAL", "SRGI"]
        .iter()
        .any(|d| datum_text.contains(d))
        || is_srgi2013(&datum_text);
    if !upper.starts_with("PROJCS") && !upper.starts_with("PROJCRS") {
        return if datum_ok {
            // Longitude/latitude: as they are, but for SRGI2013's shift to WGS 84.
            Ok(datum_name(wkt).is_some_and(is_srgi2013).then(|| {
                proj_to_lonlat(format!("+proj=longlat +ellps=WGS84 {SRGI2013_TO_WGS84}"))
                    .expect("a valid longitude/latitude definition")
            }))
        } else {
            Err(format!(
                "its datum is not WGS 84, DGN95 or SRGI2013 ({})",
                first_name(wkt)
            ))
        };
    }
    let name = first_name(wkt);
    if !datum_ok {
        return Err(format!(
            "{name}: its datum is not WGS 84, DGN95 or SRGI2013 (another datum would place villages hundreds of metres away)"
        ));
    }
    let n = name.to_uppercase().replace(['_', '-'], " ");
    if n.contains("WEB MERCATOR")
        || n.contains("PSEUDO MERCATOR")
        || n.contains("POPULAR VISUALISATION")
        || upper.contains("MERCATOR_AUXILIARY_SPHERE")
    {
        return Ok(Some(Projection::WebMercator));
    }
    let mut definition = proj4wkt::wkt_to_projstring(wkt)
        .map_err(|e| format!("{name}, a projection rawan cannot transform ({e})"))?;
    if datum_name(wkt).is_some_and(is_srgi2013) {
        // SRGI2013 to WGS 84 as PROJ and GDAL do it: the inverse of EPSG's "DGN95 to
        // SRGI2013 (1)" Helmert (about 0.3 m east and 0.5 m up at Java), then DGN95 taken as
        // WGS 84 (EPSG's "DGN95 to WGS 84 (1)" is the identity, to 1 m). Written as PROJ's
        // position-vector +towgs84: translations and scale negated, rotations kept.
        definition = definition
            .split_whitespace()
            .filter(|p| !p.starts_with("+towgs84=") && !p.starts_with("+datum="))
            .chain(std::iter::once(SRGI2013_TO_WGS84))
            .collect::<Vec<_>>()
            .join(" ");
    }
    proj_to_lonlat(definition)
        .map(Some)
        .map_err(|e| format!("{name}, a projection rawan cannot transform ({e})"))
}

/// The transformation from a PROJ definition to WGS 84 longitude/latitude.
fn proj_to_lonlat(definition: String) -> Result<Projection, String> {
    let from = proj4rs::Proj::from_proj_string(&definition).map_err(|e| e.to_string())?;
    if !from.has_inverse() {
        return Err("it has no inverse".into());
    }
    let to = proj4rs::Proj::from_proj_string(
        "+proj=longlat +ellps=WGS84 +towgs84=0,0,0,0,0,0,0 +no_defs",
    )
    .expect("a valid longitude/latitude definition");
    Ok(Projection::Proj {
        definition,
        from: Box::new(from),
        to: Box::new(to),
    })
}

/// EPSG 9474's inverse as PROJ's position-vector Helmert (metres, arc-seconds, ppm).
const SRGI2013_TO_WGS84: &str = "+towgs84=0.2773,-0.0534,-0.4819,0.0192857593841035,-0.00589917345866696,0.00199870597253436,0.028";

/// The name in the WKT's DATUM node, if it has one.
fn datum_name(wkt: &str) -> Option<&str> {
    let upper_at = wkt.to_ascii_uppercase().find("DATUM[\"")?;
    let rest = &wkt[upper_at + 7..];
    rest.split('"').next()
}

fn is_srgi2013(datum: &str) -> bool {
    let d = datum.to_ascii_uppercase().replace(['_', ' '], "");
    d.contains("SRGI") || d.contains("SISTEMREFERENSIGEOSPASIAL")
}

fn first_name(wkt: &str) -> String {
    wkt.split('"')
        .nth(1)
        .unwrap_or("an unnamed coordinate system")
        .to_string()
}

/// (x, y) in the projection → (longitude, latitude) in degrees; NaN where the point has no
/// inverse (the reader's checks then reject its village).
pub fn inverse(p: &Projection, x: f64, y: f64) -> (f64, f64) {
    match p {
        Projection::WebMercator => (
            x / A * 180.0 / std::f64::consts::PI,
            (2.0 * (y / A).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(),
        ),
        Projection::Proj { from, to, .. } => {
            // proj4rs takes and gives angles in radians.
            let mut point = if from.is_latlong() {
                (x.to_radians(), y.to_radians(), 0.0)
            } else {
                (x, y, 0.0)
            };
            match proj4rs::transform::transform(from, to, &mut point) {
                Ok(()) => (point.0.to_degrees(), point.1.to_degrees()),
                Err(_) => (f64::NAN, f64::NAN),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TM3_48_2: &str = r#"PROJCS["DGN_1995_Indonesia_TM-3_Zone_48.2",GEOGCS["GCS_DGN_1995",DATUM["D_Datum_Geodesi_Nasional_1995",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",200000.0],PARAMETER["False_Northing",1500000.0],PARAMETER["Central_Meridian",106.5],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const UTM_48S: &str = r#"PROJCS["WGS_1984_UTM_Zone_48S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn reads_what_common_prj_files_say() {
        assert!(matches!(
            from_prj(TM3_48_2),
            Ok(Some(Projection::Proj { .. }))
        ));
        assert!(matches!(
            from_prj(UTM_48S),
            Ok(Some(Projection::Proj { .. }))
        ));
        assert!(matches!(
            from_prj("PROJCS[\"WGS 84 / Pseudo-Mercator\",GEOGCS[\"WGS 84\"]]"),
            Ok(Some(Projection::WebMercator))
        ));
        assert!(matches!(
            from_prj("GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\"]]"),
            Ok(None)
        ));
        assert!(
            from_prj("PROJCS[\"Batavia / UTM zone 48S\",GEOGCS[\"Batavia\"]]")
                .unwrap_err()
                .contains("datum")
        );
        // A name alone, with no projection method to read, is refused with its name.
        assert!(
            from_prj("PROJCS[\"DGN95 / Something\",GEOGCS[\"DGN95\"]]")
                .unwrap_err()
                .contains("DGN95 / Something")
        );
    }

    #[test]
    fn false_origins_and_central_meridians_come_back_exactly() {
        // At the false origin on the central meridian: lon = lon0, lat = 0.
        let tm3 = from_prj(TM3_48_2).unwrap().unwrap();
        let (lon, lat) = inverse(&tm3, 200_000.0, 1_500_000.0);
        assert!(
            (lon - 106.5).abs() < 1e-9 && lat.abs() < 1e-9,
            "{lon} {lat}"
        );
        let utm = from_prj(UTM_48S).unwrap().unwrap();
        let (lon, lat) = inverse(&utm, 500_000.0, 10_000_000.0);
        assert!(
            (lon - 105.0).abs() < 1e-9 && lat.abs() < 1e-9,
            "{lon} {lat}"
        );
        // Along the central meridian the northing is the meridian arc times k0: from the
        // equator to 6° it is 663,469.955 m on WGS 84 (the meridian radius of curvature
        // a(1 − e²)/(1 − e² sin² φ)^1.5 integrated numerically), so y = 10,000,000 − 0.9996 · it.
        let (lon, lat) = inverse(&utm, 500_000.0, 10_000_000.0 - 0.9996 * 663_469.955);
        assert!(
            (lon - 105.0).abs() < 1e-9 && (lat + 6.0).abs() < 1e-7,
            "{lon} {lat}"
        );
        let (lon, lat) = inverse(&Projection::WebMercator, 0.0, 0.0);
        assert!(lon.abs() < 1e-12 && lat.abs() < 1e-12);
    }
}
