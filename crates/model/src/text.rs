//! Text in the archive's three languages.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The languages the archive's content fields may carry, in fallback order.
pub const LANGS: [&str; 3] = ["en", "ru", "kk"];

/// A text field: either one string whose language nobody recorded, or
/// per-language values for English, Russian and Kazakh.
///
/// Never empty: every constructor refuses a text with no non-blank value, so
/// [`best`](LangText::best) always has something to show.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LangText {
    plain: Option<String>,
    en: Option<String>,
    ru: Option<String>,
    kk: Option<String>,
}

/// Why a text value was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("text is empty; write the text, or leave the field out")]
    Empty,
    #[error(
        "unknown language key \"{0}\"; a text object may only have the keys \"en\", \"ru\" and \"kk\""
    )]
    UnknownLanguage(String),
    #[error("the \"{0}\" value must be a string")]
    NotAString(String),
    #[error("the \"{0}\" value is empty; write the text or leave the key out")]
    EmptyLang(String),
    #[error(
        "expected text: a string, or an object such as {{\"en\": \"…\", \"ru\": \"…\", \"kk\": \"…\"}}"
    )]
    WrongType,
}

fn non_blank(s: &str) -> bool {
    !s.trim().is_empty()
}

impl LangText {
    /// A text in an unrecorded language.
    pub fn plain(text: impl Into<String>) -> Result<LangText, TextError> {
        let text = text.into();
        if !non_blank(&text) {
            return Err(TextError::Empty);
        }
        Ok(LangText {
            plain: Some(text),
            en: None,
            ru: None,
            kk: None,
        })
    }

    /// A text with one value per known language; at least one must be given.
    pub fn from_langs(
        en: Option<String>,
        ru: Option<String>,
        kk: Option<String>,
    ) -> Result<LangText, TextError> {
        let keep = |v: Option<String>| -> Result<Option<String>, TextError> {
            match v {
                Some(s) if !non_blank(&s) => Err(TextError::Empty),
                other => Ok(other),
            }
        };
        let text = LangText {
            plain: None,
            en: keep(en)?,
            ru: keep(ru)?,
            kk: keep(kk)?,
        };
        if text.en.is_none() && text.ru.is_none() && text.kk.is_none() {
            return Err(TextError::Empty);
        }
        Ok(text)
    }

    /// An English text, for values the code itself supplies.
    pub fn en(text: impl Into<String>) -> Result<LangText, TextError> {
        LangText::from_langs(Some(text.into()), None, None)
    }

    /// The value in `lang` (`"en"`, `"ru"` or `"kk"`), if one was given.
    /// A plain text has no language, so this is `None` for it.
    pub fn get(&self, lang: &str) -> Option<&str> {
        match lang {
            "en" => self.en.as_deref(),
            "ru" => self.ru.as_deref(),
            "kk" => self.kk.as_deref(),
            _ => None,
        }
    }

    /// The text of unrecorded language, if that is what this is.
    pub fn as_plain(&self) -> Option<&str> {
        self.plain.as_deref()
    }

    /// Whether the text is a plain string rather than per-language values.
    pub fn is_plain(&self) -> bool {
        self.plain.is_some()
    }

    /// The value to show a reader of `lang`: that language if present, then
    /// English, Russian, Kazakh, then the plain text.
    pub fn best(&self, lang: &str) -> &str {
        self.get(lang)
            .or(self.en.as_deref())
            .or(self.ru.as_deref())
            .or(self.kk.as_deref())
            .or(self.plain.as_deref())
            .unwrap_or_default()
    }

    /// Every value with its language (`None` for plain text), for indexing
    /// and search.
    pub fn values(&self) -> Vec<(Option<&'static str>, &str)> {
        let mut out = Vec::new();
        if let Some(p) = &self.plain {
            out.push((None, p.as_str()));
        }
        for lang in LANGS {
            if let Some(v) = self.get(lang) {
                out.push((Some(lang), v));
            }
        }
        out
    }

    /// Reads the JSON shape of `docs/record-format.md`: a string, or an
    /// object with any of `en`, `ru`, `kk`.
    pub fn from_json(value: &Value) -> Result<LangText, TextError> {
        match value {
            Value::String(s) => LangText::plain(s.clone()),
            Value::Object(map) => {
                let mut langs: [Option<String>; 3] = [None, None, None];
                for (key, v) in map {
                    let Some(i) = LANGS.iter().position(|l| l == key) else {
                        return Err(TextError::UnknownLanguage(key.clone()));
                    };
                    match v {
                        Value::String(s) if !non_blank(s) => {
                            return Err(TextError::EmptyLang(key.clone()));
                        }
                        Value::String(s) => langs[i] = Some(s.clone()),
                        Value::Null => {}
                        _ => return Err(TextError::NotAString(key.clone())),
                    }
                }
                let [en, ru, kk] = langs;
                LangText::from_langs(en, ru, kk)
            }
            _ => Err(TextError::WrongType),
        }
    }

    pub fn to_json(&self) -> Value {
        if let Some(p) = &self.plain {
            return Value::String(p.clone());
        }
        let mut map = Map::new();
        for lang in LANGS {
            if let Some(v) = self.get(lang) {
                map.insert(lang.to_owned(), Value::String(v.to_owned()));
            }
        }
        Value::Object(map)
    }

    /// The same text as per-language values, treating a plain text as
    /// English. Place names are stored this way.
    pub(crate) fn plain_as_english(self) -> LangText {
        match self.plain {
            Some(p) => LangText {
                plain: None,
                en: Some(p),
                ru: None,
                kk: None,
            },
            None => self,
        }
    }
}

impl fmt::Display for LangText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.best("en"))
    }
}

impl Serialize for LangText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> Deserialize<'de> for LangText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LangText, D::Error> {
        let v = Value::deserialize(d)?;
        LangText::from_json(&v).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(v: Value) -> LangText {
        LangText::from_json(&v).unwrap_or_else(|e| panic!("{v}: {e}"))
    }

    #[test]
    fn best_follows_the_fallback_order() {
        let all = t(json!({"en": "Almaty", "ru": "Алматы", "kk": "Алматы қаласы"}));
        assert_eq!(all.best("kk"), "Алматы қаласы");
        assert_eq!(all.best("ru"), "Алматы");
        assert_eq!(all.best("de"), "Almaty");
        let ru_kk = t(json!({"kk": "Тараз қ.", "ru": "Тараз"}));
        assert_eq!(ru_kk.best("en"), "Тараз");
        let kk = t(json!({"kk": "Тараз"}));
        assert_eq!(kk.best("ru"), "Тараз");
        let plain = t(json!("mechanic"));
        assert_eq!(plain.best("kk"), "mechanic");
        assert_eq!(plain.get("en"), None);
        assert_eq!(plain.as_plain(), Some("mechanic"));
    }

    #[test]
    fn json_round_trips() {
        for v in [
            json!("x"),
            json!({"en": "a", "kk": "ә"}),
            json!({"ru": "б"}),
        ] {
            assert_eq!(t(v.clone()).to_json(), v);
        }
    }

    #[test]
    fn empty_and_malformed_texts_are_refused() {
        assert_eq!(LangText::from_json(&json!("")), Err(TextError::Empty));
        assert_eq!(LangText::from_json(&json!("  ")), Err(TextError::Empty));
        assert_eq!(LangText::from_json(&json!({})), Err(TextError::Empty));
        assert_eq!(
            LangText::from_json(&json!({"en": "", "ru": "б"})),
            Err(TextError::EmptyLang("en".into()))
        );
        assert_eq!(
            LangText::from_json(&json!({"de": "x"})),
            Err(TextError::UnknownLanguage("de".into()))
        );
        assert_eq!(
            LangText::from_json(&json!({"en": 5})),
            Err(TextError::NotAString("en".into()))
        );
        assert_eq!(LangText::from_json(&json!(5)), Err(TextError::WrongType));
    }
}
