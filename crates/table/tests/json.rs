//! JSON arrays of objects and JSON Lines.

use qantar_table::{Encoding, Format, ReadOptions, Row, RowError, Table, TableError};

fn open(name: &str, text: &str) -> Table {
    Table::from_bytes(name, text.as_bytes().to_vec(), &ReadOptions::default()).expect("opens")
}

fn read_all(table: &mut Table) -> (Vec<Row>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    while let Some(next) = table.next_row() {
        match next {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    (rows, errors)
}

#[test]
fn array_headers_are_the_union_of_keys_in_order() {
    let text = r#"[
        {"name": "Әлия", "age": 34, "city": null},
        {"name": "Болат", "tags": ["a", "b"], "age": 40.5},
        7,
        {"extra": {"k": true}, "name": " Дина "}
    ]"#;
    let mut table = open("list.json", text);
    assert_eq!(table.format(), Format::Json);
    assert_eq!(table.encoding(), Some(Encoding::Utf8));
    assert_eq!(table.headers(), ["name", "age", "city", "tags", "extra"]);
    let (rows, errors) = read_all(&mut table);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].values, ["Әлия", "34", "", "", ""]);
    assert_eq!(rows[1].values, ["Болат", "40.5", "", r#"["a","b"]"#, ""]);
    assert_eq!(rows[2].values, ["Дина", "", "", "", r#"{"k":true}"#]);
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [1, 2, 4]);
    assert_eq!(
        errors,
        [RowError {
            line: 3,
            reason: "is not a JSON object".into()
        }]
    );
    let progress = table.progress();
    assert_eq!(progress.done, progress.total.expect("size known"));
}

#[test]
fn json_lines_stream_with_line_numbers() {
    let text = "{\"name\": \"Әлия\", \"age\": 34}\n\
                \n\
                {\"age\": 40, \"name\": \"Болат\", \"note\": \"x\"}\n\
                not json\n\
                [1]\n\
                {\"name\": \"Дина\", \"note\": \"y\", \"other\": 1}\n";
    let mut table = open("list.jsonl", text);
    assert_eq!(table.format(), Format::Json);
    assert_eq!(table.headers(), ["name", "age"]);
    let (rows, errors) = read_all(&mut table);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].values, ["Әлия", "34"]);
    assert_eq!(rows[1].values, ["Болат", "40"]);
    assert_eq!(rows[1].line, 3);
    assert_eq!(rows[2].values, ["Дина", ""]);
    assert_eq!(rows[2].line, 6);
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].line, 4);
    assert!(
        errors[0].reason.starts_with("is not valid JSON"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[1].line, 5);
    assert_eq!(errors[1].reason, "is not a JSON object");
    // Each unknown key is warned about once.
    let unknown: Vec<&String> = table
        .warnings()
        .iter()
        .filter(|w| w.contains("which the first object lacks"))
        .collect();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(unknown[0].contains("\"note\"") && unknown[0].starts_with("line 3"));
    assert!(unknown[1].contains("\"other\""));
    let progress = table.progress();
    assert_eq!(progress.done, text.len() as u64);
}

#[test]
fn json_lines_in_utf16_are_decoded() {
    let text = "{\"name\": \"Қасым\"}\n{\"name\": \"Ерлан\"}\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut table = Table::from_bytes("u16.jsonl", bytes, &ReadOptions::default()).expect("opens");
    assert_eq!(table.encoding(), Some(Encoding::Utf16Le));
    let (rows, _) = read_all(&mut table);
    assert_eq!(rows[1].values, ["Ерлан"]);
}

#[test]
fn bad_json_is_refused_with_its_line() {
    let options = ReadOptions::default();
    let err = Table::from_bytes("a.json", b"[\n{\"a\": 1},\n{\"a\" 2}\n]".to_vec(), &options)
        .unwrap_err();
    match &err {
        TableError::Json { line, .. } => assert_eq!(*line, 3),
        other => panic!("expected a JSON error, got {other}"),
    }
    assert!(err.to_string().contains("JSON Lines"));

    // A pretty-printed object is not JSON Lines.
    let err = Table::from_bytes("b.json", b"{\n  \"a\": 1\n}\n".to_vec(), &options).unwrap_err();
    assert!(matches!(err, TableError::Json { line: 1, .. }), "{err}");
    assert!(err.to_string().contains("one line"));

    let err = Table::from_bytes("c.json", b"[]".to_vec(), &options).unwrap_err();
    assert!(matches!(err, TableError::Empty { .. }), "{err}");

    let err = Table::from_bytes("d.json", b"\"text\"".to_vec(), &options).unwrap_err();
    assert!(matches!(err, TableError::Json { .. }), "{err}");
}
