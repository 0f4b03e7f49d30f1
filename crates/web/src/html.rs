//! HTML building blocks: escaping, the page frame, and the words for
//! records in the reader's language.
//!
//! Pages are written as Rust strings rather than templates: the site is
//! small, and one escaping function that every dynamic value passes through
//! ([`esc`]) is easy to audit. Nothing here reads the archive beyond the
//! [`Snapshot`] it is given.

use std::fmt::Write;

use qantar_model::{ApproxDate, Body, LangText, Person, Record, vocab};

use crate::i18n::{Lang, t};
use crate::public::Snapshot;

/// Escape text for HTML element content and double-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encode a query value (ids, refs and vocabulary terms).
pub fn url_part(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The pages of the public site, in menu order: (path after the language
/// prefix, message key).
pub const MENU: [(&str, &str); 8] = [
    ("", "nav-home"),
    ("people", "nav-people"),
    ("timeline", "nav-timeline"),
    ("map", "nav-map"),
    ("numbers", "nav-numbers"),
    ("accountability", "nav-accountability"),
    ("sources", "nav-sources"),
    ("search", "nav-search"),
];

/// A whole page. `path` is the page's path after the language prefix (for
/// the language switch); `body` is already-escaped HTML.
pub fn page(lang: Lang, path: &str, title: &str, body: &str) -> String {
    let mut h = String::with_capacity(body.len() + 2048);
    let site = t(lang, "site-name");
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · {site}</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n\
         </head>\n<body>\n<a class=\"skip\" href=\"#main\">{skip}</a>\n<header>\n\
         <p class=\"site\"><a href=\"/{code}/\">{site}</a></p>\n<nav aria-label=\"{navl}\"><ul>",
        code = lang.code(),
        title = esc(title),
        site = esc(&site),
        skip = esc(&t(lang, "skip-to-content")),
        navl = esc(&t(lang, "nav-label")),
    );
    let here = path.split('?').next().unwrap_or_default();
    for (p, key) in MENU {
        let current = if here == p || (!p.is_empty() && here.starts_with(&format!("{p}/"))) {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            h,
            "<li><a href=\"/{}/{}\"{current}>{}</a></li>",
            lang.code(),
            p,
            esc(&t(lang, key))
        );
    }
    let _ = write!(
        h,
        "</ul></nav>\n<nav aria-label=\"{}\" class=\"langs\"><ul>",
        esc(&t(lang, "lang-switch-label"))
    );
    for other in Lang::ALL {
        let name = t(other, "lang-name");
        if other == lang {
            let _ = write!(
                h,
                "<li><span lang=\"{c}\" aria-current=\"true\">{n}</span></li>",
                c = other.code(),
                n = esc(&name)
            );
        } else {
            let _ = write!(
                h,
                "<li><a href=\"/{c}/{p}\" hreflang=\"{c}\" lang=\"{c}\">{n}</a></li>",
                c = other.code(),
                p = esc(path),
                n = esc(&name)
            );
        }
    }
    let _ = write!(
        h,
        "</ul></nav>\n</header>\n<main id=\"main\">\n<h1>{title}</h1>\n{body}\n</main>\n\
         <footer><p>{foot}</p><p><a href=\"/api/v1/openapi.json\">{api}</a></p></footer>\n</body>\n</html>\n",
        title = esc(title),
        foot = esc(&t(lang, "footer-public-only")),
        api = esc(&t(lang, "footer-api")),
    );
    h
}

/// A content value in the reader's language, with the model's fallback.
/// Marks the element's language when it differs from the page's.
pub fn text(lang: Lang, v: &LangText) -> String {
    let s = v.best(lang.code());
    match Lang::ALL
        .into_iter()
        .find(|l| v.get(l.code()) == Some(s) && !s.is_empty())
    {
        Some(l) if l != lang => format!("<span lang=\"{}\">{}</span>", l.code(), esc(s)),
        _ => esc(s),
    }
}

/// A vocabulary term's label, or the term itself if unknown.
pub fn term(lang: Lang, vocabulary: &str, id: &str) -> String {
    vocab::get(vocabulary)
        .and_then(|v| v.label(id, lang.code()))
        .unwrap_or(id)
        .to_string()
}

/// The name to show a reader: a preferred (non-variant) name in the
/// reader's language, then in the reader's script, then the first name.
pub fn person_name(lang: Lang, p: &Person) -> String {
    let preferred = p.names.iter().filter(|n| !n.variant);
    preferred
        .clone()
        .find(|n| n.lang.as_deref() == Some(lang.code()))
        .or_else(|| {
            preferred
                .clone()
                .find(|n| n.script.as_deref() == Some(lang.script()))
        })
        .or_else(|| {
            // Names without a script tag: guess the script from the letters.
            preferred.clone().find(|n| {
                n.script.is_none() && n.lang.is_none() && script_of(&n.value) == lang.script()
            })
        })
        .or(p.names.first())
        .map(|n| n.value.clone())
        .unwrap_or_default()
}

fn script_of(s: &str) -> &'static str {
    if s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        "Cyrl"
    } else {
        "Latn"
    }
}

/// A record's name for a reader, computed from public data only (never the
/// projection's label, which can name a hidden victim).
pub fn label(lang: Lang, snap: &Snapshot, r: &Record) -> String {
    match &r.body {
        Body::Person(p) => person_name(lang, p),
        Body::Act(a) => {
            let victim = snap
                .get(&a.victim)
                .map(|v| label(lang, snap, v))
                .unwrap_or_default();
            format!("{}: {victim}", term(lang, "act_types", &a.act_type))
        }
        Body::Claim(c) => match (&c.metric, &c.value, &c.statement) {
            (Some(m), Some(v), _) => format!("{}: {v}", term(lang, "metrics", m)),
            (_, _, Some(s)) => s.best(lang.code()).to_string(),
            _ => term(lang, "claim_types", &c.claim_type),
        },
        Body::Proceeding(p) => match &p.title {
            Some(t) => t.best(lang.code()).to_string(),
            None => term(lang, "proceeding_kinds", &p.proceeding_kind),
        },
        Body::Relationship(rel) => {
            let from = snap
                .get(&rel.from)
                .map(|v| label(lang, snap, v))
                .unwrap_or_default();
            let to = rel
                .to
                .as_deref()
                .and_then(|t| snap.get(t))
                .map(|v| label(lang, snap, v))
                .or_else(|| rel.to_unit.clone())
                .unwrap_or_default();
            format!("{from} — {} — {to}", term(lang, "relations", &rel.relation))
        }
        _ => r.label(lang.code()),
    }
}

/// Where a record has a page of its own on the public site.
pub fn href(lang: Lang, r: &Record) -> Option<String> {
    let id = r.id.to_string();
    match r.kind() {
        qantar_model::Kind::Person => Some(format!("/{}/people/{id}", lang.code())),
        qantar_model::Kind::Source => Some(format!("/{}/sources#s-{id}", lang.code())),
        qantar_model::Kind::Place => {
            Some(format!("/{}/timeline?city={}", lang.code(), url_part(&id)))
        }
        _ => None,
    }
}

/// A record's label, linked where it has a page.
pub fn link(lang: Lang, snap: &Snapshot, r: &Record) -> String {
    let l = esc(&label(lang, snap, r));
    match href(lang, r) {
        Some(h) => format!("<a href=\"{}\">{l}</a>", esc(&h)),
        None => l,
    }
}

/// A date for a reader: exact days and whole months in words, anything
/// less precise in the archive's canonical form.
pub fn date(lang: Lang, d: &ApproxDate) -> String {
    let text = d.to_string();
    let month = |m: u8| t(lang, &format!("month-{m}"));
    if let Some(day) = d.exact_day()
        && !d.is_approximate()
    {
        return crate::i18n::ta(
            lang,
            "date-day",
            &[
                ("day", crate::i18n::Arg::Num(u64::from(day.day))),
                ("month", crate::i18n::Arg::Str(&month(day.month))),
                ("year", crate::i18n::Arg::Num(day.year as u64)),
            ],
        );
    }
    if let (Some(lo), Some(hi)) = (d.earliest(), d.latest())
        && !d.is_approximate()
        && lo.year == hi.year
        && lo.month == hi.month
        && lo.day == 1
        && hi.day == qantar_model::date::days_in_month(hi.year, hi.month)
    {
        return crate::i18n::ta(
            lang,
            "date-month",
            &[
                ("month", crate::i18n::Arg::Str(&month(lo.month))),
                ("year", crate::i18n::Arg::Num(lo.year as u64)),
            ],
        );
    }
    text
}

/// `<time>` element for a date, machine-readable where it is a single day.
pub fn time(lang: Lang, d: &ApproxDate) -> String {
    match d.exact_day() {
        Some(day) => format!("<time datetime=\"{day}\">{}</time>", esc(&date(lang, d))),
        None => esc(&date(lang, d)),
    }
}

/// The sources a record cites, as a list of links.
pub fn citations(lang: Lang, snap: &Snapshot, r: &Record) -> String {
    let mut h = String::new();
    for c in &r.sources {
        let Some(s) = snap.get(&c.source) else {
            continue;
        };
        let _ = write!(h, "{}", link(lang, snap, s));
        if let Some(loc) = &c.locator {
            let _ = write!(h, " ({})", esc(loc));
        }
        h.push_str("; ");
    }
    if h.is_empty() {
        esc(&t(lang, "no-public-source"))
    } else {
        h.truncate(h.len() - 2);
        h
    }
}

/// Whole-number percentage, rounded half up.
pub fn percent(part: usize, whole: usize) -> u64 {
    if whole == 0 {
        0
    } else {
        ((part as u64) * 100 + (whole as u64) / 2) / whole as u64
    }
}
