//! The classes local statistics put a village in, with the names that layers, tables and
//! QGIS styles use for them (fixed: planners' styles and filters rely on them).

/// A village's Getis-Ord Gi* class: hot or cold spot at 99, 95 or 90 % confidence, or not
/// significant — the classes of ArcGIS's and GeoDa's hot-spot maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum GiClass {
    Hot99,
    Hot95,
    Hot90,
    Cold99,
    Cold95,
    Cold90,
    #[default]
    NotSignificant,
}

impl GiClass {
    pub const ALL: [GiClass; 7] = [
        GiClass::Hot99,
        GiClass::Hot95,
        GiClass::Hot90,
        GiClass::Cold99,
        GiClass::Cold95,
        GiClass::Cold90,
        GiClass::NotSignificant,
    ];

    /// The class from a z-score and its (pseudo) p-value; not significant without either.
    ///
    /// ```
    /// use rawan_core::GiClass;
    /// assert_eq!(GiClass::from_z_p(Some(2.9), Some(0.004)), GiClass::Hot99);
    /// assert_eq!(GiClass::from_z_p(Some(-1.8), Some(0.07)), GiClass::Cold90);
    /// assert_eq!(GiClass::from_z_p(Some(2.0), Some(0.2)), GiClass::NotSignificant);
    /// assert_eq!(GiClass::from_z_p(None, Some(0.001)).as_str(), "ns");
    /// ```
    pub fn from_z_p(z: Option<f64>, p: Option<f64>) -> GiClass {
        let (Some(z), Some(p)) = (z, p) else {
            return GiClass::NotSignificant;
        };
        match (z > 0.0, p) {
            (true, p) if p <= 0.01 => GiClass::Hot99,
            (true, p) if p <= 0.05 => GiClass::Hot95,
            (true, p) if p <= 0.10 => GiClass::Hot90,
            (false, p) if p <= 0.01 => GiClass::Cold99,
            (false, p) if p <= 0.05 => GiClass::Cold95,
            (false, p) if p <= 0.10 => GiClass::Cold90,
            _ => GiClass::NotSignificant,
        }
    }

    /// The name in layers, tables and styles: `hot99` … `cold90`, `ns`.
    pub fn as_str(self) -> &'static str {
        match self {
            GiClass::Hot99 => "hot99",
            GiClass::Hot95 => "hot95",
            GiClass::Hot90 => "hot90",
            GiClass::Cold99 => "cold99",
            GiClass::Cold95 => "cold95",
            GiClass::Cold90 => "cold90",
            GiClass::NotSignificant => "ns",
        }
    }

    /// The class a layer or table names (`hot99` … `ns`), as [`GiClass::as_str`] writes it.
    ///
    /// ```
    /// use rawan_core::GiClass;
    /// assert_eq!(GiClass::parse("hot95"), Some(GiClass::Hot95));
    /// assert_eq!(GiClass::parse("warm"), None);
    /// ```
    pub fn parse(name: &str) -> Option<GiClass> {
        GiClass::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// A hot spot at any confidence.
    pub fn is_hot(self) -> bool {
        matches!(self, GiClass::Hot99 | GiClass::Hot95 | GiClass::Hot90)
    }

    /// A hot spot at 95 % confidence or more (what a recommendation's reason names).
    pub fn is_confident_hot(self) -> bool {
        matches!(self, GiClass::Hot99 | GiClass::Hot95)
    }
}

/// A village's LISA cluster (Local Moran's I quadrant where significant), as GeoDa names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum LisaCluster {
    /// High value among high neighbours: the core of a cluster.
    HH,
    LH,
    LL,
    /// High value among low neighbours: an outlier.
    HL,
    #[default]
    NotSignificant,
}

impl LisaCluster {
    pub const ALL: [LisaCluster; 5] = [
        LisaCluster::HH,
        LisaCluster::LH,
        LisaCluster::LL,
        LisaCluster::HL,
        LisaCluster::NotSignificant,
    ];

    /// The name in layers, tables and styles: `HH`, `LH`, `LL`, `HL`, `ns`.
    pub fn as_str(self) -> &'static str {
        match self {
            LisaCluster::HH => "HH",
            LisaCluster::LH => "LH",
            LisaCluster::LL => "LL",
            LisaCluster::HL => "HL",
            LisaCluster::NotSignificant => "ns",
        }
    }

    /// A high value that is significant (`HH` or `HL`): what a recommendation's reason names.
    pub fn is_high(self) -> bool {
        matches!(self, LisaCluster::HH | LisaCluster::HL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_fixed_ones_and_distinct() {
        let gi: Vec<&str> = GiClass::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            gi,
            [
                "hot99", "hot95", "hot90", "cold99", "cold95", "cold90", "ns"
            ]
        );
        let lisa: Vec<&str> = LisaCluster::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(lisa, ["HH", "LH", "LL", "HL", "ns"]);
    }
}
