//! Turning what the user typed or wrote into record JSON: files of many
//! records (JSON or TOML) and the flags of `qantar add <kind>`.

use std::path::Path;

use anyhow::Context;
use qantar_model::Kind;
use qantar_store::InputErrors;
use serde_json::{Map, Value, json};

/// Read a file of records: a JSON array, `{"records": [...]}`, or TOML with
/// `[[records]]` tables. A single JSON object is one record.
pub fn read_records(path: &Path) -> anyhow::Result<Result<Vec<Value>, InputErrors>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let is_toml = path.extension().and_then(|e| e.to_str()) == Some("toml");
    let parsed: Result<Value, String> = if is_toml {
        // Through the model, so unquoted TOML dates stay date strings.
        qantar_model::toml_document(&text).map_err(|e| format!("not valid TOML: {e}"))
    } else {
        serde_json::from_str::<Value>(&text).map_err(|e| format!("not valid JSON: {e}"))
    };
    let value = match parsed {
        Ok(v) => v,
        Err(reason) => return Ok(Err(InputErrors::one(&path.display().to_string(), reason))),
    };
    Ok(match value {
        Value::Array(items) => Ok(items),
        Value::Object(mut o) if o.contains_key("records") => match o.remove("records") {
            Some(Value::Array(items)) => Ok(items),
            _ => Err(InputErrors::one("records", "must be a list of records")),
        },
        Value::Object(o) if o.contains_key("kind") => Ok(vec![Value::Object(o)]),
        _ => Err(InputErrors::one(
            &path.display().to_string(),
            "expected a list of records, {\"records\": [...]}, or one record with a \"kind\"",
        )),
    })
}

/// Flags shared by `add` and `amend`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct RecordFlags {
    /// A short handle to refer to the record by, e.g. `p-ermek-abdreshev`.
    #[arg(long = "ref")]
    pub r#ref: Option<String>,
    /// public, restricted (the default) or confidential.
    #[arg(long)]
    pub confidentiality: Option<String>,
    /// A source (id or ref) that supports this record. Repeat for several.
    #[arg(long = "source")]
    pub sources: Vec<String>,
    /// Person's name, place's English name.
    #[arg(long)]
    pub name: Option<String>,
    /// Title of an event, source or proceeding.
    #[arg(long)]
    pub title: Option<String>,
    /// The type: act type, source kind, place type, proceeding kind, claim type or relation.
    #[arg(long = "type")]
    pub type_term: Option<String>,
    /// Date (ApproxDate, e.g. `2022-01-05`, `early 2022-02`, `about 2022-01`).
    #[arg(long)]
    pub date: Option<String>,
    /// Place (id or ref).
    #[arg(long)]
    pub place: Option<String>,
    /// Victim of an act (person id or ref).
    #[arg(long)]
    pub victim: Option<String>,
    /// Parent place or event.
    #[arg(long)]
    pub parent: Option<String>,
    /// Person's status, or a proceeding's (first) status.
    #[arg(long)]
    pub status: Option<String>,
    /// Metric of a count claim, e.g. `killed`.
    #[arg(long)]
    pub metric: Option<String>,
    /// Value of a count claim (CountRange, e.g. `about 10,000`).
    #[arg(long)]
    pub value: Option<String>,
    /// Relationship: the person who is the relation.
    #[arg(long)]
    pub from: Option<String>,
    /// Relationship: the person they are related to.
    #[arg(long)]
    pub to: Option<String>,
    /// Free description (acts, events).
    #[arg(long)]
    pub description: Option<String>,
    /// Any other field, as FIELD=VALUE; VALUE is read as JSON when it parses, else as text.
    /// Repeat for several, e.g. `--set age=37 --set 'means=["rubber_bullet"]'`.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
}

fn type_field(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Act => "act_type",
        Kind::Source => "source_kind",
        Kind::Place => "place_type",
        Kind::Proceeding => "proceeding_kind",
        Kind::Claim => "claim_type",
        Kind::Relationship => "relation",
        Kind::LinkDecision => "verdict",
        Kind::Consent => "audience",
        Kind::Person | Kind::Event | Kind::ListEntry => return None,
    })
}

impl RecordFlags {
    /// The JSON object these flags describe for a record of `kind`. For
    /// `add`, `kind` is set; for `amend` the result is a merge patch.
    pub fn to_json(&self, kind: Kind, with_kind: bool) -> Result<Map<String, Value>, InputErrors> {
        let mut o = Map::new();
        if with_kind {
            o.insert("kind".into(), json!(kind.as_str()));
        }
        let mut put = |k: &str, v: Value| {
            o.insert(k.to_string(), v);
        };
        let misplaced =
            |flag: &str| InputErrors::one(flag, format!("a {} has no such field", kind.as_str()));
        if let Some(v) = &self.r#ref {
            put("ref", json!(v));
        }
        if let Some(v) = &self.confidentiality {
            put("confidentiality", json!(v));
        }
        if !self.sources.is_empty() {
            put("sources", json!(self.sources));
        }
        if let Some(v) = &self.name {
            match kind {
                Kind::Person => put("names", json!([{ "value": v }])),
                Kind::Place => put("name", json!({ "en": v })),
                _ => return Err(misplaced("--name")),
            }
        }
        if let Some(v) = &self.title {
            put("title", json!(v));
        }
        if let Some(v) = &self.type_term {
            put(
                type_field(kind).ok_or_else(|| misplaced("--type"))?,
                json!(v),
            );
        }
        // A proceeding's date belongs to its status step (below).
        if let Some(v) = &self.date
            && kind != Kind::Proceeding
        {
            put("date", json!(v));
        }
        for (field, value) in [
            ("place", &self.place),
            ("victim", &self.victim),
            ("parent", &self.parent),
            ("metric", &self.metric),
            ("value", &self.value),
            ("from", &self.from),
            ("to", &self.to),
            ("description", &self.description),
        ] {
            if let Some(v) = value {
                put(field, json!(v));
            }
        }
        if let Some(v) = &self.status {
            match kind {
                Kind::Proceeding => {
                    let mut step = json!({ "status": v });
                    if let Some(d) = &self.date {
                        step["date"] = json!(d);
                    }
                    put("status_history", json!([step]));
                }
                _ => put("status", json!(v)),
            }
        }
        for s in &self.set {
            let (k, v) = s
                .split_once('=')
                .ok_or_else(|| InputErrors::one("--set", format!("{s:?} is not FIELD=VALUE")))?;
            let k = k.trim();
            if k.is_empty() {
                return Err(InputErrors::one("--set", format!("{s:?} names no field")));
            }
            let v = serde_json::from_str::<Value>(v).unwrap_or_else(|_| json!(v));
            put(k, v);
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_map_to_the_kinds_fields() {
        let flags = RecordFlags {
            name: Some("Ermek Abdreshev".into()),
            sources: vec!["s1".into()],
            set: vec!["age=37".into(), "occupation=mechanic".into()],
            ..Default::default()
        };
        let o = flags.to_json(Kind::Person, true).unwrap();
        assert_eq!(o["kind"], "person");
        assert_eq!(o["names"][0]["value"], "Ermek Abdreshev");
        assert_eq!(o["age"], 37);
        assert_eq!(o["occupation"], "mechanic");
        let err = flags.to_json(Kind::Act, true).unwrap_err();
        assert_eq!(err.0[0].field, "--name");
    }

    #[test]
    fn a_proceeding_status_becomes_its_first_history_step() {
        let flags = RecordFlags {
            status: Some("filed".into()),
            date: Some("2022-02".into()),
            type_term: Some("complaint".into()),
            ..Default::default()
        };
        let o = flags.to_json(Kind::Proceeding, true).unwrap();
        assert_eq!(
            o["status_history"],
            json!([{ "status": "filed", "date": "2022-02" }])
        );
        assert_eq!(o["proceeding_kind"], "complaint");
    }
}
