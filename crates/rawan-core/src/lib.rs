//! Plain types that every rawan crate shares: the village code ([`KodeDesa`]), the job
//! settings loaded from a job file ([`Job`]), the records read from each input table, the
//! rejects/match logs that make every input row accountable, the vocabulary every crate
//! speaks (the [`indicator`]s, the Gi*/LISA [`classes`]) and the one table of every
//! human-facing string in Bahasa Indonesia and English ([`i18n`]).
//!
//! This crate holds data and small pure helpers only: no I/O beyond parsing a job file's
//! text, no heavy dependencies. Readers live in `rawan-ingest`, analytics in `rawan-model`,
//! `rawan-spatial` and `rawan-target`, outputs in `rawan-publish`.

pub mod classes;
pub mod history;
pub mod i18n;
pub mod index_audit;
pub mod indicator;
pub mod kode;
pub mod kode_bps;
pub mod modus;
pub mod programme;
pub mod records;
pub mod rejects;
pub mod settings;

pub use classes::{GiClass, LisaCluster};
pub use indicator::{INDICATORS, Indicator};
pub use kode::{KodeDesa, KodeError};
pub use kode_bps::{CodeScheme, KodeBps};
pub use records::*;
pub use rejects::{NameMatch, Reject, RejectLog};
pub use settings::{Job, SettingsError};
