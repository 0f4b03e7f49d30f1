//! Column mappings: parsing, mapping files, binding to headers, applying.

use qantar_table::{JOIN_HIERARCHY, JOIN_WORDS, Mapping, MappingError, Row};

const ALLOWED: &[&str] = &["given", "surname", "address", "place", "born"];

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn headers(items: &[&str]) -> Vec<String> {
    args(items)
}

#[test]
fn parses_items_and_joiners() {
    let mapping = Mapping::parse(
        &args(&[
            "given=Имя, surname = Фамилия",
            "address=street_number+address_1,place=region>city",
            "text:note=Примечание",
        ]),
        ALLOWED,
    )
    .expect("valid");
    let summary: Vec<(&str, Vec<&str>, &str)> = mapping
        .fields
        .iter()
        .map(|f| {
            (
                f.field.as_str(),
                f.columns.iter().map(String::as_str).collect(),
                f.joiner,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("given", vec!["Имя"], JOIN_WORDS),
            ("surname", vec!["Фамилия"], JOIN_WORDS),
            ("address", vec!["street_number", "address_1"], JOIN_WORDS),
            ("place", vec!["region", "city"], JOIN_HIERARCHY),
            ("text:note", vec!["Примечание"], JOIN_WORDS),
        ]
    );
}

#[test]
fn unknown_field_names_it_and_lists_the_allowed() {
    let err = Mapping::parse(&args(&["givne=Имя"]), ALLOWED).unwrap_err();
    assert!(matches!(&err, MappingError::UnknownField { field, .. } if field == "givne"));
    let message = err.to_string();
    assert!(message.contains("\"givne\""), "{message}");
    assert!(
        message.contains("given, surname, address, place, born"),
        "{message}"
    );
    assert!(message.contains("text:<name>"), "{message}");
    // "text:" needs a name.
    assert!(Mapping::parse(&args(&["text:=x"]), ALLOWED).is_err());
}

#[test]
fn syntax_errors() {
    let cases = [
        "given",           // no "="
        "given=",          // no column
        "place=a>b+c",     // mixed joiners
        "address=street+", // empty column
    ];
    for case in cases {
        let err = Mapping::parse(&args(&[case]), ALLOWED).unwrap_err();
        assert!(matches!(err, MappingError::Syntax { .. }), "{case}: {err}");
        assert!(err.to_string().contains("field=Column"), "{err}");
    }
    let err = Mapping::parse(&args(&["given=a", "given=b"]), ALLOWED).unwrap_err();
    assert_eq!(
        err,
        MappingError::DuplicateField {
            field: "given".into()
        }
    );
}

#[test]
fn bind_resolves_exactly_then_loosely() {
    let mapping = Mapping::parse(
        &args(&["given=имя,surname=Фамилия ,place=Область>Город"]),
        ALLOWED,
    )
    .expect("valid");
    let heads = headers(&["№", "ФАМИЛИЯ", "Имя", "Город", "Область"]);
    let bound = mapping.bind(&heads).expect("binds");
    assert_eq!(bound.columns_used(), [1, 2, 3, 4]);
    let row = Row {
        line: 9,
        values: args(&["1", "Оспанов", " Ерлан ", "Жанаозен", "Мангистауская"]),
    };
    assert_eq!(
        bound.apply(&row),
        [
            ("given", "Ерлан".to_string()),
            ("surname", "Оспанов".to_string()),
            ("place", "Мангистауская > Жанаозен".to_string()),
        ]
    );
    // Empty parts are skipped, so no dangling " > ".
    let row = Row {
        line: 10,
        values: args(&["2", "", "Айгүл", "", "Алматинская"]),
    };
    let applied = bound.apply(&row);
    assert_eq!(applied[1], ("surname", String::new()));
    assert_eq!(applied[2], ("place", "Алматинская".to_string()));
}

#[test]
fn missing_and_ambiguous_columns() {
    let mapping = Mapping::parse(&args(&["born=Дата рождения"]), ALLOWED).expect("valid");
    let err = mapping.bind(&headers(&["Имя", "Дата"])).unwrap_err();
    assert!(matches!(err, MappingError::MissingColumn { .. }));
    let message = err.to_string();
    assert!(message.contains("\"Дата рождения\""), "{message}");
    assert!(message.contains("\"born\""), "{message}");
    assert!(message.contains("\"Имя\", \"Дата\""), "{message}");

    let mapping = Mapping::parse(&args(&["given=имя"]), ALLOWED).expect("valid");
    let err = mapping.bind(&headers(&["Имя", "ИМЯ"])).unwrap_err();
    assert!(matches!(err, MappingError::AmbiguousColumn { .. }), "{err}");
    // An exact match wins over loose ones.
    let bound = mapping.bind(&headers(&["Имя", "имя"])).expect("exact");
    assert_eq!(bound.columns_used(), [1]);
}

#[test]
fn mapping_files_in_toml_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let toml_path = dir.path().join("map.toml");
    std::fs::write(
        &toml_path,
        "[map]\ngiven = \"Имя\"\naddress = [\"street\", \"a+b\"]\nplace = \"region>city\"\n",
    )
    .expect("write");
    let mapping = Mapping::from_file(&toml_path, ALLOWED).expect("valid TOML");
    let address = mapping
        .fields
        .iter()
        .find(|f| f.field == "address")
        .expect("address");
    // A list names columns literally, even with + in them.
    assert_eq!(address.columns, ["street", "a+b"]);
    let place = mapping
        .fields
        .iter()
        .find(|f| f.field == "place")
        .expect("place");
    assert_eq!((place.columns.len(), place.joiner), (2, JOIN_HIERARCHY));

    let json_path = dir.path().join("map.json");
    std::fs::write(&json_path, r#"{"given": "Имя", "address": ["a", "b"]}"#).expect("write");
    let mapping = Mapping::from_file(&json_path, ALLOWED).expect("valid JSON");
    assert_eq!(mapping.fields.len(), 2);
    assert_eq!(mapping.fields[0].field, "given");

    std::fs::write(&json_path, r#"{"nickname": "Лақап"}"#).expect("write");
    let err = Mapping::from_file(&json_path, ALLOWED).unwrap_err();
    assert!(matches!(err, MappingError::UnknownField { .. }), "{err}");

    std::fs::write(&toml_path, "given = \"Имя\"\n").expect("write");
    let err = Mapping::from_file(&toml_path, ALLOWED).unwrap_err();
    assert!(err.to_string().contains("[map]"), "{err}");

    let err = Mapping::from_file(&dir.path().join("none.toml"), ALLOWED).unwrap_err();
    assert!(matches!(err, MappingError::File { .. }), "{err}");
}
