//! SVG drawn by the server: the map of Kazakhstan and bar charts.
//!
//! The outline is Natural Earth's (see `data/README.md`), projected here with
//! an equirectangular projection whose parallels are scaled by the cosine of
//! the country's middle latitude (48°N): at this size it is within a few
//! pixels of a conic projection and needs no library. Output is
//! deterministic (fixed rounding, input order) so it can be snapshot-tested,
//! and every mark has a `<title>` for screen readers and tooltips.

use std::fmt::Write;
use std::sync::OnceLock;

use crate::html::esc;

/// The map's frame in degrees: a little wider than the country.
const LON_MIN: f64 = 46.0;
const LON_MAX: f64 = 88.0;
const LAT_MIN: f64 = 40.0;
const LAT_MAX: f64 = 56.0;
pub const MAP_WIDTH: f64 = 800.0;

fn scale_x() -> f64 {
    MAP_WIDTH / ((LON_MAX - LON_MIN) * 48f64.to_radians().cos())
}

pub fn map_height() -> f64 {
    ((LAT_MAX - LAT_MIN) * scale_x()).round()
}

/// Degrees to map pixels.
pub fn project(lon: f64, lat: f64) -> (f64, f64) {
    let k = scale_x();
    let x = (lon - LON_MIN) * 48f64.to_radians().cos() * k;
    let y = (LAT_MAX - lat) * k;
    (x, y)
}

/// The outline as one SVG path, projected once.
pub fn outline_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let text = include_str!("../data/kazakhstan.geojson");
        let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let polys = v
            .pointer("/geometry/coordinates")
            .and_then(|c| c.as_array())
            .cloned()
            .unwrap_or_default();
        let mut d = String::new();
        for poly in &polys {
            for ring in poly.as_array().into_iter().flatten() {
                let mut first = true;
                for pt in ring.as_array().into_iter().flatten() {
                    let (Some(lon), Some(lat)) = (
                        pt.get(0).and_then(|x| x.as_f64()),
                        pt.get(1).and_then(|x| x.as_f64()),
                    ) else {
                        continue;
                    };
                    let (x, y) = project(lon, lat);
                    let _ = write!(d, "{}{:.1} {:.1}", if first { "M" } else { "L" }, x, y);
                    first = false;
                }
                if !first {
                    d.push('Z');
                }
            }
        }
        d
    })
}

/// A city of the January events with its approximate position.
#[derive(Clone, Debug)]
pub struct KnownCity {
    /// The file's id, e.g. `zhanaozen`; matched against place refs.
    pub id: String,
    pub en: String,
    pub lon: f64,
    pub lat: f64,
}

/// Approximate coordinates of the cities of the January events, from
/// `data/cities.geojson`, for places recorded without coordinates.
pub fn known_cities() -> &'static [KnownCity] {
    static CITIES: OnceLock<Vec<KnownCity>> = OnceLock::new();
    CITIES.get_or_init(|| {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../data/cities.geojson")).unwrap_or_default();
        let mut out = Vec::new();
        for f in v
            .get("features")
            .and_then(|f| f.as_array())
            .into_iter()
            .flatten()
        {
            let s = |k: &str| {
                f.pointer(&format!("/properties/{k}"))
                    .and_then(|x| x.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let c = |i: usize| {
                f.pointer(&format!("/geometry/coordinates/{i}"))
                    .and_then(|x| x.as_f64())
            };
            if let (Some(lon), Some(lat)) = (c(0), c(1)) {
                let id = f
                    .get("id")
                    .and_then(|x| x.as_str())
                    .unwrap_or_default()
                    .to_string();
                out.push(KnownCity {
                    id,
                    en: s("en"),
                    lon,
                    lat,
                });
            }
        }
        out
    })
}

/// One city marker.
#[derive(Clone, Debug)]
pub struct Marker {
    pub lon: f64,
    pub lat: f64,
    pub label: String,
    pub count: u64,
    pub href: String,
    /// The tooltip and accessible name, e.g. "Almaty: 12 documented acts".
    pub title: String,
}

/// The map: outline, then markers sized by area for their counts (largest
/// first so small ones stay clickable on top).
pub fn map(title: &str, desc: &str, markers: &[Marker]) -> String {
    let h = map_height();
    let mut s = String::with_capacity(16 * 1024);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {MAP_WIDTH} {h}\" role=\"img\" aria-labelledby=\"map-title map-desc\" class=\"map\">\
         <title id=\"map-title\">{}</title><desc id=\"map-desc\">{}</desc>\
         <path class=\"land\" d=\"{}\"/>",
        esc(title),
        esc(desc),
        outline_path()
    );
    let max = markers.iter().map(|m| m.count).max().unwrap_or(0).max(1) as f64;
    let mut order: Vec<&Marker> = markers.iter().collect();
    order.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    for m in order {
        let (x, y) = project(m.lon, m.lat);
        let r = if m.count == 0 {
            3.0
        } else {
            5.0 + 25.0 * (m.count as f64 / max).sqrt()
        };
        let _ = write!(
            s,
            "<a href=\"{href}\"><title>{t}</title><circle class=\"city\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" class=\"city-label\">{l}</text></a>",
            href = esc(&m.href),
            t = esc(&m.title),
            l = esc(&m.label),
            tx = x + r + 3.0,
            ty = y + 4.0,
        );
    }
    s.push_str("</svg>");
    s
}

/// One bar: a range from `low` to `high` (`None` = open-ended), or a
/// single value when they are equal.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub low: u64,
    pub high: Option<u64>,
    /// Shown at the end of the bar, e.g. "more than 4,500".
    pub value_text: String,
    /// A CSS class: `claim`, `register`, …
    pub class: &'static str,
}

/// A horizontal bar chart. Open-ended bars run to the edge with an arrow.
pub fn bars(title: &str, bars: &[Bar]) -> String {
    const W: f64 = 640.0;
    const LABEL_W: f64 = 230.0;
    const VALUE_W: f64 = 130.0;
    const ROW: f64 = 26.0;
    let plot = W - LABEL_W - VALUE_W;
    let max = bars
        .iter()
        .map(|b| b.high.unwrap_or(b.low).max(b.low))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let h = ROW * bars.len() as f64 + 10.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{t}\" class=\"chart\"><title>{t}</title>",
        t = esc(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let lo = b.low as f64 / max * plot;
        let (x0, x1, open) = match b.high {
            Some(hi) if hi > b.low => (lo, hi as f64 / max * plot, false),
            Some(_) => (0.0, lo, false),
            None => (lo, plot, true),
        };
        let width = (x1 - x0).max(2.0);
        let _ = write!(
            s,
            "<g class=\"{c}\"><title>{lab}: {val}</title><text x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\">{lab}</text>\
             <rect x=\"{rx:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{bh:.1}\"/>",
            c = b.class,
            lab = esc(&b.label),
            val = esc(&b.value_text),
            lx = LABEL_W - 6.0,
            ty = y + ROW * 0.6,
            rx = LABEL_W + x0,
            bh = ROW - 8.0,
        );
        if open {
            let ax = LABEL_W + plot;
            let _ = write!(
                s,
                "<path d=\"M{ax:.1} {y0:.1}L{ax2:.1} {ym:.1}L{ax:.1} {y1:.1}Z\"/>",
                y0 = y,
                ax2 = ax + 8.0,
                ym = y + (ROW - 8.0) / 2.0,
                y1 = y + ROW - 8.0
            );
        }
        let _ = write!(
            s,
            "<text x=\"{vx:.1}\" y=\"{ty:.1}\">{val}</text></g>",
            vx = LABEL_W + plot + 12.0,
            ty = y + ROW * 0.6,
            val = esc(&b.value_text)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_keeps_the_country_inside_the_frame() {
        let (x, y) = project(76.9, 43.24); // Almaty, south-east
        assert!(x > 0.0 && x < MAP_WIDTH && y > 0.0 && y < map_height());
        let (x2, y2) = project(52.9, 43.34); // Zhanaozen, south-west
        assert!(x2 < x, "west is left");
        assert!((y2 - y).abs() < 5.0, "same latitude, same height");
    }

    #[test]
    fn outline_is_a_closed_path_of_about_a_thousand_points() {
        let d = outline_path();
        assert!(d.starts_with('M') && d.ends_with('Z'));
        let points = d.matches('L').count() + d.matches('M').count();
        assert!(points > 500, "{points} points");
    }

    #[test]
    fn open_ended_bar_gets_an_arrow_and_closed_one_does_not() {
        let svg = bars(
            "t",
            &[
                Bar {
                    label: "a".into(),
                    low: 10,
                    high: None,
                    value_text: "more than 10".into(),
                    class: "claim",
                },
                Bar {
                    label: "b".into(),
                    low: 5,
                    high: Some(5),
                    value_text: "5".into(),
                    class: "register",
                },
            ],
        );
        assert_eq!(svg.matches("<path").count(), 1);
        assert_eq!(svg.matches("<rect").count(), 2);
    }
}
