//! `rawan.gpkg`: every layer of the run in one OGC GeoPackage (version 1.3), the format QGIS
//! saves to by default. Each layer has the same properties, order and rounding as its
//! GeoJSON file ([`crate::layers`] defines them once) in EPSG:4326, typed columns
//! (`MEDIUMINT`, `REAL`, `TEXT`, `BOOLEAN`, `DATE`), an R-tree spatial index, and its QGIS
//! style (the `.qml` beside the GeoJSON) stored in the `layer_styles` table as the default,
//! so QGIS opens any layer styled with nothing beside it.
//! `villages` and `offices` are tables (their indexes with the standard's triggers); the four
//! subsets of the village layer are views of its table, so each geometry is stored once.
//! Every index is bulk-loaded in one pass ([`rtree`]).
//!
//! Written with rusqlite (SQLite with R*Tree) and geozero (the GeoPackage binary header and
//! WKB). Not for reading villages: that is `rawan_ingest::geopackage`. The file is
//! deterministic: no clock is read (`last_change` and the styles' `update_time` are the run's
//! analysis date) and rows go in a fixed order.

use crate::layers::{self, Fields};
use crate::{Publication, PublishError, privacy::Suppressed};
use geo_types::{Coord, Geometry, MultiPolygon};
use geozero::{CoordDimensions, ToWkb};
use rusqlite::{Connection, Statement, ToSql};
use serde_json::Value;
use std::path::Path;

mod rtree;

/// The file's name in the output folder.
pub const FILE: &str = "rawan.gpkg";

/// GeoPackage 1.3: GDAL 3.6 (Debian 12) opens it without a warning (1.4's `user_version`
/// 10400 makes it warn).
const USER_VERSION: i32 = 10300;
/// "GPKG" as the SQLite header's application id.
const APPLICATION_ID: i32 = 0x4750_4B47;

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> PublishError + '_ {
    move |e| PublishError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    }
}

/// Writes `dir/rawan.gpkg` with every layer; returns its name.
pub fn write(p: &Publication, sup: &Suppressed, dir: &Path) -> Result<Vec<String>, PublishError> {
    let path = dir.join(FILE);
    let prec = p.job.output.coordinate_precision as i32;
    let blobs = village_blobs(p.geometries, prec).map_err(sql_err(&path))?;
    let db = create(&path)?;
    write_db(p, sup, &db, &blobs).map_err(sql_err(&path))?;
    drop(db);
    crate::output_file::written(&path);
    Ok(vec![FILE.to_string()])
}

/// The type of a column of a [`PlainLayer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Text,
    Integer,
    Real,
    Boolean,
}

impl Column {
    fn sql(self) -> &'static str {
        match self {
            Column::Text => "TEXT",
            Column::Integer => "MEDIUMINT",
            Column::Real => "REAL",
            Column::Boolean => "BOOLEAN",
        }
    }
}

/// One polygon layer of plain columns, for a GeoPackage of its own (`rawan compare`'s
/// `changes.gpkg`): each feature's geometry and its values in column order (JSON null,
/// booleans, numbers and text, as its GeoJSON twin has them).
pub struct PlainLayer<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// The layer's QGIS style (`.qml` text), stored as its default.
    pub style: Option<String>,
    pub columns: &'a [(&'a str, Column)],
    pub features: &'a [(MultiPolygon<f64>, Vec<Value>)],
}

/// Writes `path` as a GeoPackage holding `layer` (its index and style as in `rawan.gpkg`);
/// `as_of` (an analysis date, `YYYY-MM-DD`) dates it.
pub fn write_plain(path: &Path, as_of: &str, layer: &PlainLayer) -> Result<(), PublishError> {
    let db = create(path)?;
    let fill = || -> rusqlite::Result<()> {
        let columns: Vec<(String, &'static str)> = layer
            .columns
            .iter()
            .map(|(k, c)| (k.to_string(), c.sql()))
            .collect();
        let mut table = Layer::create(&db, layer.name, "MULTIPOLYGON", &columns)?;
        for (geometry, values) in layer.features {
            let b = blob(geometry.clone())?;
            table.insert(&b.bytes, b.envelope, |row| {
                for ((k, column), v) in layer.columns.iter().zip(values) {
                    match (column, v) {
                        (_, Value::Null) => row.put(k, column.sql(), None::<i64>),
                        (Column::Boolean, Value::Bool(b)) => row.put(k, column.sql(), *b),
                        (Column::Integer, Value::Number(n)) if n.is_i64() => {
                            row.put(k, column.sql(), n.as_i64())
                        }
                        (Column::Real | Column::Integer, Value::Number(n)) => {
                            row.put(k, column.sql(), n.as_f64())
                        }
                        (_, Value::String(t)) => row.put(k, column.sql(), t.as_str()),
                        (_, other) => row.put(k, column.sql(), other.to_string()),
                    }
                }
            })?;
        }
        let changed = last_change(as_of);
        table.finish(
            &db,
            layer.name,
            "MULTIPOLYGON",
            &changed,
            layer.description,
            layer.style.clone(),
        )?;
        close(&db, &changed)
    };
    fill().map_err(sql_err(path))
}

/// A geometry as GeoPackage binary (header with envelope, then WKB) and its envelope
/// `[min_x, max_x, min_y, max_y]`.
struct Blob {
    bytes: Vec<u8>,
    envelope: [f64; 4],
}

fn village_blobs(geometries: &[MultiPolygon<f64>], prec: i32) -> rusqlite::Result<Vec<Blob>> {
    use rayon::prelude::*;
    geometries
        .par_iter()
        .map(|g| blob(layers::rounded(g, prec)))
        .collect()
}

fn blob(g: MultiPolygon<f64>) -> rusqlite::Result<Blob> {
    let envelope = envelope(g.0.iter().flat_map(|p| p.exterior().0.iter()));
    // An empty geometry has no envelope (the header then says so).
    let header_envelope = if envelope[0].is_finite() {
        envelope.to_vec()
    } else {
        Vec::new()
    };
    let bytes = Geometry::MultiPolygon(g)
        .to_gpkg_wkb(CoordDimensions::xy(), Some(4326), header_envelope)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    Ok(Blob { bytes, envelope })
}

fn envelope<'a>(coords: impl Iterator<Item = &'a Coord<f64>>) -> [f64; 4] {
    coords.fold(
        [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ],
        |[x0, x1, y0, y1], c| [x0.min(c.x), x1.max(c.x), y0.min(c.y), y1.max(c.y)],
    )
}

/// A new GeoPackage at `path` (removed first if there: the caller's staging folder holds
/// only what this run makes), with its metadata tables; the caller fills it inside one
/// transaction and ends with [`close`].
fn create(path: &Path) -> Result<Connection, PublishError> {
    // The output folder is the run's own staging folder: a file there is a leftover of this
    // run's own making (never a user's file), and SQLite would append to it.
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(crate::io_err(path)(e)),
        _ => {}
    }
    let open = || -> rusqlite::Result<Connection> {
        let db = Connection::open(path)?;
        // One writer, a fresh file in a staging folder that is swapped in only when the run
        // succeeds: no journal and no syncs (the staging commit syncs the folder).
        db.execute_batch(&format!(
            "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; \
             PRAGMA locking_mode = EXCLUSIVE; PRAGMA application_id = {APPLICATION_ID}; \
             PRAGMA user_version = {USER_VERSION}; BEGIN; {CORE_TABLES}"
        ))?;
        Ok(db)
    };
    open().map_err(sql_err(path))
}

/// Registers the styles table and commits what [`create`] began.
fn close(db: &Connection, changed: &str) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles', ?1)",
        [changed],
    )?;
    db.execute_batch("COMMIT")
}

/// `last_change` of every layer: the analysis date, so the file is the same run to run.
fn last_change(as_of: impl std::fmt::Display) -> String {
    format!("{as_of}T00:00:00.000Z")
}

fn write_db(
    p: &Publication,
    sup: &Suppressed,
    tx: &Connection,
    blobs: &[Blob],
) -> rusqlite::Result<()> {
    let changed = last_change(p.job.as_of);
    let styles = crate::qml::styles(p.lang);
    let style_of = |name: &str| {
        styles
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, renderer, labeling)| crate::qml::document(renderer, labeling.as_deref()))
    };
    // A village layer's columns, from its fields for any village (every village has the same).
    let schema = |fields: &dyn Fn(&mut Row, usize)| {
        let mut columns = Vec::new();
        if !p.villages.is_empty() {
            fields(&mut schema_row(&mut columns), 0);
        }
        columns
    };
    // The village table: its feature ids, by village, are the views' too.
    let columns = schema(&|m, i| layers::village_fields(m, p.indicators, &p.villages[i], i, sup));
    let mut layer = Layer::create(tx, layers::VILLAGES, "MULTIPOLYGON", &columns)?;
    let fids = (0..p.villages.len())
        .map(|i| {
            layer.insert(&blobs[i].bytes, blobs[i].envelope, |row| {
                layers::village_fields(row, p.indicators, &p.villages[i], i, sup)
            })
        })
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    layer.finish(
        tx,
        layers::VILLAGES,
        "MULTIPOLYGON",
        &changed,
        &description(p.lang, layers::VILLAGES),
        style_of(layers::VILLAGES),
    )?;
    // The other village layers show a subset of the village table's rows and columns: they
    // are views of it (the GeoPackage allows a view as a feature layer), each with a spatial
    // index of its own, so the geometries are stored once. `members` are the villages the
    // view's `filter` keeps (the test reads both back and compares them).
    let view = |name: &'static str,
                filter: &str,
                members: &mut dyn Iterator<Item = usize>,
                fields: &dyn Fn(&mut Row, usize)|
     -> rusqlite::Result<()> {
        let columns = schema(fields);
        let names: String = columns
            .iter()
            .map(|(k, _)| format!(", {}", quoted(k)))
            .collect();
        let rtree = format!("rtree_{name}_geom");
        tx.execute_batch(&format!(
            "CREATE VIEW {view} AS SELECT fid AS OGC_FID, geom{names} FROM {villages} {filter}; \
             CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy);",
            view = quoted(name),
            villages = quoted(layers::VILLAGES),
            rtree = quoted(&rtree),
        ))?;
        let members: Vec<usize> = members.collect();
        rtree::bulk_load(
            tx,
            &rtree,
            members
                .iter()
                .filter(|&&i| blobs[i].envelope[0].is_finite())
                .map(|&i| (fids[i], rtree::outward(blobs[i].envelope)))
                .collect(),
        )?;
        let extent = members.iter().fold(
            [
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ],
            |e, &i| {
                let b = blobs[i].envelope;
                [
                    e[0].min(b[0]),
                    e[1].max(b[1]),
                    e[2].min(b[2]),
                    e[3].max(b[3]),
                ]
            },
        );
        register(
            tx,
            name,
            "MULTIPOLYGON",
            extent,
            &changed,
            &description(p.lang, name),
            style_of(name),
        )
    };
    view(
        layers::HOTSPOTS,
        &format!(
            "WHERE gi_class <> '{}'",
            rawan_core::GiClass::NotSignificant.as_str()
        ),
        &mut (0..p.villages.len()).filter(|&i| layers::in_hotspots(&p.villages[i])),
        &|m, i| layers::hotspot_fields(m, &p.villages[i]),
    )?;
    view(
        layers::DESA_BINAAN,
        "WHERE desa_binaan",
        &mut (0..p.villages.len()).filter(|&i| p.villages[i].desa_binaan),
        &|m, i| layers::binaan_fields(m, &p.villages[i]),
    )?;
    view(layers::LISA, "", &mut (0..p.villages.len()), &|m, i| {
        layers::lisa_fields(m, &p.villages[i])
    })?;
    view(
        layers::RECOMMENDED,
        "WHERE recommended_rank IS NOT NULL ORDER BY recommended_rank",
        &mut layers::recommended_order(p.villages).into_iter(),
        &|m, i| layers::recommended_fields(m, &p.villages[i]),
    )?;
    // Offices: points; every office has the same fields, so any office gives the schema.
    let mut columns = Vec::new();
    layers::office_fields(
        &mut schema_row(&mut columns),
        &crate::OfficeResult {
            office: String::new(),
            lon: 0.0,
            lat: 0.0,
            capacity: None,
            radius_km: None,
            recommended: 0,
        },
    );
    let mut layer = Layer::create(tx, layers::OFFICES, "POINT", &columns)?;
    let prec = p.job.output.coordinate_precision as i32;
    for o in p.offices {
        let (x, y) = (
            layers::round(Some(o.lon), prec).unwrap_or(o.lon),
            layers::round(Some(o.lat), prec).unwrap_or(o.lat),
        );
        let bytes = Geometry::Point(geo_types::Point::new(x, y))
            .to_gpkg_wkb(CoordDimensions::xy(), Some(4326), Vec::new())
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        layer.insert(&bytes, [x, x, y, y], |row| layers::office_fields(row, o))?;
    }
    layer.finish(
        tx,
        layers::OFFICES,
        "POINT",
        &changed,
        &description(p.lang, layers::OFFICES),
        style_of(layers::OFFICES),
    )?;
    close(tx, &changed)
}

fn schema_row<'a>(columns: &'a mut Vec<(String, &'static str)>) -> Row<'a, 'static> {
    Row {
        columns: Some(columns),
        stmt: None,
        next: 2,
        err: None,
    }
}

/// A layer's description in the run's language (QGIS shows it as the layer's abstract).
fn description(lang: rawan_core::settings::Lang, layer: &'static str) -> String {
    crate::i18n::t(lang, layer).to_string()
}

/// The metadata tables every GeoPackage has, the three spatial reference systems it must
/// list, and QGIS's `layer_styles` table (registered as an attribute table, as QGIS does).
const CORE_TABLES: &str = r#"
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME);
"#;

/// One feature's fields on their way into the GeoPackage: on the schema pass each field's
/// name and column type is recorded; on the insert pass each value is bound to its
/// parameter of the prepared `INSERT` (the geometry is parameter 1).
struct Row<'s, 'c> {
    columns: Option<&'s mut Vec<(String, &'static str)>>,
    stmt: Option<&'s mut Statement<'c>>,
    next: usize,
    err: Option<rusqlite::Error>,
}

impl Row<'_, '_> {
    fn put<T: ToSql>(&mut self, k: &str, column_type: &'static str, v: T) {
        if let Some(c) = self.columns.as_mut() {
            c.push((k.to_string(), column_type));
        }
        if let (Some(stmt), None) = (self.stmt.as_mut(), &self.err)
            && let Err(e) = stmt.raw_bind_parameter(self.next, v)
        {
            self.err = Some(e);
        }
        self.next += 1;
    }
}

impl Fields for Row<'_, '_> {
    fn str(&mut self, k: &str, v: &str) -> &mut Self {
        self.put(k, "TEXT", v);
        self
    }
    fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        self.put(k, "TEXT", v);
        self
    }
    fn date(&mut self, k: &str, v: Option<chrono::NaiveDate>) -> &mut Self {
        self.put(k, "DATE", v.map(|d| d.to_string()));
        self
    }
    fn num(&mut self, k: &str, v: Option<f64>, d: i32) -> &mut Self {
        self.put(k, "REAL", layers::round(v, d));
        self
    }
    fn int(&mut self, k: &str, v: Option<u64>) -> &mut Self {
        self.put(k, "MEDIUMINT", v.map(|i| i as i64));
        self
    }
    fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.put(k, "BOOLEAN", v);
        self
    }
    fn value(&mut self, k: &str, v: &Value) -> &mut Self {
        // The extra variables' statistics are numbers (null where undefined) or class names.
        match v {
            Value::String(s) => self.put(k, "TEXT", s.as_str()),
            Value::Bool(b) => self.put(k, "BOOLEAN", *b),
            Value::Number(n) => self.put(k, "REAL", n.as_f64()),
            Value::Null => self.put(k, "REAL", None::<f64>),
            other => self.put(k, "TEXT", other.to_string()),
        }
        self
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// One feature table being filled: its insert statement, its spatial index's entries and
/// its extent so far.
struct Layer<'c> {
    db: &'c Connection,
    insert: Statement<'c>,
    index: Vec<(i64, rtree::Box32)>,
    extent: [f64; 4],
}

impl<'c> Layer<'c> {
    fn create(
        tx: &'c Connection,
        name: &str,
        geometry_type: &str,
        columns: &[(String, &'static str)],
    ) -> rusqlite::Result<Layer<'c>> {
        let defs: String = columns
            .iter()
            .map(|(k, t)| format!(", {} {t}", quoted(k)))
            .collect();
        tx.execute_batch(&format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_type}{defs}); \
             CREATE VIRTUAL TABLE {} USING rtree(id, minx, maxx, miny, maxy);",
            quoted(name),
            quoted(&format!("rtree_{name}_geom")),
        ))?;
        let names: String = columns
            .iter()
            .map(|(k, _)| format!(", {}", quoted(k)))
            .collect();
        let params: String = (0..columns.len()).map(|_| ", ?").collect();
        Ok(Layer {
            db: tx,
            insert: tx.prepare(&format!(
                "INSERT INTO {} (geom{names}) VALUES (?{params})",
                quoted(name)
            ))?,
            index: Vec::new(),
            extent: [
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ],
        })
    }

    /// Inserts a feature; returns its feature id.
    fn insert(
        &mut self,
        geometry: &[u8],
        envelope: [f64; 4],
        fields: impl FnOnce(&mut Row),
    ) -> rusqlite::Result<i64> {
        self.insert.raw_bind_parameter(1, geometry)?;
        let mut row = Row {
            columns: None,
            stmt: Some(&mut self.insert),
            next: 2,
            err: None,
        };
        fields(&mut row);
        if let Some(e) = row.err {
            return Err(e);
        }
        self.insert.raw_execute()?;
        let fid = self.db.last_insert_rowid();
        if !envelope[0].is_finite() {
            // Nothing to index for an empty geometry.
            return Ok(fid);
        }
        self.index.push((fid, rtree::outward(envelope)));
        let e = &mut self.extent;
        *e = [
            e[0].min(envelope[0]),
            e[1].max(envelope[1]),
            e[2].min(envelope[2]),
            e[3].max(envelope[3]),
        ];
        Ok(fid)
    }

    /// Fills the spatial index in one pass, registers the table, its index and its style; adds
    /// the index's triggers (after the rows, whose index entries were written directly: the
    /// triggers call GeoPackage SQL functions that QGIS and GDAL provide and plain SQLite
    /// does not).
    fn finish(
        self,
        tx: &Connection,
        name: &str,
        geometry_type: &str,
        changed: &str,
        description: &str,
        style: Option<String>,
    ) -> rusqlite::Result<()> {
        drop(self.insert);
        rtree::bulk_load(tx, &format!("rtree_{name}_geom"), self.index)?;
        register(
            tx,
            name,
            geometry_type,
            self.extent,
            changed,
            description,
            style,
        )?;
        tx.execute_batch(&rtree_triggers(name))
    }
}

/// Registers a feature table or view: its contents row with its extent, its geometry
/// column, its spatial index and its style as the default.
fn register(
    tx: &Connection,
    name: &str,
    geometry_type: &str,
    e: [f64; 4],
    changed: &str,
    description: &str,
    style: Option<String>,
) -> rusqlite::Result<()> {
    let extent: [Option<f64>; 4] = if e[0].is_finite() {
        [Some(e[0]), Some(e[2]), Some(e[1]), Some(e[3])]
    } else {
        [None; 4]
    };
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) \
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7, 4326)",
        rusqlite::params![name, description, changed, extent[0], extent[1], extent[2], extent[3]],
    )?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
        rusqlite::params![name, geometry_type],
    )?;
    tx.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        [name],
    )?;
    if let Some(qml) = style {
        tx.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) \
             VALUES ('', '', ?1, 'geom', ?1, ?2, '', 1, ?3, '', NULL, ?4)",
            rusqlite::params![name, qml, description, changed],
        )?;
    }
    Ok(())
}

/// The R-tree triggers of the GeoPackage standard (1.3, Annex F.3), which keep the index in
/// step when a user edits the layer in QGIS.
fn rtree_triggers(t: &str) -> String {
    let r = format!("rtree_{t}_geom");
    let (qt, qr) = (quoted(t), quoted(&r));
    let minmax = "ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)";
    format!(
        "CREATE TRIGGER {i} AFTER INSERT ON {qt} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) \
         BEGIN INSERT OR REPLACE INTO {qr} VALUES (NEW.fid, {minmax}); END;\n\
         CREATE TRIGGER {u1} AFTER UPDATE OF geom ON {qt} WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) \
         BEGIN INSERT OR REPLACE INTO {qr} VALUES (NEW.fid, {minmax}); END;\n\
         CREATE TRIGGER {u2} AFTER UPDATE OF geom ON {qt} WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) \
         BEGIN DELETE FROM {qr} WHERE id = OLD.fid; END;\n\
         CREATE TRIGGER {u3} AFTER UPDATE ON {qt} WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) \
         BEGIN DELETE FROM {qr} WHERE id = OLD.fid; INSERT OR REPLACE INTO {qr} VALUES (NEW.fid, {minmax}); END;\n\
         CREATE TRIGGER {u4} AFTER UPDATE ON {qt} WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) \
         BEGIN DELETE FROM {qr} WHERE id IN (OLD.fid, NEW.fid); END;\n\
         CREATE TRIGGER {d} AFTER DELETE ON {qt} WHEN old.geom NOT NULL \
         BEGIN DELETE FROM {qr} WHERE id = OLD.fid; END;\n",
        i = quoted(&format!("{r}_insert")),
        u1 = quoted(&format!("{r}_update1")),
        u2 = quoted(&format!("{r}_update2")),
        u3 = quoted(&format!("{r}_update3")),
        u4 = quoted(&format!("{r}_update4")),
        d = quoted(&format!("{r}_delete")),
    )
}
