//! Whether two runs' ranks can be compared: the settings that change a village's score, rank,
//! rank interval or Gi* class must agree. The analysis date, the input files and the
//! settings that change only coverage, targeting, privacy or the outputs may differ (a run a
//! year later has a new date and new files by design).

use serde_json::Value;

/// One setting that differs, as `key: before → after`.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub key: String,
    pub before: String,
    pub after: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} → {}", self.key, self.before, self.after)
    }
}

/// What a comparison is told to accept.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allow {
    pub different_settings: bool,
    pub different_villages: bool,
}

/// The top-level settings that decide scores, ranks and classes.
const DECIDING: [&str; 4] = ["window_months", "model", "spatial", "uncertainty"];

/// The analyst's indicators by name, with the fields that change the score (not the file,
/// sheet, labels or data year).
fn indicators(settings: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for spec in settings["indicators"].as_array().into_iter().flatten() {
        let keep = ["dimension", "direction", "transform", "weight", "column"];
        let fields: serde_json::Map<String, Value> = keep
            .iter()
            .map(|k| (k.to_string(), spec[k].clone()))
            .collect();
        if let Some(name) = spec["name"].as_str() {
            out.insert(name.to_string(), Value::Object(fields));
        }
    }
    Value::Object(out)
}

/// Every deciding setting that differs between two manifests' `settings`, in key order.
///
/// ```
/// use serde_json::json;
/// let before = json!({"as_of": "2024-11-30", "window_months": 36, "model": {"eb": "local"}});
/// let after = json!({"as_of": "2025-11-30", "window_months": 36, "model": {"eb": "global"}});
/// let d = rawan_compare::comparable::differences(&before, &after);
/// assert_eq!(d.len(), 1, "the analysis date may differ");
/// assert_eq!(d[0].to_string(), "model.eb: \"local\" → \"global\"");
/// ```
pub fn differences(before: &Value, after: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    for key in DECIDING {
        diff(key, &before[key], &after[key], &mut out);
    }
    diff(
        "indicators",
        &indicators(before),
        &indicators(after),
        &mut out,
    );
    out
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<Difference>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let none = Value::Null;
                diff(
                    &format!("{path}.{k}"),
                    x.get(k).unwrap_or(&none),
                    y.get(k).unwrap_or(&none),
                    out,
                );
            }
        }
        _ if a == b => {}
        _ => out.push(Difference {
            key: path.to_string(),
            before: shown(a),
            after: shown(b),
        }),
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "(not set)".into(),
        Value::Object(_) => "(set)".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indicators_compare_by_name_and_what_changes_the_score() {
        let before = json!({"indicators": [
            {"name": "poverty_rate", "file": "a.csv", "dimension": "vulnerability", "weight": 1.0, "year": 2023},
            {"name": "km", "file": "b.csv", "dimension": "coping_capacity", "weight": 1.0}
        ]});
        let after = json!({"indicators": [
            {"name": "km", "file": "b2.csv", "dimension": "coping_capacity", "weight": 2.0},
            {"name": "poverty_rate", "file": "a2.csv", "dimension": "vulnerability", "weight": 1.0, "year": 2024}
        ]});
        let d = differences(&before, &after);
        assert_eq!(
            d.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            ["indicators.km.weight: 1.0 → 2.0"]
        );
        let fewer = json!({"indicators": [
            {"name": "km", "file": "b.csv", "dimension": "coping_capacity", "weight": 1.0}
        ]});
        let d = differences(&before, &fewer);
        assert_eq!(
            d.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            ["indicators.poverty_rate: (set) → (not set)"]
        );
    }
}
