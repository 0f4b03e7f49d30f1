//! Snapshot tests of the server-drawn SVG. The expected files are in
//! `tests/snapshots/`; after an intended change, regenerate them with
//! `QANTAR_UPDATE_SNAPSHOTS=1 cargo test -p qantar-web --test svg_snapshots`
//! and review the diff.

use qantar_web::svg::{Bar, Marker, bars, map};

fn check(name: &str, actual: &str) {
    let path = format!("{}/tests/snapshots/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("QANTAR_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("no snapshot {path} ({e}); create it with QANTAR_UPDATE_SNAPSHOTS=1 and review it")
    });
    if expected != actual {
        let at = expected
            .chars()
            .zip(actual.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let show = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(40))
                .take(120)
                .collect::<String>()
        };
        panic!(
            "{name} differs from its snapshot at character {at}:\nexpected …{}…\nactual   …{}…",
            show(&expected),
            show(actual)
        );
    }
}

fn marker(label: &str, lon: f64, lat: f64, count: u64) -> Marker {
    Marker {
        lon,
        lat,
        label: label.into(),
        count,
        href: format!("/en/timeline?city={}", label.to_lowercase()),
        title: format!("{label}: {count} documented acts"),
    }
}

#[test]
fn map_of_kazakhstan_with_city_markers() {
    let svg = map(
        "Documented acts by city",
        "Outline map of Kazakhstan",
        &[
            marker("Almaty", 76.89, 43.24, 12),
            marker("Taraz", 71.37, 42.9, 3),
            marker("Zhanaozen", 52.86, 43.34, 1),
            marker("Kyzylorda", 65.51, 44.85, 0),
            marker("<Escaped & \"quoted\">", 69.59, 42.32, 2),
        ],
    );
    assert!(
        svg.contains("&lt;Escaped &amp; &quot;quoted&quot;&gt;"),
        "labels are escaped"
    );
    assert_eq!(svg.matches("<circle").count(), 5);
    check("map.svg", &svg);
}

#[test]
fn bar_chart_of_disagreeing_claims_and_the_register() {
    let b = |label: &str, low: u64, high: Option<u64>, text: &str, class: &'static str| Bar {
        label: label.into(),
        low,
        high,
        value_text: text.into(),
        class,
    };
    let svg = bars(
        "Killed — Kazakhstan as a whole",
        &[
            b("Prosecutor General", 238, Some(238), "238", "claim"),
            b("Ministry of Health", 225, Some(225), "225", "superseded"),
            b("Human rights group", 240, None, "more than 240", "claim"),
            b("Regional mayor", 15, Some(18), "15–18", "claim"),
            b("This register", 31, Some(31), "31", "register"),
        ],
    );
    check("bars.svg", &svg);
}
