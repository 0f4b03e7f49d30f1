//! Field-level validation errors.
//!
//! A record is checked as a whole and every problem is reported at once, so a
//! documenter fixing a file sees the full list instead of one error per run.

use std::fmt;

/// One problem with one field of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field inside the record, e.g. `"date"`, `"names[1].lang"`,
    /// `"status_history[2].status"`, or `"sources"`.
    pub field: String,
    /// What is wrong and what would be accepted instead.
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// All problems found in one record. Never empty when returned as an error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", lines(.0))]
pub struct FieldErrors(pub Vec<FieldError>);

fn lines(errors: &[FieldError]) -> String {
    let mut out = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&e.to_string());
    }
    out
}

impl FieldErrors {
    /// A single error, for callers (the store, the CLI) that find one problem
    /// and want to report it in the same shape as the model's own.
    pub fn one(field: impl Into<String>, reason: impl Into<String>) -> FieldErrors {
        FieldErrors(vec![FieldError::new(field, reason)])
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether any error concerns `field` exactly.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
}

impl IntoIterator for FieldErrors {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a FieldErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_per_error() {
        let errors = FieldErrors(vec![
            FieldError::new("date", "bad"),
            FieldError::new("names[0].lang", "unknown"),
        ]);
        assert_eq!(errors.to_string(), "date: bad\nnames[0].lang: unknown");
        assert!(errors.has("date"));
        assert!(!errors.has("names"));
    }
}
