//! What every format shares once its cells are text: cleaning the header
//! row and fitting data rows to it.

/// Trims the header cells and makes every one non-empty and unique: an empty
/// header becomes `column N` (its 1-based position), a repeated one gets
/// ` (2)`, ` (3)` … Every change is described in `warnings`, since a mapping
/// must then use the new name.
pub(crate) fn clean_headers(raw: Vec<String>, warnings: &mut Vec<String>) -> Vec<String> {
    let mut headers: Vec<String> = Vec::with_capacity(raw.len());
    for (i, cell) in raw.into_iter().enumerate() {
        let position = i + 1;
        let trimmed = cell.trim();
        let base = if trimmed.is_empty() {
            let name = format!("column {position}");
            warnings.push(format!(
                "column {position} has no header; it is called \"{name}\""
            ));
            name
        } else {
            trimmed.to_string()
        };
        let mut name = base.clone();
        let mut n = 1;
        while headers.iter().any(|h| h == &name) {
            n += 1;
            name = format!("{base} ({n})");
        }
        if name != base {
            warnings.push(format!(
                "column {position} repeats the header \"{base}\"; it is called \"{name}\""
            ));
        }
        headers.push(name);
    }
    headers
}

/// Names for the columns of a file without a header row.
pub(crate) fn numbered_headers(width: usize) -> Vec<String> {
    (1..=width).map(|i| format!("column {i}")).collect()
}

/// Fits a row's trimmed cells to the header's width: missing trailing cells
/// become "" (Excel omits trailing delimiters on some rows) and surplus
/// trailing cells are dropped when empty. Surplus cells holding text mean
/// the row does not line up with the header, and the reason says so.
pub(crate) fn fit_row(mut cells: Vec<String>, width: usize) -> Result<Vec<String>, String> {
    for cell in &mut cells {
        trim_in_place(cell);
    }
    if cells.len() > width {
        let used = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        if used > width {
            return Err(format!(
                "has {used} cells, the header has {width}; \
                 check for an unquoted delimiter inside a value"
            ));
        }
        cells.truncate(width);
    }
    cells.resize(width, String::new());
    Ok(cells)
}

/// Whether a row holds nothing but empty or blank cells (for example the
/// `;;;;` lines Excel writes for empty spreadsheet rows).
pub(crate) fn is_blank<S: AsRef<str>>(cells: &[S]) -> bool {
    cells.iter().all(|c| c.as_ref().trim().is_empty())
}

pub(crate) fn trim_in_place(s: &mut String) {
    let end = s.trim_end().len();
    s.truncate(end);
    let start = s.len() - s.trim_start().len();
    if start > 0 {
        s.drain(..start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_are_trimmed_and_made_unique() {
        let mut warnings = Vec::new();
        let headers = clean_headers(
            strings(&[" Имя ", "Фамилия", "", "Имя", "Имя", "Имя (2)"]),
            &mut warnings,
        );
        assert_eq!(
            headers,
            strings(&[
                "Имя",
                "Фамилия",
                "column 3",
                "Имя (2)",
                "Имя (3)",
                "Имя (2) (2)"
            ])
        );
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(warnings[0].contains("column 3"));
        assert!(warnings[1].contains("\"Имя (2)\""));
    }

    #[test]
    fn clean_headers_leave_no_warning() {
        let mut warnings = Vec::new();
        let headers = clean_headers(strings(&["a", "b"]), &mut warnings);
        assert_eq!(headers, strings(&["a", "b"]));
        assert!(warnings.is_empty());
    }

    #[test]
    fn rows_are_fitted_to_the_header() {
        assert_eq!(
            fit_row(strings(&[" a ", "b"]), 3),
            Ok(strings(&["a", "b", ""]))
        );
        assert_eq!(
            fit_row(strings(&["a", "b", "", " "]), 2),
            Ok(strings(&["a", "b"]))
        );
        let err = fit_row(strings(&["a", "b", "", "d"]), 2).unwrap_err();
        assert!(err.starts_with("has 4 cells, the header has 2"), "{err}");
    }

    #[test]
    fn trimming_keeps_inner_text() {
        let mut s = String::from("\u{a0} Ан на\t");
        trim_in_place(&mut s);
        assert_eq!(s, "Ан на");
        assert!(is_blank(&["", " ", "\t"]));
        assert!(!is_blank(&["", "x"]));
    }
}
