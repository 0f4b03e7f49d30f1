//! Which columns of a list feed which record field: `--map` arguments or a
//! mapping file, checked against the fields the caller accepts, then bound
//! to the columns of one file.

use std::path::Path;

use crate::{MappingError, Row};

/// Joins the columns of one field as words of one value.
pub const JOIN_WORDS: &str = " ";
/// Joins the columns of one field as levels of a place hierarchy.
pub const JOIN_HIERARCHY: &str = " > ";

/// Field names that are always accepted: free text kept under a name.
const TEXT_PREFIX: &str = "text:";

/// A column mapping, before it meets a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub fields: Vec<FieldMap>,
}

/// One field and the columns whose values make it up, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    pub field: String,
    pub columns: Vec<String>,
    /// [`JOIN_WORDS`] or [`JOIN_HIERARCHY`].
    pub joiner: &'static str,
}

/// A mapping resolved against one file's headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundMapping {
    fields: Vec<BoundField>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct BoundField {
    field: String,
    columns: Vec<usize>,
    joiner: &'static str,
}

impl Mapping {
    /// Parses `--map` arguments: `given=Имя,surname=Фамилия,address=street_number+address_1,place=region>city`.
    /// Items are comma-separated and several arguments may be given. `+`
    /// joins columns with a space, `>` with " > " (a place hierarchy).
    /// `allowed` lists the field names the caller accepts; any
    /// `text:<name>` is accepted too. Column names therefore cannot contain
    /// `,`, `+` or `>` here; a mapping file can name such columns.
    pub fn parse(items: &[String], allowed: &[&str]) -> Result<Mapping, MappingError> {
        let mut mapping = Mapping::default();
        for item in items.iter().flat_map(|arg| arg.split(',')) {
            if item.trim().is_empty() {
                continue;
            }
            let syntax = |reason: &str| MappingError::Syntax {
                item: item.trim().to_string(),
                reason: reason.to_string(),
            };
            let (field, spec) = item
                .split_once('=')
                .ok_or_else(|| syntax("there is no \"=\""))?;
            let (columns, joiner) = parse_spec(spec).map_err(|reason| syntax(&reason))?;
            mapping.push(field.trim(), columns, joiner, allowed)?;
        }
        Ok(mapping)
    }

    /// Reads a mapping file: TOML (`[map]` then `given = "Имя"`,
    /// `address = ["street", "line1"]`) or JSON (`{"given": "Имя",
    /// "address": ["a", "b"]}`, optionally inside `{"map": …}`). A string
    /// value uses the `--map` syntax (`region>city`, `street+house`); a list
    /// names columns literally and joins them with a space.
    pub fn from_file(path: &Path, allowed: &[&str]) -> Result<Mapping, MappingError> {
        let file_error = |reason: String| MappingError::File {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
        let is_json = match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => true,
            Some(ext) if ext.eq_ignore_ascii_case("toml") => false,
            _ => text.trim_start().starts_with('{'),
        };
        let entries = if is_json {
            json_entries(&text)
        } else {
            toml_entries(&text)
        }
        .map_err(file_error)?;
        let mut mapping = Mapping::default();
        for (field, value) in entries {
            let (columns, joiner) = match value {
                Spec::Text(spec) => parse_spec(&spec).map_err(|reason| MappingError::Syntax {
                    item: format!("{field} = \"{spec}\""),
                    reason,
                })?,
                Spec::List(columns) => {
                    let columns: Vec<String> =
                        columns.iter().map(|c| c.trim().to_string()).collect();
                    if columns.is_empty() || columns.iter().any(String::is_empty) {
                        return Err(MappingError::Syntax {
                            item: field,
                            reason: "the list of columns is empty or has an empty name".into(),
                        });
                    }
                    (columns, JOIN_WORDS)
                }
            };
            mapping.push(field.trim(), columns, joiner, allowed)?;
        }
        Ok(mapping)
    }

    /// Resolves the column names against a file's headers: an exact match
    /// first, then one ignoring case and outer spaces.
    pub fn bind(&self, headers: &[String]) -> Result<BoundMapping, MappingError> {
        let mut fields = Vec::with_capacity(self.fields.len());
        for map in &self.fields {
            let mut columns = Vec::with_capacity(map.columns.len());
            for column in &map.columns {
                columns.push(find_column(headers, &map.field, column)?);
            }
            fields.push(BoundField {
                field: map.field.clone(),
                columns,
                joiner: map.joiner,
            });
        }
        Ok(BoundMapping { fields })
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    fn push(
        &mut self,
        field: &str,
        columns: Vec<String>,
        joiner: &'static str,
        allowed: &[&str],
    ) -> Result<(), MappingError> {
        let is_text = field
            .strip_prefix(TEXT_PREFIX)
            .is_some_and(|name| !name.trim().is_empty());
        if !is_text && !allowed.contains(&field) {
            return Err(MappingError::UnknownField {
                field: field.to_string(),
                allowed: allowed.iter().map(|s| s.to_string()).collect(),
            });
        }
        if self.fields.iter().any(|f| f.field == field) {
            return Err(MappingError::DuplicateField {
                field: field.to_string(),
            });
        }
        self.fields.push(FieldMap {
            field: field.to_string(),
            columns,
            joiner,
        });
        Ok(())
    }
}

impl BoundMapping {
    /// Each field with its value in `row`: the trimmed values of its
    /// columns, empty ones skipped, joined. A field whose columns are all
    /// empty is given as "".
    pub fn apply<'a>(&self, row: &'a Row) -> Vec<(&str, String)> {
        self.fields
            .iter()
            .map(|f| {
                let parts: Vec<&'a str> = f
                    .columns
                    .iter()
                    .filter_map(|&i| row.values.get(i))
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .collect();
                (f.field.as_str(), parts.join(f.joiner))
            })
            .collect()
    }

    /// The indices of every column some field reads, ascending, each once.
    pub fn columns_used(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self
            .fields
            .iter()
            .flat_map(|f| f.columns.iter().copied())
            .collect();
        used.sort_unstable();
        used.dedup();
        used
    }

    /// The field names in mapping order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.field.as_str())
    }
}

/// A column spec in the `--map` syntax: `a`, `a+b+c` or `a>b>c`.
fn parse_spec(spec: &str) -> Result<(Vec<String>, &'static str), String> {
    let spec = spec.trim();
    let has_plus = spec.contains('+');
    let has_gt = spec.contains('>');
    if has_plus && has_gt {
        return Err("use either + (words) or > (a place hierarchy), not both".into());
    }
    let (separator, joiner) = if has_gt {
        ('>', JOIN_HIERARCHY)
    } else {
        ('+', JOIN_WORDS)
    };
    let columns: Vec<String> = spec
        .split(separator)
        .map(|c| c.trim().to_string())
        .collect();
    if columns.iter().any(String::is_empty) {
        return Err("a column name is empty".into());
    }
    Ok((columns, joiner))
}

fn find_column(headers: &[String], field: &str, column: &str) -> Result<usize, MappingError> {
    if let Some(i) = headers.iter().position(|h| h == column) {
        return Ok(i);
    }
    let wanted = column.trim().to_lowercase();
    let loose: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.trim().to_lowercase() == wanted)
        .map(|(i, _)| i)
        .collect();
    match loose.as_slice() {
        [one] => Ok(*one),
        [] => Err(MappingError::MissingColumn {
            field: field.to_string(),
            column: column.to_string(),
            headers: headers.to_vec(),
        }),
        many => Err(MappingError::AmbiguousColumn {
            field: field.to_string(),
            column: column.to_string(),
            candidates: many.iter().map(|&i| headers[i].clone()).collect(),
        }),
    }
}

/// A field's value in a mapping file.
enum Spec {
    Text(String),
    List(Vec<String>),
}

fn json_entries(text: &str) -> Result<Vec<(String, Spec)>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let serde_json::Value::Object(mut top) = value else {
        return Err("the top level must be an object of field: column".into());
    };
    let table = match top.remove("map") {
        Some(serde_json::Value::Object(inner)) => inner,
        Some(other) => {
            top.insert("map".into(), other);
            top
        }
        None => top,
    };
    table
        .into_iter()
        .map(|(field, value)| {
            let spec = match value {
                serde_json::Value::String(s) => Spec::Text(s),
                serde_json::Value::Array(items) => Spec::List(
                    items
                        .into_iter()
                        .map(|item| match item {
                            serde_json::Value::String(s) => Ok(s),
                            _ => Err(format!("\"{field}\": list items must be column names")),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                _ => {
                    return Err(format!(
                        "\"{field}\" must be a column name or a list of column names"
                    ));
                }
            };
            Ok((field, spec))
        })
        .collect()
}

fn toml_entries(text: &str) -> Result<Vec<(String, Spec)>, String> {
    let mut top: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let table = match top.remove("map") {
        Some(toml::Value::Table(inner)) => inner,
        _ => return Err("there is no [map] table; write [map] and then given = \"Имя\" …".into()),
    };
    table
        .into_iter()
        .map(|(field, value)| {
            let spec = match value {
                toml::Value::String(s) => Spec::Text(s),
                toml::Value::Array(items) => Spec::List(
                    items
                        .into_iter()
                        .map(|item| match item {
                            toml::Value::String(s) => Ok(s),
                            _ => Err(format!("{field}: list items must be column names")),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                _ => {
                    return Err(format!(
                        "{field} must be a column name or a list of column names"
                    ));
                }
            };
            Ok((field, spec))
        })
        .collect()
}
