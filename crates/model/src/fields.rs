//! Reading JSON objects field by field while collecting every error.
//!
//! The record parser never stops at the first problem: each field is read
//! through a [`Conv`] that either yields a value or records a [`FieldError`]
//! with the field's full path, and the caller assembles the record only if
//! the error list stays empty.

use serde_json::{Map, Value};

use crate::count::CountRange;
use crate::date::ApproxDate;
use crate::error::FieldError;
use crate::kind::Kind;
use crate::text::LangText;
use crate::vocab::Vocabulary;

/// Longest quoted input in a message; longer values are cut so one bad
/// paragraph does not drown the report.
const QUOTE_MAX: usize = 60;

pub(crate) fn quote(s: &str) -> String {
    if s.chars().count() <= QUOTE_MAX {
        format!("\"{s}\"")
    } else {
        let cut: String = s.chars().take(QUOTE_MAX).collect();
        format!("\"{cut}…\"")
    }
}

/// How a value that has the wrong type is named in "got …".
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => quote(s),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// A conversion from one JSON value to a field value.
pub(crate) trait Conv {
    type Out;
    /// What the field accepts, for "required" and wrong-type messages.
    fn expects(&self) -> String;
    fn conv(&self, v: &Value) -> Result<Self::Out, String>;
}

fn wrong(expects: String, v: &Value) -> String {
    format!("expected {expects}, got {}", describe(v))
}

/// A non-blank string.
pub(crate) struct Str;
impl Conv for Str {
    type Out = String;
    fn expects(&self) -> String {
        "a non-empty string".to_owned()
    }
    fn conv(&self, v: &Value) -> Result<String, String> {
        match v {
            Value::String(s) if s.trim().is_empty() => {
                Err("is empty; write a value or leave the field out".to_owned())
            }
            Value::String(s) => Ok(s.clone()),
            _ => Err(wrong(self.expects(), v)),
        }
    }
}

/// A string with no whitespace, e.g. a URL.
pub(crate) struct Url;
impl Conv for Url {
    type Out = String;
    fn expects(&self) -> String {
        "a URL such as \"https://example.org/page\"".to_owned()
    }
    fn conv(&self, v: &Value) -> Result<String, String> {
        let s = Str.conv(v).map_err(|_| wrong(self.expects(), v))?;
        if s.chars().any(char::is_whitespace) || !s.contains(':') {
            return Err(format!(
                "{} is not a URL; expected {}",
                quote(&s),
                self.expects()
            ));
        }
        Ok(s)
    }
}

/// A BCP 47 language tag, checked for shape only: a 2–3 letter language
/// and optional subtags of 1–8 letters or digits.
pub(crate) struct LanguageTag;
impl Conv for LanguageTag {
    type Out = String;
    fn expects(&self) -> String {
        "a BCP 47 language tag such as \"en\", \"ru\", \"kk\" or \"kk-Latn\"".to_owned()
    }
    fn conv(&self, v: &Value) -> Result<String, String> {
        let Value::String(s) = v else {
            return Err(wrong(self.expects(), v));
        };
        let mut parts = s.split('-');
        let lang_ok = parts.next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
        });
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if lang_ok && rest_ok {
            Ok(s.clone())
        } else {
            Err(format!(
                "{} is not a language tag; expected {}",
                quote(s),
                self.expects()
            ))
        }
    }
}

/// One of a fixed set of strings that is not a vocabulary (name languages
/// and scripts).
pub(crate) struct OneOf(pub &'static [&'static str]);
impl Conv for OneOf {
    type Out = String;
    fn expects(&self) -> String {
        format!("one of: {}", self.0.join(", "))
    }
    fn conv(&self, v: &Value) -> Result<String, String> {
        match v {
            Value::String(s) if self.0.contains(&s.as_str()) => Ok(s.clone()),
            Value::String(s) => Err(format!(
                "unknown value {}; expected {}",
                quote(s),
                self.expects()
            )),
            _ => Err(wrong(self.expects(), v)),
        }
    }
}

pub(crate) struct Text;
impl Conv for Text {
    type Out = LangText;
    fn expects(&self) -> String {
        "text: a string, or an object with any of \"en\", \"ru\", \"kk\"".to_owned()
    }
    fn conv(&self, v: &Value) -> Result<LangText, String> {
        LangText::from_json(v).map_err(|e| e.to_string())
    }
}

pub(crate) struct Date;
impl Conv for Date {
    type Out = ApproxDate;
    fn expects(&self) -> String {
        "a date such as \"2022-01-05\", \"2022-01\", \"early 2022-02\" or \"2022-01-08/..\""
            .to_owned()
    }
    fn conv(&self, v: &Value) -> Result<ApproxDate, String> {
        match v {
            Value::String(s) => s.parse().map_err(|e: crate::date::DateError| e.to_string()),
            Value::Number(n) => Err(format!(
                "expected a date as a string; write \"{n}\" in quotes"
            )),
            _ => Err(wrong(self.expects(), v)),
        }
    }
}

/// One exact day, `YYYY-MM-DD`: consent is given and withdrawn on a day,
/// and which consent governs is decided by comparing them.
pub(crate) struct Day;
impl Conv for Day {
    type Out = crate::date::CivilDate;
    fn expects(&self) -> String {
        "a day as \"YYYY-MM-DD\", e.g. \"2024-03-15\"".to_owned()
    }
    fn conv(&self, v: &Value) -> Result<crate::date::CivilDate, String> {
        match v {
            Value::String(s) => s.parse().map_err(|e: crate::date::DateError| e.to_string()),
            _ => Err(wrong(self.expects(), v)),
        }
    }
}

pub(crate) struct Count;
impl Conv for Count {
    type Out = CountRange;
    fn expects(&self) -> String {
        "a count as a string, such as \"238\", \"more than 4,500\" or \"15–18\"".to_owned()
    }
    fn conv(&self, v: &Value) -> Result<CountRange, String> {
        match v {
            Value::String(s) => s
                .parse()
                .map_err(|e: crate::count::CountError| e.to_string()),
            Value::Number(n) => Err(format!(
                "expected a count as a string; write \"{n}\" in quotes (counts may also be \"about {n}\", \"more than {n}\", …)"
            )),
            _ => Err(wrong(self.expects(), v)),
        }
    }
}

pub(crate) struct Term(pub &'static Vocabulary);
impl Conv for Term {
    type Out = String;
    fn expects(&self) -> String {
        format!("one of: {}", self.0.id_list())
    }
    fn conv(&self, v: &Value) -> Result<String, String> {
        match v {
            Value::String(s) if self.0.contains(s) => Ok(s.clone()),
            Value::String(s) => Err(format!(
                "unknown term {}; expected {}",
                quote(s),
                self.expects()
            )),
            _ => Err(wrong(self.expects(), v)),
        }
    }
}

pub(crate) struct Bool;
impl Conv for Bool {
    type Out = bool;
    fn expects(&self) -> String {
        "true or false".to_owned()
    }
    fn conv(&self, v: &Value) -> Result<bool, String> {
        v.as_bool().ok_or_else(|| wrong(self.expects(), v))
    }
}

/// A whole number within an inclusive range.
pub(crate) struct Int(pub u64, pub u64);
impl Conv for Int {
    type Out = u64;
    fn expects(&self) -> String {
        format!("a whole number from {} to {}", self.0, self.1)
    }
    fn conv(&self, v: &Value) -> Result<u64, String> {
        match v.as_u64() {
            Some(n) if (self.0..=self.1).contains(&n) => Ok(n),
            _ => Err(wrong(self.expects(), v)),
        }
    }
}

/// A coordinate in degrees within ±`0`, with at most six decimals (about
/// 10 cm), which is more precision than any source gives.
pub(crate) struct Degrees(pub f64);
impl Conv for Degrees {
    type Out = f64;
    fn expects(&self) -> String {
        format!(
            "a number of degrees from -{0} to {0} with at most 6 decimals",
            self.0
        )
    }
    fn conv(&self, v: &Value) -> Result<f64, String> {
        let Some(x) = v.as_f64().filter(|_| v.is_number()) else {
            return Err(wrong(self.expects(), v));
        };
        if !(-self.0..=self.0).contains(&x) {
            return Err(wrong(self.expects(), v));
        }
        // x has at most 6 decimals exactly when it is the double nearest to
        // some multiple of 1e-6, which this reconstruction tests.
        if (x * 1e6).round() / 1e6 != x {
            return Err(format!(
                "{} has more than 6 decimals; round it to 6",
                describe(v)
            ));
        }
        Ok(x)
    }
}

/// Whether `s` has the syntax of a `ref`: `[a-z0-9][a-z0-9._-]{0,63}`, and
/// does not look like a UUID (which would make references ambiguous).
pub fn is_valid_ref(s: &str) -> bool {
    let mut bytes = s.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    first_ok
        && s.len() <= 64
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
        && parse_uuid(s).is_none()
}

/// A UUID in its hyphenated 36-character form (either case).
pub(crate) fn parse_uuid(s: &str) -> Option<uuid::Uuid> {
    if s.len() != 36 {
        return None;
    }
    uuid::Uuid::try_parse(s).ok()
}

const REF_RULE: &str =
    "a ref is 1–64 characters of a-z, 0-9, \".\", \"_\", \"-\", starting with a letter or digit";

/// The record's own `ref`.
pub(crate) struct RefName;
impl Conv for RefName {
    type Out = String;
    fn expects(&self) -> String {
        format!("a short handle such as \"p-ermek-abdreshev\"; {REF_RULE}")
    }
    fn conv(&self, v: &Value) -> Result<String, String> {
        let Value::String(s) = v else {
            return Err(wrong(self.expects(), v));
        };
        if parse_uuid(s).is_some() {
            return Err(format!(
                "{} looks like a UUID; a ref must not, or references to it would be ambiguous (put a UUID in \"id\")",
                quote(s)
            ));
        }
        if !is_valid_ref(s) {
            return Err(format!("{} is not a valid ref; {REF_RULE}", quote(s)));
        }
        Ok(s.clone())
    }
}

/// The record's own `id`.
pub(crate) struct Id;
impl Conv for Id {
    type Out = uuid::Uuid;
    fn expects(&self) -> String {
        "a UUID such as \"0194f3b2-7c1e-7a00-8000-000000000000\" (or leave \"id\" out to have one minted)".to_owned()
    }
    fn conv(&self, v: &Value) -> Result<uuid::Uuid, String> {
        let Value::String(s) = v else {
            return Err(wrong(self.expects(), v));
        };
        match parse_uuid(s) {
            Some(u) if u.is_nil() => Err(
                "the nil UUID cannot identify a record; leave \"id\" out to have one minted"
                    .to_owned(),
            ),
            Some(u) => Ok(u),
            None => Err(format!(
                "{} is not a UUID; expected {}",
                quote(s),
                self.expects()
            )),
        }
    }
}

/// A reference to another record: its `ref` or its UUID, as written.
pub(crate) struct Target(pub Option<Kind>);
impl Conv for Target {
    type Out = String;
    fn expects(&self) -> String {
        match self.0 {
            Some(k) => format!(
                "a reference to {} (its ref, e.g. \"almaty\", or its UUID)",
                k.with_article()
            ),
            None => "a reference to a record (its ref, e.g. \"almaty\", or its UUID)".to_owned(),
        }
    }
    fn conv(&self, v: &Value) -> Result<String, String> {
        let Value::String(s) = v else {
            return Err(wrong(self.expects(), v));
        };
        if parse_uuid(s).is_some() || is_valid_ref(s) {
            Ok(s.clone())
        } else {
            Err(format!(
                "{} is neither a UUID nor a ref; expected {}; {REF_RULE}",
                quote(s),
                self.expects()
            ))
        }
    }
}

/// One JSON object being read, with the path prefix of its fields.
pub(crate) struct Fields<'a, 'e> {
    map: &'a Map<String, Value>,
    prefix: String,
    /// The object in words, for "required for …" messages: "an act",
    /// "each perpetrator".
    what: String,
    errors: &'e mut Vec<FieldError>,
}

impl<'a, 'e> Fields<'a, 'e> {
    pub(crate) fn new(
        map: &'a Map<String, Value>,
        prefix: String,
        what: impl Into<String>,
        errors: &'e mut Vec<FieldError>,
    ) -> Fields<'a, 'e> {
        Fields {
            map,
            prefix,
            what: what.into(),
            errors,
        }
    }

    pub(crate) fn path(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    pub(crate) fn error(&mut self, key: &str, reason: impl Into<String>) {
        let field = self.path(key);
        self.error_at(field, reason);
    }

    pub(crate) fn error_at(&mut self, field: String, reason: impl Into<String>) {
        self.errors.push(FieldError::new(field, reason));
    }

    /// Whether a problem was already reported for `key` or anything in it,
    /// so follow-up rules ("required when …") do not pile onto it.
    pub(crate) fn has_error(&self, key: &str) -> bool {
        let path = self.path(key);
        self.errors.iter().any(|e| {
            e.field == path
                || e.field
                    .strip_prefix(&path)
                    .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
        })
    }

    /// The value of `key`; an explicit `null` counts as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn present(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Refuses every key not in `allowed`.
    pub(crate) fn allow_only(&mut self, allowed: &[&str]) {
        let unknown: Vec<String> = self
            .map
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in unknown {
            let reason = format!(
                "unknown field: {} has no field \"{key}\"; its fields are: {}",
                self.what,
                allowed.join(", ")
            );
            self.error(&key, reason);
        }
    }

    fn missing(&mut self, key: &str, expects: String) {
        let reason = format!("required for {}; expected {expects}", self.what);
        self.error(key, reason);
    }

    pub(crate) fn opt<C: Conv>(&mut self, key: &str, conv: C) -> Option<C::Out> {
        let v = self.get(key)?;
        match conv.conv(v) {
            Ok(out) => Some(out),
            Err(reason) => {
                self.error(key, reason);
                None
            }
        }
    }

    pub(crate) fn req<C: Conv>(&mut self, key: &str, conv: C) -> Option<C::Out> {
        if !self.present(key) {
            self.missing(key, conv.expects());
            return None;
        }
        self.opt(key, conv)
    }

    /// The items of a list field with their paths (`key[i]`). Reports a
    /// non-list, and an absent or empty list when `required`.
    pub(crate) fn items(
        &mut self,
        key: &str,
        required: bool,
        item: &str,
    ) -> Vec<(String, &'a Value)> {
        let Some(v) = self.get(key) else {
            if required {
                self.missing(key, format!("a list of {item} with at least one entry"));
            }
            return Vec::new();
        };
        let Value::Array(items) = v else {
            self.error(
                key,
                format!("expected a list of {item}, got {}", describe(v)),
            );
            return Vec::new();
        };
        if required && items.is_empty() {
            let reason = format!("{} needs at least one entry here", self.what);
            self.error(key, reason);
        }
        items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{}[{i}]", self.path(key)), v))
            .collect()
    }

    /// A list of scalar values, each converted by `conv`. Duplicates are
    /// refused: a repeated term or reference is always a slip.
    pub(crate) fn list<C: Conv>(&mut self, key: &str, required: bool, conv: C) -> Vec<C::Out>
    where
        C::Out: PartialEq,
    {
        let mut out: Vec<C::Out> = Vec::new();
        for (path, v) in self.items(key, required, &conv.expects()) {
            match conv.conv(v) {
                Ok(x) if out.contains(&x) => {
                    self.error_at(path, format!("{} is listed twice; remove one", describe(v)));
                }
                Ok(x) => out.push(x),
                Err(reason) => self.error_at(path, reason),
            }
        }
        out
    }

    /// A list of objects, each read by `read` with its own `Fields`.
    pub(crate) fn objects<T>(
        &mut self,
        key: &str,
        required: bool,
        item_what: &str,
        mut read: impl FnMut(&mut Fields<'a, '_>) -> Option<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for (path, v) in self.items(key, required, &format!("objects ({item_what})")) {
            let Value::Object(map) = v else {
                self.error_at(
                    path,
                    format!("expected an object ({item_what}), got {}", describe(v)),
                );
                continue;
            };
            let mut nested = Fields::new(map, format!("{path}."), item_what, self.errors);
            if let Some(x) = read(&mut nested) {
                out.push(x);
            }
        }
        out
    }

    /// A nested reader for one object found at `path`, e.g. a citation
    /// written as an object inside `sources`.
    pub(crate) fn nested<'n>(
        &'n mut self,
        map: &'a Map<String, Value>,
        path: &str,
        what: &str,
    ) -> Fields<'a, 'n> {
        Fields::new(map, format!("{path}."), what, self.errors)
    }
}
