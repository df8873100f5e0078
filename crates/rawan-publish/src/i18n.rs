//! What the outputs draw with: the risk, Gi* and LISA classes with their colours, and the
//! indicator labels, all through the one translation table of `rawan_core::i18n`.

use rawan_core::{GiClass, LisaCluster};

/// The one translation table lives in rawan-core, where every crate can reach it.
pub use rawan_core::i18n::t;

/// The five risk classes (equal intervals of 2 points) and their colours (ColorBrewer YlOrRd).
/// (lower, upper, label key, colour) of a risk class.
pub type RiskClass = (f64, f64, &'static str, (u8, u8, u8));

pub const RISK_CLASSES: [RiskClass; 5] = [
    (0.0, 2.0, "very_low", (255, 255, 178)),
    (2.0, 4.0, "low", (254, 204, 92)),
    (4.0, 6.0, "medium", (253, 141, 60)),
    (6.0, 8.0, "high", (240, 59, 32)),
    (8.0, 10.0, "very_high", (189, 0, 38)),
];

/// Gi* classes and colours (the conventional red/blue diverging scheme).
pub const GI_CLASSES: [(GiClass, (u8, u8, u8)); 7] = [
    (GiClass::Hot99, (215, 25, 28)),
    (GiClass::Hot95, (240, 100, 70)),
    (GiClass::Hot90, (253, 174, 97)),
    (GiClass::NotSignificant, (235, 235, 235)),
    (GiClass::Cold90, (171, 217, 233)),
    (GiClass::Cold95, (116, 173, 209)),
    (GiClass::Cold99, (44, 123, 182)),
];

/// LISA clusters and GeoDa's conventional colours.
pub const LISA_CLASSES: [(LisaCluster, (u8, u8, u8)); 5] = [
    (LisaCluster::HH, (255, 0, 0)),
    (LisaCluster::LL, (0, 0, 255)),
    (LisaCluster::LH, (167, 173, 249)),
    (LisaCluster::HL, (244, 173, 168)),
    (LisaCluster::NotSignificant, (238, 238, 238)),
];
