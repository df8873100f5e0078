//! Projected village layers: a Shapefile's `.prj` names its coordinate system. rawan
//! transforms the two that Indonesian layers commonly use back to longitude/latitude —
//! UTM (zones 46–54, north or south) on WGS 84 or DGN95 (whose ellipsoid is WGS 84's), and
//! Web Mercator — and refuses anything else with a message that says what to do.
//!
//! The inverse transverse Mercator uses Krüger's series to third order in n (Karney 2011),
//! accurate to well under a millimetre within a UTM zone.

/// A projection rawan can undo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Projection {
    Utm { zone: u32, south: bool },
    WebMercator,
}

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;

/// What a `.prj` says: `Ok(None)` for geographic lon/lat, `Ok(Some(p))` for a projection
/// rawan can undo, `Err(reason)` otherwise.
pub fn from_prj(wkt: &str) -> Result<Option<Projection>, String> {
    let upper = wkt.to_uppercase();
    let datum_ok = upper.contains("WGS")
        || upper.contains("DGN")
        || upper.contains("GEODESI_NASIONAL")
        || upper.contains("SRGI");
    if !upper.starts_with("PROJCS") && !upper.starts_with("PROJCRS") {
        return if datum_ok {
            Ok(None)
        } else {
            Err(format!(
                "its datum is not WGS 84 or DGN95 ({})",
                first_name(wkt)
            ))
        };
    }
    let name = first_name(wkt);
    if !datum_ok {
        return Err(format!("{name}: its datum is not WGS 84 or DGN95"));
    }
    let n = name.to_uppercase().replace(['_', '-'], " ");
    if n.contains("WEB MERCATOR")
        || n.contains("PSEUDO MERCATOR")
        || n.contains("POPULAR VISUALISATION")
    {
        return Ok(Some(Projection::WebMercator));
    }
    if let Some(pos) = n.find("UTM ZONE") {
        let rest = n[pos + 8..].trim_start();
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let hemi = rest[digits.len()..].trim_start().chars().next();
        if let (Ok(zone), Some(h)) = (digits.parse::<u32>(), hemi)
            && (1..=60).contains(&zone)
            && (h == 'N' || h == 'S')
        {
            return Ok(Some(Projection::Utm {
                zone,
                south: h == 'S',
            }));
        }
    }
    Err(format!(
        "{name} is not a projection rawan can transform (it reads UTM zones and Web Mercator)"
    ))
}

fn first_name(wkt: &str) -> String {
    wkt.split('"')
        .nth(1)
        .unwrap_or("an unnamed coordinate system")
        .to_string()
}

/// (x, y) in the projection → (longitude, latitude) in degrees.
pub fn inverse(p: Projection, x: f64, y: f64) -> (f64, f64) {
    match p {
        Projection::WebMercator => (
            x / A * 180.0 / std::f64::consts::PI,
            (2.0 * (y / A).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(),
        ),
        Projection::Utm { zone, south } => {
            let k0 = 0.9996;
            let n = F / (2.0 - F);
            let (n2, n3) = (n * n, n * n * n);
            let big_a = A / (1.0 + n) * (1.0 + n2 / 4.0 + n2 * n2 / 64.0);
            let beta = [
                n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0,
                n2 / 48.0 + n3 / 15.0,
                17.0 * n3 / 480.0,
            ];
            let delta = [
                2.0 * n - 2.0 * n2 / 3.0 - 2.0 * n3,
                7.0 * n2 / 3.0 - 8.0 * n3 / 5.0,
                56.0 * n3 / 15.0,
            ];
            let northing = if south { y - 10_000_000.0 } else { y };
            let xi = northing / (k0 * big_a);
            let eta = (x - 500_000.0) / (k0 * big_a);
            let (mut xi_p, mut eta_p) = (xi, eta);
            for (j, b) in beta.iter().enumerate() {
                let k = 2.0 * (j as f64 + 1.0);
                xi_p -= b * (k * xi).sin() * (k * eta).cosh();
                eta_p -= b * (k * xi).cos() * (k * eta).sinh();
            }
            let chi = (xi_p.sin() / eta_p.cosh()).asin();
            let mut lat = chi;
            for (j, d) in delta.iter().enumerate() {
                lat += d * (2.0 * (j as f64 + 1.0) * chi).sin();
            }
            let lon0 = (zone as f64 - 1.0) * 6.0 - 180.0 + 3.0;
            (
                lon0 + eta_p.sinh().atan2(xi_p.cos()).to_degrees(),
                lat.to_degrees(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_names_of_common_prj_files() {
        assert_eq!(
            from_prj("PROJCS[\"WGS_1984_UTM_Zone_48S\",GEOGCS[\"GCS_WGS_1984\"]]"),
            Ok(Some(Projection::Utm {
                zone: 48,
                south: true
            }))
        );
        assert_eq!(
            from_prj(
                "PROJCS[\"DGN95 / UTM zone 49S\",GEOGCS[\"DGN95\",DATUM[\"Datum_Geodesi_Nasional_1995\"]]]"
            ),
            Ok(Some(Projection::Utm {
                zone: 49,
                south: true
            }))
        );
        assert_eq!(
            from_prj("PROJCS[\"WGS 84 / Pseudo-Mercator\",GEOGCS[\"WGS 84\"]]"),
            Ok(Some(Projection::WebMercator))
        );
        assert_eq!(
            from_prj("GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\"]]"),
            Ok(None)
        );
        assert!(
            from_prj("PROJCS[\"DGN_1995_Indonesia_TM-3_Zone_46.2\",GEOGCS[\"GCS_DGN_1995\"]]")
                .unwrap_err()
                .contains("TM-3")
        );
        assert!(
            from_prj("PROJCS[\"Batavia / UTM zone 48S\",GEOGCS[\"Batavia\"]]")
                .unwrap_err()
                .contains("datum")
        );
    }

    #[test]
    fn central_meridian_and_equator_are_exact() {
        // On the central meridian at the false origin: lon = lon0, lat = 0.
        let (lon, lat) = inverse(
            Projection::Utm {
                zone: 48,
                south: true,
            },
            500_000.0,
            10_000_000.0,
        );
        assert!((lon - 105.0).abs() < 1e-12 && lat.abs() < 1e-12);
        let (lon, lat) = inverse(Projection::WebMercator, 0.0, 0.0);
        assert!(lon.abs() < 1e-12 && lat.abs() < 1e-12);
    }
}
