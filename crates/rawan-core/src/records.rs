//! One struct per input table: the checked rows that readers hand to the analytics.
//! Every field is already normalised (codes dotted, dates parsed, crimes classified).

use crate::KodeDesa;
use chrono::NaiveDate;
use geo_types::MultiPolygon;

/// A village (desa or kelurahan) with its boundary in lon/lat (WGS 84).
#[derive(Debug, Clone)]
pub struct Village {
    pub kode_desa: KodeDesa,
    pub desa: String,
    pub kecamatan: String,
    pub kabupaten: String,
    pub provinsi: Option<String>,
    /// Residents; `None` where neither the layer nor the population table gives it.
    pub population: Option<f64>,
    pub geometry: MultiPolygon<f64>,
}

/// Departure channel of migrant workers: procedural (registered placement) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Procedural,
    Nonprocedural,
}

/// One row of migrant-worker (PMI) departures, counted at its month of departure.
#[derive(Debug, Clone)]
pub struct Departure {
    pub kode_desa: KodeDesa,
    /// First day of the departure month.
    pub month: NaiveDate,
    pub count: f64,
    pub channel: Option<Channel>,
    // The optional breakdowns (destination_country, sector, gender) feed no indicator, so
    // they are not kept: at national scale they would triple the memory of this table.
}

/// An existing Desa Binaan Imigrasi designation.
#[derive(Debug, Clone)]
pub struct DesaBinaan {
    pub kode_desa: KodeDesa,
    pub designated_on: NaiveDate,
    pub programme: Option<String>,
    pub office: Option<String>,
}

/// One outreach event (socialisation, FGD, coordination meeting, training, empowerment).
#[derive(Debug, Clone)]
pub struct OutreachEvent {
    pub kode_desa: KodeDesa,
    pub date: NaiveDate,
    pub activity: String,
    pub participants: Option<f64>,
}

/// The two crimes the programme is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Crime {
    /// Tindak pidana perdagangan orang: trafficking in persons.
    Tppo,
    /// Tindak pidana penyelundupan manusia: people smuggling.
    Tppm,
}

impl Crime {
    pub fn label(self) -> &'static str {
        match self {
            Crime::Tppo => "TPPO",
            Crime::Tppm => "TPPM",
        }
    }
}

/// A TPPO/TPPM case, attributed to the victims' village of origin. Only the columns of the
/// data contract are kept: personal columns of the source file never enter this struct.
#[derive(Debug, Clone)]
pub struct Case {
    pub case_id: String,
    pub reported_on: NaiveDate,
    pub crime: Crime,
    pub victims: f64,
    pub kode_desa: KodeDesa,
    pub modus: Option<String>,
    pub destination_country: Option<String>,
    pub source: Option<String>,
}

/// An immigration office (Kantor Imigrasi) that can foster villages.
#[derive(Debug, Clone)]
pub struct Office {
    pub office: String,
    pub lat: f64,
    pub lon: f64,
    /// New desa binaan it can take on this cycle; `None` = no limit of its own.
    pub capacity: Option<u32>,
    /// Farthest village it can serve; `None` = any distance.
    pub radius_km: Option<f64>,
}

/// Every table of a job, checked and normalised.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub villages: Vec<Village>,
    pub departures: Vec<Departure>,
    pub desa_binaan: Vec<DesaBinaan>,
    pub outreach: Vec<OutreachEvent>,
    pub cases: Vec<Case>,
    pub offices: Vec<Office>,
    /// The job's `[[indicators]]`, in its order: the value per village.
    pub indicators: Vec<std::collections::HashMap<crate::KodeDesa, f64>>,
}
