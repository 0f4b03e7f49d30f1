//! Delimited text in the encodings and shapes researchers' lists come in.

use std::path::PathBuf;

use qantar_table::{Encoding, Format, ReadOptions, Row, RowError, Table, TableError};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write the fixture");
    path
}

fn open(name: &str, bytes: &[u8]) -> Table {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, name, bytes);
    Table::open(&path, &ReadOptions::default()).expect("the file opens")
}

/// All rows, split into good rows and errors.
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

fn values(rows: &[Row]) -> Vec<Vec<&str>> {
    rows.iter()
        .map(|r| r.values.iter().map(String::as_str).collect())
        .collect()
}

const RUSSIAN: &str = "Фамилия;Имя;Отчество;Город\r\n\
                       Иванов;Пётр;Сергеевич;Алматы\r\n\
                       Щукина;Юлия;Эдуардовна;Талдыкорган\r\n";

#[test]
fn utf8_semicolon() {
    let mut table = open("list.csv", RUSSIAN.as_bytes());
    assert_eq!(table.format(), Format::Csv);
    assert_eq!(table.encoding(), Some(Encoding::Utf8));
    assert_eq!(table.delimiter(), Some(b';'));
    assert_eq!(table.headers(), ["Фамилия", "Имя", "Отчество", "Город"]);
    let (rows, errors) = read_all(&mut table);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        values(&rows),
        [
            ["Иванов", "Пётр", "Сергеевич", "Алматы"],
            ["Щукина", "Юлия", "Эдуардовна", "Талдыкорган"]
        ]
    );
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[1].line, 3);
}

#[test]
fn utf8_with_bom_keeps_the_first_header_clean() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("Аты,Тегі\nӘлия,Құрманғазы\n".as_bytes());
    let mut table = open("kk.csv", &bytes);
    assert_eq!(table.encoding(), Some(Encoding::Utf8Bom));
    assert_eq!(table.headers(), ["Аты", "Тегі"]);
    let (rows, _) = read_all(&mut table);
    assert_eq!(values(&rows), [["Әлия", "Құрманғазы"]]);
}

#[test]
fn windows_1251_russian_names_round_trip() {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(RUSSIAN);
    assert!(!unmappable);
    let mut table = open("excel.csv", &bytes);
    assert_eq!(table.encoding(), Some(Encoding::Windows1251));
    assert_eq!(table.delimiter(), Some(b';'));
    assert_eq!(table.headers(), ["Фамилия", "Имя", "Отчество", "Город"]);
    let (rows, errors) = read_all(&mut table);
    assert!(errors.is_empty());
    assert_eq!(values(&rows)[0], ["Иванов", "Пётр", "Сергеевич", "Алматы"]);
    assert_eq!(
        values(&rows)[1],
        ["Щукина", "Юлия", "Эдуардовна", "Талдыкорган"]
    );
}

#[test]
fn kazakh_letters_cannot_survive_windows_1251() {
    // Excel on Russian Windows cannot store ә, қ, ұ … in Windows-1251; what
    // arrives decodes cleanly (1251 maps every byte) but the letters are
    // gone, which the caller can see as HTML numeric references or "?".
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode("Аты,Тегі\nӘлия,Құрманғазы\n");
    assert!(unmappable, "Kazakh letters are not in Windows-1251");
    let mut table = open("kk-1251.csv", &bytes);
    assert_eq!(table.encoding(), Some(Encoding::Windows1251));
    let (rows, errors) = read_all(&mut table);
    assert!(errors.is_empty());
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].values[0], "Әлия");
    assert!(rows[0].values[0].ends_with("лия"), "{:?}", rows[0].values);
}

#[test]
fn utf16le_with_bom_tab_separated() {
    let text = "Имя\tВозраст\r\nБолат\t34\r\nДина\t27\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut table = open("export.txt", &bytes);
    assert_eq!(table.encoding(), Some(Encoding::Utf16Le));
    assert_eq!(table.delimiter(), Some(b'\t'));
    assert_eq!(table.headers(), ["Имя", "Возраст"]);
    let (rows, errors) = read_all(&mut table);
    assert!(errors.is_empty());
    assert_eq!(values(&rows), [["Болат", "34"], ["Дина", "27"]]);
    assert_eq!(rows[1].line, 3);
    let progress = table.progress();
    assert_eq!(progress.total, Some(bytes.len() as u64));
    assert_eq!(progress.done, bytes.len() as u64);
}

#[test]
fn pipe_delimiter_is_sniffed() {
    let mut table = open(
        "a.csv",
        "name|city|age\nA|Жанаозен|30\nB|Алматы|41\n".as_bytes(),
    );
    assert_eq!(table.delimiter(), Some(b'|'));
    let (rows, _) = read_all(&mut table);
    assert_eq!(values(&rows)[1], ["B", "Алматы", "41"]);
}

#[test]
fn explicit_options_override_guesses() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Would sniff as `,`; the caller says `;`.
    let path = write(&dir, "x.csv", "a;b,c\n1;2,3\n".as_bytes());
    let options = ReadOptions {
        delimiter: Some(b';'),
        ..ReadOptions::default()
    };
    let mut table = Table::open(&path, &options).expect("opens");
    assert_eq!(table.headers(), ["a", "b,c"]);
    let (rows, _) = read_all(&mut table);
    assert_eq!(values(&rows), [["1", "2,3"]]);
}

#[test]
fn quoted_newlines_keep_line_numbers_right() {
    let text = "name,note,city\n\
                \"Сейтқали\",\"first line\nsecond line\nthird\",Актау\n\
                \"Оспан, Ерлан\",plain,Тараз\n\
                \n\
                Last,\"x\"\"y\",Шымкент\n";
    let mut table = open("q.csv", text.as_bytes());
    let (rows, errors) = read_all(&mut table);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].values[1], "first line\nsecond line\nthird");
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[1].values[0], "Оспан, Ерлан");
    assert_eq!(rows[1].line, 5);
    // Line 6 is blank and skipped.
    assert_eq!(rows[2].line, 7);
    assert_eq!(rows[2].values[1], "x\"y");
}

#[test]
fn crlf_blank_lines_and_quoted_crlf_keep_line_numbers_right() {
    let text = "a,b\r\n\r\n\"x\r\ny\",1\r\n\r\n\r\nz,2\r\nlast,3";
    let mut table = open("crlf.csv", text.as_bytes());
    let (rows, errors) = read_all(&mut table);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(values(&rows), [["x\r\ny", "1"], ["z", "2"], ["last", "3"]]);
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 7, 8]);
}

#[test]
fn ragged_rows_are_reported_and_the_rest_read() {
    let text = "a;b;c\n\
                1;2;3\n\
                4;5;6;7;8\n\
                9;10\n\
                11;12;13;;\n\
                ;;\n\
                14;15;16\n";
    let mut table = open("ragged.csv", text.as_bytes());
    let (rows, errors) = read_all(&mut table);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 3);
    assert!(
        errors[0]
            .reason
            .starts_with("has 5 cells, the header has 3"),
        "{}",
        errors[0]
    );
    assert_eq!(
        errors[0].to_string().split(';').next(),
        Some("line 3 has 5 cells, the header has 3")
    );
    assert_eq!(
        values(&rows),
        [
            vec!["1", "2", "3"],
            vec!["9", "10", ""],
            vec!["11", "12", "13"],
            vec!["14", "15", "16"]
        ]
    );
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 4, 5, 7]);
}

#[test]
fn duplicate_and_empty_headers_are_renamed_with_warnings() {
    let mut table = open("dup.csv", " Имя ,Имя,,Фамилия\nА,Б,В,Г\n".as_bytes());
    assert_eq!(table.headers(), ["Имя", "Имя (2)", "column 3", "Фамилия"]);
    assert_eq!(table.warnings().len(), 2, "{:?}", table.warnings());
    assert!(table.warnings().iter().any(|w| w.contains("Имя (2)")));
    assert!(table.warnings().iter().any(|w| w.contains("column 3")));
    let (rows, _) = read_all(&mut table);
    assert_eq!(values(&rows), [["А", "Б", "В", "Г"]]);
}

#[test]
fn values_are_trimmed() {
    let mut table = open("t.csv", "a,b\n  Нұрлан  ,\" x \"\n".as_bytes());
    let (rows, _) = read_all(&mut table);
    assert_eq!(values(&rows), [["Нұрлан", "x"]]);
}

#[test]
fn invalid_utf8_row_is_an_error_and_others_are_read() {
    // The sample (the first 64 KiB) is clean UTF-8, so the file is taken as
    // UTF-8; a row far below it was pasted in from a Windows-1251 file.
    let mut bytes = "name,n\n".as_bytes().to_vec();
    for i in 0..5000 {
        bytes.extend_from_slice(format!("Қайрат {i},{i}\n").as_bytes());
    }
    let bad_line = 5000 + 2;
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Иванов,1\n");
    bytes.extend_from_slice(&cp1251);
    bytes.extend_from_slice("Last,2\n".as_bytes());
    assert!(bytes.len() > 64 * 1024);
    let mut table = open("mixed.csv", &bytes);
    assert_eq!(table.encoding(), Some(Encoding::Utf8));
    let (rows, errors) = read_all(&mut table);
    assert_eq!(rows.len(), 5001);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, bad_line);
    assert!(
        errors[0].reason.starts_with("is not valid UTF-8"),
        "{}",
        errors[0]
    );
    assert_eq!(rows.last().map(|r| r.line), Some(bad_line + 1));
}

#[test]
fn no_header_numbers_the_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "n.csv", b"\n1;2\n3;4\n");
    let options = ReadOptions {
        has_header: false,
        ..ReadOptions::default()
    };
    let mut table = Table::open(&path, &options).expect("opens");
    assert_eq!(table.headers(), ["column 1", "column 2"]);
    let (rows, _) = read_all(&mut table);
    assert_eq!(values(&rows), [["1", "2"], ["3", "4"]]);
    assert_eq!(rows[0].line, 2);
}

#[test]
fn from_bytes_reads_an_upload() {
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(RUSSIAN);
    let mut table = Table::from_bytes("upload.csv", bytes.into_owned(), &ReadOptions::default())
        .expect("opens");
    assert_eq!(table.encoding(), Some(Encoding::Windows1251));
    let (rows, _) = read_all(&mut table);
    assert_eq!(rows.len(), 2);
}

#[test]
fn format_is_sniffed_without_an_extension() {
    let table = Table::from_bytes("upload", b"a,b\n1,2\n".to_vec(), &ReadOptions::default())
        .expect("opens");
    assert_eq!(table.format(), Format::Csv);
    let table = Table::from_bytes("upload", br#"[{"a":1}]"#.to_vec(), &ReadOptions::default())
        .expect("opens");
    assert_eq!(table.format(), Format::Json);
}

#[test]
fn fatal_errors_say_what_is_wrong() {
    let options = ReadOptions::default();
    let err = Table::from_bytes("empty.csv", Vec::new(), &options).unwrap_err();
    assert!(matches!(err, TableError::Empty { .. }), "{err}");
    let err = Table::from_bytes("blank.csv", b"\n\r\n  \n".to_vec(), &options).unwrap_err();
    assert!(matches!(err, TableError::Empty { .. }), "{err}");
    let err = Table::from_bytes("blob", vec![0, 1, 2, 0, 5, 0, 0, 9], &options).unwrap_err();
    assert!(matches!(err, TableError::UnknownFormat { .. }), "{err}");
    assert!(err.to_string().contains(".csv"));
    let err = Table::open(std::path::Path::new("no/such/file.csv"), &options).unwrap_err();
    assert!(matches!(err, TableError::Open { .. }), "{err}");
    assert!(err.to_string().contains("no/such/file.csv"));
}

#[test]
fn a_forced_wrong_encoding_is_refused_at_the_header() {
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(RUSSIAN);
    let options = ReadOptions {
        encoding: Some(Encoding::Utf8),
        ..ReadOptions::default()
    };
    let err = Table::from_bytes("x.csv", bytes.into_owned(), &options).unwrap_err();
    assert!(matches!(err, TableError::Undecodable { .. }), "{err}");
    assert!(err.to_string().contains("Windows-1251"));
}
