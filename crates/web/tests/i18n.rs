//! Every interface string exists in Kazakh, Russian and English.

use qantar_web::i18n::{Lang, keys, parses};

#[test]
fn every_catalogue_parses_and_has_the_same_keys() {
    let en = keys(Lang::En);
    assert!(en.len() > 80, "en.ftl has {} keys", en.len());
    for lang in Lang::ALL {
        parses(lang).unwrap_or_else(|e| panic!("{e}"));
        let k = keys(lang);
        let missing: Vec<&String> = en.iter().filter(|x| !k.contains(x)).collect();
        let extra: Vec<&String> = k.iter().filter(|x| !en.contains(x)).collect();
        assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", lang.code());
        assert!(
            extra.is_empty(),
            "{}.ftl has keys en.ftl lacks: {extra:?}",
            lang.code()
        );
    }
}

#[test]
fn every_key_the_code_uses_is_in_the_catalogues() {
    // The literal keys passed to t()/ta() in the sources, plus the ones built
    // at run time (months, record kinds).
    let mut used: Vec<String> = Vec::new();
    for file in [
        "html.rs",
        "pages.rs",
        "lib.rs",
        "api.rs",
        "svg.rs",
        "work.rs",
        "review.rs",
        "import.rs",
        "register_view.rs",
        "security.rs",
        "estimate_view.rs",
        "search.rs",
        "sealed_view.rs",
        "evidence_view.rs",
        "export.rs",
        "files.rs",
    ] {
        let path = format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for call in [
            "t(lang, \"",
            "t(l, \"",
            "t(other, \"",
            "ta(lang, \"",
            "ta(\n            lang,\n            \"",
        ] {
            for part in text.split(call).skip(1) {
                if let Some(end) = part.find('"') {
                    used.push(part[..end].to_string());
                }
            }
        }
    }
    used.extend((1..=12).map(|m| format!("month-{m}")));
    // Keys the workspace builds at run time or keeps in tables.
    used.extend(["viewer", "analyst", "editor", "admin"].map(|r| format!("role-{r}")));
    used.extend(["public", "restricted", "confidential"].map(|c| format!("conf-{c}")));
    let work = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/work.rs"))
        .expect("work.rs");
    let view =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/estimate_view.rs"))
            .expect("estimate_view.rs");
    let review = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/review.rs"))
        .expect("review.rs");
    let import = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/import.rs"))
        .expect("import.rs");
    let register =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/register_view.rs"))
            .expect("register_view.rs");
    let sealed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/sealed_view.rs"))
            .expect("sealed_view.rs");
    let evidence =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/evidence_view.rs"))
            .expect("evidence_view.rs");
    // Keys kept in tables and match arms rather than in t() calls.
    for (text, prefix) in [
        (&work, "\"field-"),
        (&work, "\"work-new-"),
        (&work, "\"work-"),
        (&view, "\"numbers-"),
        (&review, "\"review-"),
        (&import, "\"import-"),
        (&register, "\"register-"),
        (&sealed, "\"sealed-"),
        (&evidence, "\"evidence-"),
    ] {
        for part in text.split(prefix).skip(1) {
            // Only whole literals that look like keys (not an HTML id
            // such as `id=\"import-error\"` inside a larger string).
            if let Some(end) = part.find('"')
                && part[..end]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
                && !part[..end].is_empty()
                && !part[..end].ends_with('-')
            {
                used.push(format!("{}{}", &prefix[1..], &part[..end]));
            }
        }
    }
    used.extend(
        [
            "person",
            "event",
            "act",
            "place",
            "source",
            "claim",
            "proceeding",
            "relationship",
            "list_entry",
            "link_decision",
            "consent",
        ]
        .map(|k| format!("kind-{k}")),
    );
    assert!(used.len() > 60, "found {} keys in the code", used.len());
    for lang in Lang::ALL {
        let k = keys(lang);
        for key in &used {
            assert!(k.contains(key), "{}.ftl lacks {key:?}", lang.code());
        }
    }
}
