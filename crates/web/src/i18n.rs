//! The interface languages and their Fluent catalogues.
//!
//! Every string a visitor reads outside the records themselves comes from
//! `locales/{kk,ru,en}.ftl`, embedded at compile time. Fluent carries the
//! CLDR plural rules, so "1 person / 2 persons" is right in Russian's
//! one/few/many forms as in Kazakh's one/other. A key missing from a
//! catalogue renders as `⟦key⟧`, which the tests look for on every page.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// An interface language. The order is the order of the language switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The BCP 47 code, also the URL prefix and the key of content fields.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The script names are written in for readers of this language.
    pub fn script(self) -> &'static str {
        match self {
            Lang::Kk | Lang::Ru => "Cyrl",
            Lang::En => "Latn",
        }
    }

    /// The best of our languages for an `Accept-Language` header, honouring
    /// q-values; `None` when the reader asks for none of them.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut bits = part.trim().split(';');
            let tag = bits.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let Some(lang) = Lang::parse(primary) else {
                continue;
            };
            if q <= 0.0 {
                continue;
            }
            // Higher q wins; among equals, the earlier entry.
            let better = match best {
                None => true,
                Some((bq, _, _)) => q > bq,
            };
            if better {
                best = Some((q, i, lang));
            }
        }
        best.map(|(_, _, l)| l)
    }
}

const SOURCES: [(Lang, &str); 3] = [
    (Lang::Kk, include_str!("../locales/kk.ftl")),
    (Lang::Ru, include_str!("../locales/ru.ftl")),
    (Lang::En, include_str!("../locales/en.ftl")),
];

/// The raw catalogue text of a language, for tests that compare key sets.
pub fn catalogue_source(lang: Lang) -> &'static str {
    SOURCES
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, s)| *s)
        .unwrap_or_default()
}

fn bundles() -> &'static [(Lang, FluentBundle<FluentResource>)] {
    static BUNDLES: OnceLock<Vec<(Lang, FluentBundle<FluentResource>)>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(lang, text)| {
                // A syntax error in a catalogue is a build defect that the
                // tests catch; keep the entries that did parse meanwhile.
                let resource = FluentResource::try_new((*text).to_string())
                    .unwrap_or_else(|(partial, _)| partial);
                let id = lang
                    .code()
                    .parse()
                    .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Isolation marks (U+2068/U+2069) around arguments confuse
                // copy-paste and search in plain HTML; our arguments are
                // short and in the page's own direction.
                bundle.set_use_isolating(false);
                let _ = bundle.add_resource(resource);
                (*lang, bundle)
            })
            .collect()
    })
}

fn bundle(lang: Lang) -> Option<&'static FluentBundle<FluentResource>> {
    bundles().iter().find(|(l, _)| *l == lang).map(|(_, b)| b)
}

/// A message with no arguments.
pub fn t(lang: Lang, key: &str) -> String {
    format(lang, key, None)
}

/// A message with arguments; numbers select the plural form.
pub fn ta(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    let mut fa = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Num(n) => fa.set(*name, FluentValue::from(*n)),
            Arg::Str(s) => fa.set(*name, FluentValue::from(s.to_string())),
        }
    }
    format(lang, key, Some(&fa))
}

/// An argument to a message.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Num(u64),
    Str(&'a str),
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    let Some(bundle) = bundle(lang) else {
        return format!("⟦{key}⟧");
    };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return format!("⟦{key}⟧");
    };
    let mut errors = Vec::new();
    let out = bundle.format_pattern(pattern, args, &mut errors);
    if errors.is_empty() {
        out.into_owned()
    } else {
        format!("⟦{key}⟧")
    }
}

/// The message ids a catalogue defines, for the completeness test.
pub fn keys(lang: Lang) -> Vec<String> {
    let resource = FluentResource::try_new(catalogue_source(lang).to_string())
        .unwrap_or_else(|(partial, _)| partial);
    let mut ids: Vec<String> = resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect();
    ids.sort();
    ids
}

/// Whether a catalogue parses without a syntax error.
pub fn parses(lang: Lang) -> Result<(), String> {
    FluentResource::try_new(catalogue_source(lang).to_string())
        .map(|_| ())
        .map_err(|(_, errs)| format!("{}.ftl: {errs:?}", lang.code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(
            Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Some(Lang::Ru)
        );
        assert_eq!(
            Lang::from_accept_language("de;q=1, en;q=0.5, kk;q=0.7"),
            Some(Lang::Kk)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language("kk;q=0, en"), Some(Lang::En));
    }

    #[test]
    fn russian_plural_forms_follow_cldr() {
        let n = |k| ta(Lang::Ru, "count-persons", &[("count", Arg::Num(k))]);
        // 1 → one, 3 → few, 5 → many, 21 → one.
        assert!(n(1).contains("человек"), "{}", n(1));
        assert_ne!(n(3), n(5).replace('5', "3"), "few and many must differ");
        assert_eq!(n(21).replace("21", "1"), n(1));
    }
}
