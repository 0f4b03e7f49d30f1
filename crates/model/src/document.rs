//! Files of records, as `qantar add --file` and the `check` example read
//! them: a JSON array, a JSON object `{"records": [...]}`, or a TOML file
//! with `[[records]]` tables. Reading the file is the caller's business;
//! this module only interprets its text.

use serde_json::{Map, Value};

/// The records of a JSON document: the array itself, or the array under
/// `"records"` in an object that has no other key.
pub fn document_records(doc: &Value) -> Option<&[Value]> {
    match doc {
        Value::Array(items) => Some(items),
        Value::Object(map) if map.len() == 1 => map.get("records")?.as_array().map(Vec::as_slice),
        _ => None,
    }
}

/// Why a TOML document could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TomlDocumentError {
    #[error("not valid TOML: {0}")]
    Syntax(String),
    #[error("{0}: the number {1} cannot be represented in JSON")]
    BadFloat(String, f64),
}

/// Converts a TOML document to the JSON value records are read from, so
/// both file formats go through the same validation.
///
/// TOML has native dates, so `date = 2022-01-05` (unquoted) is read as the
/// string `"2022-01-05"`; a TOML time or date-time becomes its text and is
/// then refused as a date by the record check, which names the field.
pub fn toml_document(text: &str) -> Result<Value, TomlDocumentError> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| TomlDocumentError::Syntax(e.to_string()))?;
    table_to_json(&table, "")
}

fn table_to_json(table: &toml::Table, path: &str) -> Result<Value, TomlDocumentError> {
    let mut map = Map::new();
    for (k, v) in table {
        let child = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        map.insert(k.clone(), to_json(v, &child)?);
    }
    Ok(Value::Object(map))
}

fn to_json(v: &toml::Value, path: &str) -> Result<Value, TomlDocumentError> {
    Ok(match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(x) => serde_json::Number::from_f64(*x)
            .map(Value::Number)
            .ok_or_else(|| TomlDocumentError::BadFloat(path.to_owned(), *x))?,
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| to_json(x, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => table_to_json(t, path)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_json_shapes_are_accepted() {
        let list = json!([{"kind": "place"}]);
        assert_eq!(document_records(&list).map(<[Value]>::len), Some(1));
        let wrapped = json!({"records": [{"kind": "place"}, {"kind": "event"}]});
        assert_eq!(document_records(&wrapped).map(<[Value]>::len), Some(2));
        assert_eq!(document_records(&json!({"records": [], "x": 1})), None);
        assert_eq!(document_records(&json!({"kind": "place"})), None);
    }

    #[test]
    fn toml_records_become_json_with_dates_as_text() {
        let doc = toml_document(
            r#"
            [[records]]
            kind = "event"
            title = { en = "Shooting at the city hall" }
            date = 2022-01-05
            lat = 42.3
            sources = ["s1"]
            "#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let records = document_records(&doc).unwrap_or_default();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["date"], json!("2022-01-05"));
        assert_eq!(
            records[0]["title"],
            json!({"en": "Shooting at the city hall"})
        );
        assert_eq!(records[0]["lat"], json!(42.3));
        assert!(matches!(
            toml_document("kind = "),
            Err(TomlDocumentError::Syntax(_))
        ));
    }
}
