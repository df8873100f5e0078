//! QGIS style files (`.qml`), one beside each layer with the same base name, so QGIS applies
//! it when the layer is opened: graduated risk classes with a legend, categorised Gi* and
//! LISA classes in their conventional colours, desa binaan outlined, recommended villages
//! outlined and labelled "rank. desa", offices as labelled stars.
//!
//! The XML follows what QGIS 3 writes itself (`<renderer-v2>` with `<Option>` maps and the
//! older `<prop>` pairs for readers before 3.26).

use crate::i18n::{GI_CLASSES, LISA_CLASSES, RISK_CLASSES, t};
use crate::{Publication, PublishError, layers, write_file};
use rawan_core::settings::Lang;
use std::fmt::Write as _;
use std::path::Path;

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn props(pairs: &[(&str, String)]) -> String {
    let mut s = String::from("<Option type=\"Map\">");
    for (k, v) in pairs {
        let _ = write!(
            s,
            "<Option name=\"{k}\" value=\"{}\" type=\"QString\"/>",
            esc(v)
        );
    }
    s.push_str("</Option>");
    for (k, v) in pairs {
        let _ = write!(s, "<prop k=\"{k}\" v=\"{}\"/>", esc(v));
    }
    s
}

fn rgba((r, g, b): (u8, u8, u8), a: u8) -> String {
    format!("{r},{g},{b},{a}")
}

/// A fill symbol: solid colour (or none) with an outline.
pub(crate) fn fill_symbol(
    name: &str,
    fill: Option<(u8, u8, u8)>,
    outline: (u8, u8, u8),
    width_mm: f64,
) -> String {
    let p = props(&[
        (
            "color",
            fill.map(|c| rgba(c, 255))
                .unwrap_or_else(|| "0,0,0,0".into()),
        ),
        ("outline_color", rgba(outline, 255)),
        ("outline_style", "solid".into()),
        ("outline_width", format!("{width_mm}")),
        ("outline_width_unit", "MM".into()),
        (
            "style",
            if fill.is_some() {
                "solid".into()
            } else {
                "no".into()
            },
        ),
        ("joinstyle", "bevel".into()),
    ]);
    format!(
        "<symbol type=\"fill\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\"><layer class=\"SimpleFill\" pass=\"0\" enabled=\"1\" locked=\"0\">{p}</layer></symbol>"
    )
}

fn marker_symbol(name: &str, colour: (u8, u8, u8), size_mm: f64) -> String {
    let p = props(&[
        ("name", "star".into()),
        ("color", rgba(colour, 255)),
        ("outline_color", "255,255,255,255".into()),
        ("outline_width", "0.3".into()),
        ("outline_width_unit", "MM".into()),
        ("size", format!("{size_mm}")),
        ("size_unit", "MM".into()),
    ]);
    format!(
        "<symbol type=\"marker\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\"><layer class=\"SimpleMarker\" pass=\"0\" enabled=\"1\" locked=\"0\">{p}</layer></symbol>"
    )
}

/// The renderer XML of the village risk layer (graduated, five classes).
pub fn risk_renderer(lang: Lang) -> String {
    let mut ranges = String::new();
    let mut symbols = String::new();
    for (k, (lo, hi, key, colour)) in RISK_CLASSES.iter().enumerate() {
        // The lowest class starts a hair below 0 so a score of exactly 0 is drawn.
        let lower = if k == 0 { -0.000001 } else { *lo };
        let _ = write!(
            ranges,
            "<range lower=\"{lower:.6}\" upper=\"{hi:.6}\" symbol=\"{k}\" label=\"{} ({lo:.0}–{hi:.0})\" render=\"true\"/>",
            esc(t(lang, key))
        );
        symbols.push_str(&fill_symbol(
            &k.to_string(),
            Some(*colour),
            (150, 150, 150),
            0.1,
        ));
    }
    format!(
        "<renderer-v2 type=\"graduatedSymbol\" attr=\"risk_score\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\"><ranges>{ranges}</ranges><symbols>{symbols}</symbols><mode name=\"equal\"/><classificationMethod id=\"EqualInterval\"/><rotation/><sizescale/></renderer-v2>"
    )
}

/// A categorised renderer over `attr`.
pub fn categorised(attr: &str, classes: &[(&'static str, (u8, u8, u8))], lang: Lang) -> String {
    let mut cats = String::new();
    let mut symbols = String::new();
    for (k, (value, colour)) in classes.iter().enumerate() {
        let _ = write!(
            cats,
            "<category value=\"{value}\" symbol=\"{k}\" label=\"{}\" render=\"true\"/>",
            esc(t(lang, value))
        );
        symbols.push_str(&fill_symbol(
            &k.to_string(),
            Some(*colour),
            (160, 160, 160),
            0.1,
        ));
    }
    format!(
        "<renderer-v2 type=\"categorizedSymbol\" attr=\"{attr}\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\"><categories>{cats}</categories><symbols>{symbols}</symbols><rotation/><sizescale/></renderer-v2>"
    )
}

fn single(symbol: String) -> String {
    format!(
        "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" enableorderby=\"0\"><symbols>{symbol}</symbols><rotation/><sizescale/></renderer-v2>"
    )
}

/// Simple labelling with a white buffer; `expression` may be a field name or an expression.
pub fn labels(expression: &str, is_expression: bool, size_pt: f64, placement: u8) -> String {
    format!(
        "<labeling type=\"simple\"><settings calloutType=\"simple\"><text-style fieldName=\"{}\" isExpression=\"{}\" fontFamily=\"DejaVu Sans\" fontSize=\"{size_pt}\" fontSizeUnit=\"Point\" fontWeight=\"75\" textColor=\"30,30,30,255\" textOpacity=\"1\" namedStyle=\"Bold\" fontItalic=\"0\" fontUnderline=\"0\" fontStrikeout=\"0\" fontCapitals=\"0\" multilineHeight=\"1\" blendMode=\"0\"><text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"0.9\" bufferNoFill=\"1\" bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/></text-style><text-format wrapChar=\"\" multilineAlign=\"3\" plussign=\"0\" formatNumbers=\"0\" decimals=\"3\" addDirectionSymbol=\"0\"/><placement placement=\"{placement}\" dist=\"1\" distUnits=\"MM\" priority=\"8\" offsetType=\"0\" quadOffset=\"4\" centroidWhole=\"0\" centroidInside=\"1\" fitInPolygonOnly=\"0\"/><rendering obstacle=\"1\" drawLabels=\"1\" scaleVisibility=\"0\" displayAll=\"1\" upsidedownLabels=\"0\" labelPerPart=\"0\" mergeLines=\"0\" limitNumLabels=\"0\" maxNumLabels=\"2000\" minFeatureSize=\"0\" fontLimitPixelSize=\"0\" zIndex=\"0\"/></settings></labeling>",
        esc(expression),
        u8::from(is_expression)
    )
}

/// A whole `.qml` document.
pub fn document(renderer: &str, labeling: Option<&str>) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0-Białowieża\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"{}\">\n  {renderer}\n  {}\n  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n  <layerOpacity>1</layerOpacity>\n</qgis>\n",
        u8::from(labeling.is_some()),
        labeling.unwrap_or("")
    )
}

/// (layer base name, renderer, labeling) for every layer.
pub fn styles(lang: Lang) -> Vec<(&'static str, String, Option<String>)> {
    vec![
        (layers::VILLAGES, risk_renderer(lang), None),
        (
            layers::HOTSPOTS,
            categorised(
                "gi_class",
                &GI_CLASSES.map(|(c, rgb)| (c.as_str(), rgb)),
                lang,
            ),
            None,
        ),
        (
            layers::LISA,
            categorised(
                "lisa_cluster",
                &LISA_CLASSES.map(|(c, rgb)| (c.as_str(), rgb)),
                lang,
            ),
            None,
        ),
        (
            layers::DESA_BINAAN,
            single(fill_symbol("0", None, (26, 152, 80), 0.8)),
            Some(labels("desa", false, 7.0, 1)),
        ),
        (
            layers::RECOMMENDED,
            single(fill_symbol("0", None, (106, 0, 168), 0.9)),
            Some(labels(
                "to_string(\"recommended_rank\") || '. ' || \"desa\"",
                true,
                8.0,
                1,
            )),
        ),
        (
            layers::OFFICES,
            single(marker_symbol("0", (0, 90, 160), 6.0)),
            Some(labels("office", false, 9.0, 0)),
        ),
    ]
}

pub fn write_all(p: &Publication, dir: &Path) -> Result<Vec<String>, PublishError> {
    styles(p.lang)
        .into_iter()
        .map(|(name, renderer, labeling)| {
            write_file(
                dir,
                &format!("{name}.qml"),
                document(&renderer, labeling.as_deref()).as_bytes(),
            )
        })
        .collect()
}
