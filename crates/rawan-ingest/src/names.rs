//! Village names as people write them: any case, extra spaces, and administrative prefixes
//! ("Desa", "Ds.", "Kel.", "Kec.", "Kab."). [`normalise`] reduces a name to a comparable key;
//! "Kota" is kept because Kota Serang and Kabupaten Serang are different places.

/// Which level a name belongs to; decides which prefixes are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Desa,
    Kecamatan,
    Kabupaten,
}

/// A comparable key for a name.
///
/// ```
/// use rawan_ingest::names::{normalise, Level};
/// assert_eq!(normalise("Ds.  SUKAJAYA", Level::Desa), "sukajaya");
/// assert_eq!(normalise("Kelurahan Cipare", Level::Desa), "cipare");
/// assert_eq!(normalise("Kab. Serang", Level::Kabupaten), "serang");
/// assert_eq!(normalise("Kabupaten Serang", Level::Kabupaten), "serang");
/// assert_eq!(normalise("Kota Serang", Level::Kabupaten), "kota serang");
/// assert_eq!(normalise("Kec. Pasar Kemis", Level::Kecamatan), "pasar kemis");
/// ```
pub fn normalise(name: &str, level: Level) -> String {
    let lowered: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = lowered.split_whitespace().collect();
    let prefixes: &[&str] = match level {
        Level::Desa => &[
            "desa",
            "ds",
            "kel",
            "kelurahan",
            "kalurahan",
            "gampong",
            "nagari",
        ],
        Level::Kecamatan => &["kec", "kecamatan", "distrik"],
        Level::Kabupaten => &["kab", "kabupaten"],
    };
    while words.len() > 1 && prefixes.contains(&words[0]) {
        words.remove(0);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_is_only_a_prefix_survives() {
        assert_eq!(normalise("Desa", Level::Desa), "desa");
    }

    #[test]
    fn punctuation_and_spacing_fold() {
        assert_eq!(normalise("  Pasir-Jaya ", Level::Desa), "pasir jaya");
        assert_eq!(normalise("DESA PASIR JAYA", Level::Desa), "pasir jaya");
    }
}
