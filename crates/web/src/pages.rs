//! The public pages, each a pure function of a [`Snapshot`] and the
//! reader's language, returning the page's body HTML (the frame is added by
//! [`crate::html::page`]).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write;

use qantar_model::{Act, ApproxDate, Body, CivilDate, Kind, Proceeding, Record};

use crate::html::{
    citations, date, esc, label, link, percent, person_name, term, text, time, url_part,
};
use crate::i18n::{Arg, Lang, t, ta};
use crate::public::Snapshot;
use crate::svg;

fn n(v: usize) -> Arg<'static> {
    Arg::Num(v as u64)
}

/// Statuses that mean someone was charged or tried: what "led to a
/// prosecution" means on the accountability page.
pub const PROSECUTION_STATUSES: [&str; 6] = [
    "charged",
    "trial",
    "convicted",
    "acquitted",
    "sentence_suspended",
    "fined",
];

/// The act types whose victims the register counts for a claimed metric.
pub fn act_types_for_metric(metric: &str) -> &'static [&'static str] {
    match metric {
        "killed" => &["killing"],
        "injured" | "shot" => &["injury"],
        "detained" | "arrested" => &["detention", "arbitrary_arrest"],
        "tortured" => &["torture", "ill_treatment"],
        _ => &[],
    }
}

/// The metrics the numbers page always shows, in this order, before any
/// other metric that public claims use.
pub const MAIN_METRICS: [&str; 4] = ["killed", "injured", "detained", "tortured"];

pub fn home(lang: Lang, snap: &Snapshot) -> String {
    let persons = snap.of_kind(Kind::Person).count();
    let acts = snap.of_kind(Kind::Act).count();
    let sources = snap.of_kind(Kind::Source).count();
    let mut h = String::new();
    let _ = write!(
        h,
        "<p class=\"lead\">{}</p>\n<ul class=\"figures\">\
         <li><a href=\"/{c}/people\">{}</a></li>\
         <li><a href=\"/{c}/timeline\">{}</a></li>\
         <li><a href=\"/{c}/sources\">{}</a></li></ul>\n<p>{}</p>",
        esc(&t(lang, "home-intro")),
        esc(&ta(lang, "count-persons", &[("count", n(persons))])),
        esc(&ta(lang, "count-acts", &[("count", n(acts))])),
        esc(&ta(lang, "count-sources", &[("count", n(sources))])),
        esc(&t(lang, "home-no-js")),
        c = lang.code(),
    );
    h
}

/// Items on one page of a long list: keeps every page well under 100 KB
/// however large the archive grows.
pub const PAGE_SIZE: usize = 200;

/// Previous/next links for page `page` (1-based) of `total` items; `base`
/// is the page's URL with its query so far, ending in `?` or `&`.
fn pager(lang: Lang, base: &str, page: usize, total: usize) -> String {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    if pages <= 1 {
        return String::new();
    }
    let mut h = String::from("<nav class=\"pager\" aria-label=\"pages\"><p>");
    if page > 1 {
        let _ = write!(
            h,
            "<a rel=\"prev\" href=\"{}page={}\">{}</a> ",
            esc(base),
            page - 1,
            esc(&t(lang, "page-previous"))
        );
    }
    let _ = write!(
        h,
        "{}",
        esc(&ta(
            lang,
            "page-position",
            &[("page", n(page)), ("pages", n(pages))]
        ))
    );
    if page < pages {
        let _ = write!(
            h,
            " <a rel=\"next\" href=\"{}page={}\">{}</a>",
            esc(base),
            page + 1,
            esc(&t(lang, "page-next"))
        );
    }
    h.push_str("</p></nav>");
    h
}

pub fn people(lang: Lang, snap: &Snapshot, page: usize) -> String {
    let mut rows: Vec<(String, &Record)> = snap
        .of_kind(Kind::Person)
        .map(|r| (label(lang, snap, r), r))
        .collect();
    rows.sort_by_key(|a| a.0.to_lowercase());
    if rows.is_empty() {
        return format!("<p>{}</p>", esc(&t(lang, "people-none")));
    }
    let total = rows.len();
    let page = page.clamp(1, total.div_ceil(PAGE_SIZE).max(1));
    let base = format!("/{}/people?", lang.code());
    let mut h = format!(
        "<p>{}</p>\n{}<ul class=\"people\">",
        esc(&ta(lang, "count-persons", &[("count", n(total))])),
        pager(lang, &base, page, total)
    );
    for (name, r) in rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
    {
        let Body::Person(p) = &r.body else { continue };
        let status = p
            .status
            .as_deref()
            .map(|s| format!(" — {}", esc(&term(lang, "person_statuses", s))))
            .unwrap_or_default();
        let _ = write!(
            h,
            "<li><a href=\"/{}/people/{}\">{}</a>{status}</li>",
            lang.code(),
            r.id,
            esc(&name)
        );
    }
    h.push_str("</ul>");
    h.push_str(&pager(lang, &base, page, total));
    h
}

fn acts_of<'a>(snap: &'a Snapshot, person: &str) -> Vec<&'a Record> {
    snap.acts_against(person)
}

fn proceedings_of<'a>(snap: &'a Snapshot, person: &str, acts: &HashSet<String>) -> Vec<&'a Record> {
    snap.proceedings_about(person, acts)
}

/// "complaint filed (5 Feb 2022) → no one prosecuted".
fn status_chain(lang: Lang, p: &Proceeding) -> String {
    let mut parts = Vec::new();
    for s in &p.status_history {
        let mut part = esc(&term(lang, "proceeding_statuses", &s.status));
        if let Some(d) = &s.date {
            let _ = write!(part, " <span class=\"date\">({})</span>", time(lang, d));
        }
        if let Some(note) = &s.note {
            let _ = write!(part, " <span class=\"note\">{}</span>", text(lang, note));
        }
        parts.push(part);
    }
    format!("<span class=\"chain\">{}</span>", parts.join(" → "))
}

fn act_line(lang: Lang, snap: &Snapshot, r: &Record, a: &Act, with_victim: bool) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<strong>{}</strong>",
        esc(&term(lang, "act_types", &a.act_type))
    );
    if with_victim && let Some(v) = snap.get(&a.victim) {
        let _ = write!(h, " — {}", link(lang, snap, v));
    }
    if let Some(p) = a.place.as_deref().and_then(|p| snap.get(p)) {
        let _ = write!(h, ", {}", link(lang, snap, p));
    }
    if !a.means.is_empty() {
        let means: Vec<String> = a.means.iter().map(|m| term(lang, "means", m)).collect();
        let _ = write!(
            h,
            "<br>{}: {}",
            esc(&t(lang, "act-means")),
            esc(&means.join(", "))
        );
    }
    if !a.outcomes.is_empty() {
        let o: Vec<String> = a
            .outcomes
            .iter()
            .map(|m| term(lang, "outcomes", m))
            .collect();
        let _ = write!(
            h,
            "<br>{}: {}",
            esc(&t(lang, "act-outcomes")),
            esc(&o.join(", "))
        );
    }
    if !a.perpetrators.is_empty() {
        let mut ps = Vec::new();
        for p in &a.perpetrators {
            let mut bits = Vec::new();
            if let Some(person) = p.person.as_deref().and_then(|x| snap.get(x)) {
                bits.push(link(lang, snap, person));
            }
            if let Some(u) = &p.unit {
                bits.push(esc(u));
            }
            if let Some(d) = &p.description {
                bits.push(text(lang, d));
            }
            ps.push(bits.join(", "));
        }
        let _ = write!(
            h,
            "<br>{}: {}",
            esc(&t(lang, "act-perpetrators")),
            ps.join("; ")
        );
    }
    if let Some(d) = &a.description {
        // Descriptions of violence sit behind a warning that needs no script.
        let _ = write!(
            h,
            "<details class=\"cw\"><summary>{}</summary><p>{}</p></details>",
            esc(&t(lang, "content-warning")),
            text(lang, d)
        );
    }
    let _ = write!(
        h,
        "<br><span class=\"src\">{}: {}</span>",
        esc(&t(lang, "label-sources")),
        citations(lang, snap, r)
    );
    h
}

fn sort_key(d: Option<&ApproxDate>) -> (bool, Option<CivilDate>) {
    (d.is_none(), d.and_then(|d| d.earliest()))
}

pub fn person(lang: Lang, snap: &Snapshot, r: &Record) -> String {
    let Body::Person(p) = &r.body else {
        return String::new();
    };
    let id = r.id.to_string();
    let mut h = String::new();
    h.push_str("<dl class=\"facts\">");
    let shown = person_name(lang, p);
    let others: Vec<String> = p
        .names
        .iter()
        .map(|nm| nm.value.clone())
        .filter(|v| *v != shown)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !others.is_empty() {
        let _ = write!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t(lang, "person-other-names")),
            esc(&others.join(", "))
        );
    }
    if let Some(age) = p.age {
        let mut v = esc(&ta(
            lang,
            "person-age-years",
            &[("age", Arg::Num(u64::from(age)))],
        ));
        if let Some(asof) = &p.age_as_of {
            let _ = write!(
                v,
                " ({} {})",
                esc(&t(lang, "person-age-as-of")),
                time(lang, asof)
            );
        }
        let _ = write!(h, "<dt>{}</dt><dd>{v}</dd>", esc(&t(lang, "person-age")));
    } else if let Some(b) = &p.birth_date {
        let _ = write!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t(lang, "person-born")),
            time(lang, b)
        );
    }
    if let Some(o) = &p.occupation {
        let _ = write!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t(lang, "person-occupation")),
            text(lang, o)
        );
    }
    if let Some(res) = p.residence.as_deref().and_then(|x| snap.get(x)) {
        let _ = write!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t(lang, "person-residence")),
            link(lang, snap, res)
        );
    }
    if let Some(s) = &p.status {
        let _ = write!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t(lang, "person-status")),
            esc(&term(lang, "person_statuses", s))
        );
    }
    if !p.roles.is_empty() {
        let roles: Vec<String> = p.roles.iter().map(|x| term(lang, "roles", x)).collect();
        let _ = write!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t(lang, "person-roles")),
            esc(&roles.join(", "))
        );
    }
    if let Some(portrait) = &p.portrait {
        let _ = write!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t(lang, "person-portrait")),
            text(lang, portrait)
        );
    }
    h.push_str("</dl>");

    // What happened, in date order.
    let mut acts = acts_of(snap, &id);
    acts.sort_by_key(|a| match &a.body {
        Body::Act(x) => sort_key(x.date.as_ref()),
        _ => (true, None),
    });
    let _ = write!(h, "<h2>{}</h2>", esc(&t(lang, "person-what-happened")));
    if acts.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "person-no-acts")));
    } else {
        h.push_str("<ol class=\"timeline\">");
        for r in &acts {
            let Body::Act(a) = &r.body else { continue };
            let when = a
                .date
                .as_ref()
                .map(|d| time(lang, d))
                .unwrap_or_else(|| esc(&t(lang, "date-unknown")));
            let _ = write!(
                h,
                "<li><span class=\"when\">{when}</span> {}</li>",
                act_line(lang, snap, r, a, false)
            );
        }
        h.push_str("</ol>");
    }

    let act_ids: HashSet<String> = acts.iter().map(|a| a.id.to_string()).collect();
    let procs = proceedings_of(snap, &id, &act_ids);
    let _ = write!(h, "<h2>{}</h2>", esc(&t(lang, "person-proceedings")));
    if procs.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "person-no-proceedings")));
    } else {
        h.push_str("<ul class=\"proceedings\">");
        for r in &procs {
            let Body::Proceeding(pr) = &r.body else {
                continue;
            };
            let _ = write!(
                h,
                "<li><strong>{}</strong>",
                esc(&term(lang, "proceeding_kinds", &pr.proceeding_kind))
            );
            if let Some(tt) = &pr.title {
                let _ = write!(h, ": {}", text(lang, tt));
            }
            if let Some(a) = &pr.authority {
                let _ = write!(h, " ({})", text(lang, a));
            }
            if let Some(c) = &pr.charge {
                let _ = write!(
                    h,
                    "<br>{}: {}",
                    esc(&t(lang, "proceeding-charge")),
                    text(lang, c)
                );
            }
            let _ = write!(
                h,
                "<br>{}: {}<br><span class=\"src\">{}: {}</span></li>",
                esc(&t(lang, "proceeding-course")),
                status_chain(lang, pr),
                esc(&t(lang, "label-sources")),
                citations(lang, snap, r)
            );
        }
        h.push_str("</ul>");
    }

    let rels: Vec<&Record> = snap.relationships_of(&id);
    let _ = write!(h, "<h2>{}</h2>", esc(&t(lang, "person-relatives")));
    if rels.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "person-no-relatives")));
    } else {
        h.push_str("<ul>");
        for r in &rels {
            let Body::Relationship(rel) = &r.body else {
                continue;
            };
            let relation = esc(&term(lang, "relations", &rel.relation));
            let line = if rel.from == id {
                // This person is the `relation` of the other.
                let other = rel
                    .to
                    .as_deref()
                    .and_then(|x| snap.get(x))
                    .map(|o| link(lang, snap, o))
                    .or_else(|| rel.to_unit.as_deref().map(esc))
                    .unwrap_or_default();
                format!("{} {relation}: {other}", esc(&t(lang, "relation-is-of")))
            } else {
                let other = snap
                    .get(&rel.from)
                    .map(|o| link(lang, snap, o))
                    .unwrap_or_default();
                format!("{relation}: {other}")
            };
            let _ = write!(h, "<li>{line}</li>");
        }
        h.push_str("</ul>");
    }

    // Every public source behind anything on this page.
    let mut srcs: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let everything = std::iter::once(r)
        .chain(acts.iter().copied())
        .chain(procs.iter().copied())
        .chain(rels.iter().copied());
    for rec in everything {
        for c in &rec.sources {
            if seen.insert(c.source.clone())
                && let Some(s) = snap.get(&c.source)
            {
                srcs.push(link(lang, snap, s));
            }
        }
    }
    let _ = write!(h, "<h2>{}</h2>", esc(&t(lang, "label-sources")));
    if srcs.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "no-public-source")));
    } else {
        let _ = write!(h, "<ul><li>{}</li></ul>", srcs.join("</li><li>"));
    }
    h
}

/// Timeline filters from the query string.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct TimelineQuery {
    pub city: Option<String>,
    #[serde(rename = "type")]
    pub act_type: Option<String>,
    /// 1-based page of the entries.
    pub page: Option<usize>,
}

enum Item<'a> {
    Act(&'a Record, &'a Act),
    Event(&'a Record),
    Status(&'a Record, &'a Proceeding, usize),
}

pub fn timeline(lang: Lang, snap: &Snapshot, q: &TimelineQuery) -> String {
    let city = q.city.as_deref().filter(|c| !c.is_empty());
    let act_type = q.act_type.as_deref().filter(|c| !c.is_empty());
    let within: Option<HashSet<String>> = city.map(|c| snap.places_within(c));
    let in_city = |place: Option<&String>| match &within {
        None => true,
        Some(w) => place.is_some_and(|p| w.contains(p)),
    };
    let mut items: Vec<(Option<ApproxDate>, Item<'_>)> = Vec::new();
    let mut shown_acts = HashSet::new();
    for r in snap.of_kind(Kind::Act) {
        let Body::Act(a) = &r.body else { continue };
        if act_type.is_some_and(|ty| a.act_type != ty) || !in_city(a.place.as_ref()) {
            continue;
        }
        shown_acts.insert(r.id.to_string());
        items.push((a.date, Item::Act(r, a)));
    }
    if act_type.is_none() {
        for r in snap.of_kind(Kind::Event) {
            let Body::Event(e) = &r.body else { continue };
            if in_city(e.place.as_ref()) {
                items.push((Some(e.date), Item::Event(r)));
            }
        }
    }
    for r in snap.of_kind(Kind::Proceeding) {
        let Body::Proceeding(p) = &r.body else {
            continue;
        };
        let concerns_shown = p.acts.iter().any(|a| shown_acts.contains(a));
        if (city.is_some() || act_type.is_some()) && !concerns_shown {
            continue;
        }
        for (i, s) in p.status_history.iter().enumerate() {
            items.push((s.date, Item::Status(r, p, i)));
        }
    }
    items.sort_by_key(|(d, _)| sort_key(d.as_ref()));

    let mut h = String::new();
    let _ = write!(h, "<p>{}</p>", esc(&t(lang, "timeline-intro")));
    // The filter form: plain GET, labelled fields, works without script.
    let _ = write!(
        h,
        "<form method=\"get\" action=\"/{}/timeline\" class=\"filters\"><label for=\"f-city\">{}</label> <select id=\"f-city\" name=\"city\"><option value=\"\">{}</option>",
        lang.code(),
        esc(&t(lang, "filter-city")),
        esc(&t(lang, "filter-all"))
    );
    let mut cities: Vec<(String, String)> = snap
        .of_kind(Kind::Place)
        .filter(|r| matches!(&r.body, Body::Place(p) if matches!(p.place_type.as_str(), "city" | "town" | "village" | "region")))
        .map(|r| (label(lang, snap, r), r.id.to_string()))
        .collect();
    cities.sort();
    let chosen_city = city.and_then(|c| snap.get(c)).map(|r| r.id.to_string());
    for (name, id) in &cities {
        let sel = if chosen_city.as_deref() == Some(id.as_str()) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            h,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(id),
            esc(name)
        );
    }
    let _ = write!(
        h,
        "</select> <label for=\"f-type\">{}</label> <select id=\"f-type\" name=\"type\"><option value=\"\">{}</option>",
        esc(&t(lang, "filter-act-type")),
        esc(&t(lang, "filter-all"))
    );
    if let Some(v) = qantar_model::vocab::get("act_types") {
        for term_ in &v.terms {
            let sel = if act_type == Some(term_.id.as_str()) {
                " selected"
            } else {
                ""
            };
            let _ = write!(
                h,
                "<option value=\"{}\"{sel}>{}</option>",
                esc(&term_.id),
                esc(term_.label(lang.code()))
            );
        }
    }
    let _ = write!(
        h,
        "</select> <button type=\"submit\">{}</button></form>",
        esc(&t(lang, "filter-apply"))
    );
    if items.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "timeline-empty")));
        return h;
    }
    let _ = write!(
        h,
        "<p>{}</p>",
        esc(&ta(lang, "count-entries", &[("count", n(items.len()))]))
    );
    let total = items.len();
    let page = q
        .page
        .unwrap_or(1)
        .clamp(1, total.div_ceil(PAGE_SIZE).max(1));
    let mut base = format!("/{}/timeline?", lang.code());
    if let Some(c) = city {
        base.push_str(&format!("city={}&", crate::html::url_part(c)));
    }
    if let Some(ty) = act_type {
        base.push_str(&format!("type={}&", crate::html::url_part(ty)));
    }
    let pager_html = pager(lang, &base, page, total);
    h.push_str(&pager_html);
    let items: Vec<_> = items
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();

    // Headings: one per day in January 2022, one per month after it.
    let mut current = String::new();
    let mut open = false;
    for (d, item) in &items {
        let heading = match d.as_ref().and_then(|d| d.earliest()) {
            None => t(lang, "date-unknown"),
            Some(day) => {
                if let Some(exact) = d.as_ref().and_then(|d| d.exact_day())
                    && exact.year == 2022
                    && exact.month == 1
                {
                    date(lang, &ApproxDate::from_day(exact))
                } else {
                    ta(
                        lang,
                        "date-month",
                        &[
                            ("month", Arg::Str(&t(lang, &format!("month-{}", day.month)))),
                            ("year", Arg::Num(day.year as u64)),
                        ],
                    )
                }
            }
        };
        if heading != current {
            if open {
                h.push_str("</ul></section>");
            }
            let _ = write!(
                h,
                "<section><h2>{}</h2><ul class=\"timeline\">",
                esc(&heading)
            );
            current = heading;
            open = true;
        }
        let when = d.as_ref().map(|d| time(lang, d)).unwrap_or_default();
        let body = match item {
            Item::Act(r, a) => act_line(lang, snap, r, a, true),
            Item::Event(r) => {
                let mut s = format!(
                    "<strong>{}</strong>: {}",
                    esc(&t(lang, "timeline-event")),
                    esc(&label(lang, snap, r))
                );
                if let Body::Event(e) = &r.body {
                    if let Some(p) = e.place.as_deref().and_then(|p| snap.get(p)) {
                        let _ = write!(s, ", {}", link(lang, snap, p));
                    }
                    if let Some(desc) = &e.description {
                        let _ = write!(s, "<br>{}", text(lang, desc));
                    }
                }
                s
            }
            Item::Status(r, p, i) => {
                let st = &p.status_history[*i];
                let persons: Vec<String> = p
                    .persons
                    .iter()
                    .filter_map(|pp| snap.get(&pp.person))
                    .map(|x| link(lang, snap, x))
                    .collect();
                let mut s = format!(
                    "<strong>{}</strong> — {}: {}",
                    esc(&term(lang, "proceeding_kinds", &p.proceeding_kind)),
                    esc(&label(lang, snap, r)),
                    esc(&term(lang, "proceeding_statuses", &st.status))
                );
                if !persons.is_empty() {
                    let _ = write!(s, " ({})", persons.join(", "));
                }
                s
            }
        };
        let _ = write!(h, "<li><span class=\"when\">{when}</span> {body}</li>");
    }
    if open {
        h.push_str("</ul></section>");
    }
    h
}

/// Documented acts per city, for the map and the API.
pub fn acts_by_city(snap: &Snapshot) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for r in snap.of_kind(Kind::Act) {
        let Body::Act(a) = &r.body else { continue };
        if let Some(city) = a.place.as_deref().and_then(|p| snap.city_of(p)) {
            *out.entry(city.id.to_string()).or_insert(0) += 1;
        }
    }
    out
}

/// The markers for every public city or town with a position.
pub fn map_markers(lang: Lang, snap: &Snapshot) -> Vec<svg::Marker> {
    let counts = acts_by_city(snap);
    let mut out = Vec::new();
    for r in snap.of_kind(Kind::Place) {
        let Body::Place(p) = &r.body else { continue };
        if !matches!(p.place_type.as_str(), "city" | "town" | "village") {
            continue;
        }
        let id = r.id.to_string();
        let count = counts.get(&id).copied().unwrap_or(0);
        let pos = p.coordinates.map(|c| (c.lon, c.lat)).or_else(|| {
            let en = p.name.get("en").unwrap_or_default().to_lowercase();
            svg::known_cities()
                .iter()
                .find(|c| c.en.to_lowercase() == en || r.r#ref.as_deref() == Some(c.id.as_str()))
                .map(|c| (c.lon, c.lat))
        });
        let Some((lon, lat)) = pos else { continue };
        let name = label(lang, snap, r);
        out.push(svg::Marker {
            lon,
            lat,
            title: format!(
                "{name}: {}",
                ta(lang, "count-acts", &[("count", Arg::Num(count))])
            ),
            label: name,
            count,
            href: format!("/{}/timeline?city={}", lang.code(), url_part(&id)),
        });
    }
    out
}

pub fn map(lang: Lang, snap: &Snapshot) -> String {
    let markers = map_markers(lang, snap);
    let mut h = format!("<p>{}</p>", esc(&t(lang, "map-intro")));
    h.push_str("<figure>");
    h.push_str(&svg::map(
        &t(lang, "map-title"),
        &t(lang, "map-desc"),
        &markers,
    ));
    h.push_str("</figure>");
    // The same information as a list, for readers who cannot see the map.
    let mut sorted = markers.clone();
    sorted.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    let _ = write!(h, "<h2>{}</h2><ul>", esc(&t(lang, "map-list")));
    for m in &sorted {
        let _ = write!(
            h,
            "<li><a href=\"{}\">{}</a></li>",
            esc(&m.href),
            esc(&m.title)
        );
    }
    h.push_str("</ul>");
    h
}

/// One group of claims on the numbers page: a metric at a place.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ClaimGroup {
    pub metric: String,
    /// The place's id, or none for the whole country.
    pub place: Option<String>,
    pub claims: Vec<ClaimLine>,
    /// Lowest and highest figure among the current (not superseded) claims;
    /// `high` is none when a claim is open-ended ("more than …").
    pub range_low: Option<u64>,
    pub range_high: Option<u64>,
    /// Victims of public acts of the matching types in the register.
    pub documented: Option<u64>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ClaimLine {
    pub id: String,
    pub value: String,
    pub low: u64,
    pub high: Option<u64>,
    pub claimant: Option<String>,
    pub stated_on: Option<String>,
    pub period: Option<String>,
    pub sources: Vec<String>,
    pub superseded: bool,
}

pub fn claim_groups(lang: Lang, snap: &Snapshot) -> Vec<ClaimGroup> {
    let superseded: HashSet<String> = snap
        .of_kind(Kind::Claim)
        .filter_map(|r| match &r.body {
            Body::Claim(c) => Some(c.supersedes.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let mut groups: BTreeMap<(usize, String, String), ClaimGroup> = BTreeMap::new();
    for r in snap.of_kind(Kind::Claim) {
        let Body::Claim(c) = &r.body else { continue };
        let (Some(metric), Some(value)) = (&c.metric, &c.value) else {
            continue;
        };
        let rank = MAIN_METRICS
            .iter()
            .position(|m| m == metric)
            .unwrap_or(MAIN_METRICS.len());
        let place_name = c
            .place
            .as_deref()
            .and_then(|p| snap.get(p))
            .map(|p| label(lang, snap, p))
            .unwrap_or_default();
        let key = (
            rank,
            metric.clone(),
            format!("{}{}", place_name, c.place.clone().unwrap_or_default()),
        );
        let g = groups.entry(key).or_insert_with(|| ClaimGroup {
            metric: metric.clone(),
            place: c.place.clone(),
            claims: Vec::new(),
            range_low: None,
            range_high: None,
            documented: None,
        });
        g.claims.push(ClaimLine {
            id: r.id.to_string(),
            value: value.to_string(),
            low: value.low(),
            high: value.high(),
            claimant: c.claimant.as_ref().map(|x| x.best(lang.code()).to_string()),
            stated_on: c.stated_on.map(|d| d.to_string()),
            period: c.period.map(|d| d.to_string()),
            sources: r.sources.iter().map(|s| s.source.clone()).collect(),
            superseded: superseded.contains(&r.id.to_string()),
        });
    }
    let mut out: Vec<ClaimGroup> = groups.into_values().collect();
    for g in &mut out {
        let current: Vec<&ClaimLine> = g.claims.iter().filter(|c| !c.superseded).collect();
        g.range_low = current.iter().map(|c| c.low).min();
        g.range_high = if current.iter().any(|c| c.high.is_none()) {
            None
        } else {
            current.iter().filter_map(|c| c.high).max()
        };
        let types = act_types_for_metric(&g.metric);
        if !types.is_empty() {
            let within = g.place.as_deref().map(|p| snap.places_within(p));
            let victims: HashSet<&str> = snap
                .of_kind(Kind::Act)
                .filter_map(|r| match &r.body {
                    Body::Act(a) if types.contains(&a.act_type.as_str()) => {
                        let here = match &within {
                            None => true,
                            Some(w) => a.place.as_ref().is_some_and(|p| w.contains(p)),
                        };
                        here.then_some(a.victim.as_str())
                    }
                    _ => None,
                })
                .collect();
            g.documented = Some(victims.len() as u64);
        }
    }
    out
}

pub fn numbers(lang: Lang, snap: &Snapshot) -> String {
    let groups = claim_groups(lang, snap);
    let mut h = format!("<p>{}</p>", esc(&t(lang, "numbers-intro")));
    if groups.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "numbers-none")));
        return h;
    }
    let mut last_metric = String::new();
    for g in &groups {
        let metric = term(lang, "metrics", &g.metric);
        if g.metric != last_metric {
            let _ = write!(h, "<h2 id=\"m-{}\">{}</h2>", esc(&g.metric), esc(&metric));
            last_metric = g.metric.clone();
        }
        let place = g
            .place
            .as_deref()
            .and_then(|p| snap.get(p))
            .map(|p| label(lang, snap, p))
            .unwrap_or_else(|| t(lang, "numbers-whole-country"));
        let _ = write!(
            h,
            "<section class=\"claims\"><h3>{} — {}</h3><table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&metric),
            esc(&place),
            esc(&ta(
                lang,
                "numbers-caption",
                &[("metric", Arg::Str(&metric)), ("place", Arg::Str(&place))]
            )),
            esc(&t(lang, "numbers-col-value")),
            esc(&t(lang, "numbers-col-claimant")),
            esc(&t(lang, "numbers-col-date")),
            esc(&t(lang, "label-sources")),
        );
        let mut bars = Vec::new();
        for c in &g.claims {
            let Some(rec) = snap.get(&c.id) else { continue };
            let stated = c
                .stated_on
                .as_deref()
                .and_then(|d| d.parse::<ApproxDate>().ok())
                .map(|d| time(lang, &d))
                .unwrap_or_default();
            let mark = if c.superseded {
                format!(
                    " <span class=\"superseded\">({})</span>",
                    esc(&t(lang, "numbers-superseded"))
                )
            } else {
                String::new()
            };
            let _ = write!(
                h,
                "<tr><td>{}{mark}</td><td>{}</td><td>{stated}</td><td>{}</td></tr>",
                esc(&c.value),
                esc(c.claimant.as_deref().unwrap_or("")),
                citations(lang, snap, rec)
            );
            bars.push(svg::Bar {
                label: c
                    .claimant
                    .clone()
                    .unwrap_or_else(|| t(lang, "numbers-unattributed")),
                low: c.low,
                high: c.high,
                value_text: c.value.clone(),
                class: if c.superseded { "superseded" } else { "claim" },
            });
        }
        h.push_str("</tbody></table>");
        if let (Some(lo), hi) = (g.range_low, g.range_high)
            && hi != Some(lo)
        {
            let text = match hi {
                Some(hi) => ta(
                    lang,
                    "numbers-range",
                    &[("low", Arg::Num(lo)), ("high", Arg::Num(hi))],
                ),
                None => ta(lang, "numbers-range-open", &[("low", Arg::Num(lo))]),
            };
            let _ = write!(h, "<p class=\"range\">{}</p>", esc(&text));
        }
        if let Some(d) = g.documented {
            let reg = ta(lang, "numbers-documented", &[("count", Arg::Num(d))]);
            let _ = write!(h, "<p class=\"documented\">{}</p>", esc(&reg));
            bars.push(svg::Bar {
                label: t(lang, "numbers-register"),
                low: d,
                high: Some(d),
                value_text: d.to_string(),
                class: "register",
            });
        }
        h.push_str(&svg::bars(&format!("{metric} — {place}"), &bars));
        h.push_str("</section>");
    }
    h
}

/// The accountability figures, computed from public proceedings only.
#[derive(Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Accountability {
    pub complaints: u64,
    /// Complaints whose own history, or that of a case against officers
    /// about the same acts, reached a charge or a trial.
    pub complaints_prosecuted: u64,
    pub cases_against_victims: u64,
    pub cases_against_officers: u64,
    pub amnesties: u64,
    /// (proceeding kind, current status) → number of proceedings.
    pub outcomes: BTreeMap<String, BTreeMap<String, u64>>,
}

fn reached_prosecution(p: &Proceeding) -> bool {
    p.status_history
        .iter()
        .any(|s| PROSECUTION_STATUSES.contains(&s.status.as_str()))
}

pub fn accountability_figures(snap: &Snapshot) -> Accountability {
    let mut a = Accountability::default();
    let procs: Vec<&Proceeding> = snap
        .of_kind(Kind::Proceeding)
        .filter_map(|r| match &r.body {
            Body::Proceeding(p) => Some(p),
            _ => None,
        })
        .collect();
    let prosecuted_acts: HashSet<&String> = procs
        .iter()
        .filter(|p| {
            matches!(
                p.proceeding_kind.as_str(),
                "criminal_case_against_officers" | "pre_trial_investigation"
            ) && reached_prosecution(p)
        })
        .flat_map(|p| p.acts.iter())
        .collect();
    for p in &procs {
        match p.proceeding_kind.as_str() {
            "complaint" => {
                a.complaints += 1;
                if reached_prosecution(p) || p.acts.iter().any(|x| prosecuted_acts.contains(x)) {
                    a.complaints_prosecuted += 1;
                }
            }
            "criminal_case_against_victim" | "administrative_case" => a.cases_against_victims += 1,
            "criminal_case_against_officers" | "pre_trial_investigation" => {
                a.cases_against_officers += 1
            }
            "amnesty" => a.amnesties += 1,
            _ => {}
        }
        if let Some(s) = p.current_status() {
            *a.outcomes
                .entry(p.proceeding_kind.clone())
                .or_default()
                .entry(s.to_string())
                .or_insert(0) += 1;
        }
    }
    a
}

pub fn accountability(lang: Lang, snap: &Snapshot) -> String {
    let a = accountability_figures(snap);
    let mut h = format!("<p>{}</p>", esc(&t(lang, "acc-intro")));
    let _ = write!(
        h,
        "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        esc(&t(lang, "acc-complaints")),
        a.complaints,
        esc(&t(lang, "acc-cases-victims")),
        a.cases_against_victims,
        esc(&t(lang, "acc-cases-officers")),
        a.cases_against_officers,
        esc(&t(lang, "acc-amnesties")),
        a.amnesties
    );
    let share = ta(
        lang,
        "acc-share",
        &[
            ("prosecuted", Arg::Num(a.complaints_prosecuted)),
            ("complaints", Arg::Num(a.complaints)),
            (
                "percent",
                Arg::Num(percent(
                    a.complaints_prosecuted as usize,
                    a.complaints as usize,
                )),
            ),
        ],
    );
    let _ = write!(h, "<p class=\"share\"><strong>{}</strong></p>", esc(&share));
    let _ = write!(h, "<h2>{}</h2>", esc(&t(lang, "acc-outcomes")));
    let mut bars = Vec::new();
    for (kind, statuses) in &a.outcomes {
        for (status, count) in statuses {
            bars.push(svg::Bar {
                label: format!(
                    "{}: {}",
                    term(lang, "proceeding_kinds", kind),
                    term(lang, "proceeding_statuses", status)
                ),
                low: *count,
                high: Some(*count),
                value_text: count.to_string(),
                class: "claim",
            });
        }
    }
    if bars.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "acc-none")));
        return h;
    }
    h.push_str(&svg::bars(&t(lang, "acc-outcomes"), &bars));
    let _ = write!(
        h,
        "<h2>{}</h2><ul class=\"proceedings\">",
        esc(&t(lang, "acc-all"))
    );
    for r in snap.of_kind(Kind::Proceeding) {
        let Body::Proceeding(p) = &r.body else {
            continue;
        };
        let persons: Vec<String> = p
            .persons
            .iter()
            .filter_map(|pp| snap.get(&pp.person))
            .map(|x| link(lang, snap, x))
            .collect();
        let _ = write!(
            h,
            "<li><strong>{}</strong>: {}{}<br>{}</li>",
            esc(&term(lang, "proceeding_kinds", &p.proceeding_kind)),
            esc(&label(lang, snap, r)),
            if persons.is_empty() {
                String::new()
            } else {
                format!(" ({})", persons.join(", "))
            },
            status_chain(lang, p)
        );
    }
    h.push_str("</ul>");
    h
}

pub fn sources(lang: Lang, snap: &Snapshot) -> String {
    let mut h = format!("<p>{}</p>", esc(&t(lang, "sources-intro")));
    let list: Vec<&Record> = snap.of_kind(Kind::Source).collect();
    if list.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&t(lang, "sources-none")));
        return h;
    }
    for r in list {
        let Body::Source(s) = &r.body else { continue };
        let id = r.id.to_string();
        let _ = write!(
            h,
            "<article id=\"s-{id}\" class=\"source\"><h2>{}</h2><dl class=\"facts\"><dt>{}</dt><dd>{}</dd>",
            text(lang, &s.title),
            esc(&t(lang, "source-kind")),
            esc(&term(lang, "source_kinds", &s.source_kind))
        );
        if let Some(a) = &s.author {
            let _ = write!(
                h,
                "<dt>{}</dt><dd>{}</dd>",
                esc(&t(lang, "source-author")),
                text(lang, a)
            );
        }
        if let Some(p) = &s.published {
            let _ = write!(
                h,
                "<dt>{}</dt><dd>{}</dd>",
                esc(&t(lang, "source-published")),
                time(lang, p)
            );
        }
        if let Some(rel) = &s.reliability {
            let _ = write!(
                h,
                "<dt>{}</dt><dd>{}</dd>",
                esc(&t(lang, "source-reliability")),
                esc(&term(lang, "reliability", rel))
            );
        }
        if let Some(u) = &s.url {
            // A link the reader may follow; the page itself loads nothing.
            let _ = write!(
                h,
                "<dt>{}</dt><dd><a href=\"{u}\" rel=\"noreferrer noopener\">{u}</a></dd>",
                esc(&t(lang, "source-url")),
                u = esc(u)
            );
        }
        if let Some(p) = s.reported_in.as_deref().and_then(|x| snap.get(x)) {
            let _ = write!(
                h,
                "<dt>{}</dt><dd>{}</dd>",
                esc(&t(lang, "source-reported-in")),
                link(lang, snap, p)
            );
        }
        h.push_str("</dl>");
        let citing = snap.citing(&id);
        let _ = write!(h, "<h3>{}</h3>", esc(&t(lang, "source-supports")));
        if citing.is_empty() {
            let _ = write!(h, "<p>{}</p>", esc(&t(lang, "source-supports-nothing")));
        } else {
            h.push_str("<ul>");
            for (kind, recs) in &citing {
                let items: Vec<String> = recs.iter().map(|x| link(lang, snap, x)).collect();
                let _ = write!(
                    h,
                    "<li>{}: {}</li>",
                    esc(&t(lang, &format!("kind-{kind}"))),
                    items.join("; ")
                );
            }
            h.push_str("</ul>");
        }
        h.push_str("</article>");
    }
    h
}

/// The body of the 404 page.
pub fn not_found(lang: Lang) -> String {
    format!(
        "<p>{}</p><p><a href=\"/{}/\">{}</a></p>",
        esc(&t(lang, "not-found-text")),
        lang.code(),
        esc(&t(lang, "nav-home"))
    )
}

/// Used by the crawler tests: every page path of the public site.
pub fn all_paths(snap: &Snapshot) -> Vec<String> {
    let mut out: Vec<String> = crate::html::MENU
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    for r in snap.of_kind(Kind::Person) {
        out.push(format!("people/{}", r.id));
    }
    for r in snap.of_kind(Kind::Place) {
        out.push(format!("timeline?city={}", r.id));
    }
    if let Some(v) = qantar_model::vocab::get("act_types") {
        for term_ in &v.terms {
            out.push(format!("timeline?type={}", term_.id));
        }
    }
    out
}
