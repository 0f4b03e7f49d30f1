//! Spreadsheets written with rust_xlsxwriter and read back.

use qantar_table::{Format, ReadOptions, Row, RowError, Table, TableError};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

/// A workbook with two sheets: "Погибшие" (a header, mixed cell types, an
/// empty cell, a blank row, a formula error, a merged cell) and "Пусто".
fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    let datetime = CellFormat::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = book.add_worksheet();
    sheet.set_name("Погибшие").expect("sheet name");
    for (col, header) in ["ФИО", "Возраст", "Рост", "Дата", "Время", "Область", "ФИО"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).expect("write");
    }
    // Row 2: every kind of cell.
    sheet
        .write_string(1, 0, " Әбдірахманов Нұрлан ")
        .expect("write");
    sheet.write_number(1, 1, 37).expect("write");
    sheet.write_number(1, 2, 172.5).expect("write");
    let day = ExcelDateTime::from_ymd(2022, 1, 5).expect("date");
    sheet
        .write_datetime_with_format(1, 3, &day, &date)
        .expect("write");
    let moment = ExcelDateTime::from_ymd(2022, 1, 6)
        .and_then(|d| d.and_hms(18, 30, 0))
        .expect("datetime");
    sheet
        .write_datetime_with_format(1, 4, &moment, &datetime)
        .expect("write");
    // Column F (Область) is left empty.
    sheet.write_string(1, 6, "дубль").expect("write");
    // Row 3 is blank. Row 4: a formula whose cached result is an error.
    sheet.write_string(3, 0, "Ошибка").expect("write");
    sheet.write_formula(3, 1, "=1/0").expect("write");
    sheet.set_formula_result(3, 1, "#DIV/0!");
    // Rows 5-6: a merged region; the value is in its top-left cell.
    sheet
        .merge_range(4, 5, 5, 5, "Мангистауская", &CellFormat::new())
        .expect("merge");
    sheet.write_string(4, 0, "Первый").expect("write");
    sheet.write_string(5, 0, "Второй").expect("write");
    sheet.write_boolean(5, 1, true).expect("write");

    let other = book.add_worksheet();
    other.set_name("Пусто").expect("sheet name");
    book.save_to_buffer().expect("xlsx bytes")
}

fn read_all(table: &mut Table) -> (Vec<Row>, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for next in table.by_ref() {
        match next {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    (rows, errors)
}

#[test]
fn cells_of_every_kind_become_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("list.xlsx");
    std::fs::write(&path, workbook()).expect("write");
    let mut table = Table::open(&path, &ReadOptions::default()).expect("opens");
    assert_eq!(table.format(), Format::Xlsx);
    assert_eq!(table.encoding(), None);
    assert_eq!(table.delimiter(), None);
    assert_eq!(
        table.headers(),
        [
            "ФИО",
            "Возраст",
            "Рост",
            "Дата",
            "Время",
            "Область",
            "ФИО (2)"
        ]
    );
    assert!(table.warnings().iter().any(|w| w.contains("2 sheets")));
    assert!(table.warnings().iter().any(|w| w.contains("ФИО (2)")));

    let (rows, errors) = read_all(&mut table);
    assert_eq!(
        rows[0].values,
        [
            "Әбдірахманов Нұрлан",
            "37",
            "172.5",
            "2022-01-05",
            "2022-01-06T18:30:00",
            "",
            "дубль"
        ]
    );
    assert_eq!(rows[0].line, 2);

    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 4);
    assert!(errors[0].reason.contains("#DIV/0!"), "{}", errors[0]);
    assert!(
        errors[0].reason.contains("column B (\"Возраст\")"),
        "{}",
        errors[0]
    );

    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].line, 5);
    assert_eq!(rows[1].values[0], "Первый");
    assert_eq!(rows[1].values[5], "Мангистауская");
    assert_eq!(rows[2].line, 6);
    assert_eq!(rows[2].values[..2], ["Второй", "true"]);
    assert_eq!(rows[2].values[5], "");

    let progress = table.progress();
    assert_eq!(progress.total, Some(6));
    assert_eq!(progress.done, 6);
}

#[test]
fn a_sheet_is_chosen_by_name_and_a_wrong_name_lists_the_sheets() {
    let options = ReadOptions {
        sheet: Some("погибшие".into()),
        ..ReadOptions::default()
    };
    let table = Table::from_bytes("upload.xlsx", workbook(), &options).expect("opens");
    assert_eq!(table.headers()[0], "ФИО");
    assert!(table.warnings().iter().all(|w| !w.contains("sheets")));

    let options = ReadOptions {
        sheet: Some("Раненые".into()),
        ..ReadOptions::default()
    };
    let err = Table::from_bytes("upload.xlsx", workbook(), &options).unwrap_err();
    assert!(matches!(err, TableError::NoSuchSheet { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("\"Раненые\""), "{message}");
    assert!(message.contains("\"Погибшие\", \"Пусто\""), "{message}");

    let options = ReadOptions {
        sheet: Some("Пусто".into()),
        ..ReadOptions::default()
    };
    let err = Table::from_bytes("upload.xlsx", workbook(), &options).unwrap_err();
    assert!(matches!(err, TableError::Empty { .. }), "{err}");
}

#[test]
fn a_spreadsheet_is_recognised_by_content() {
    let table = Table::from_bytes("list.csv", workbook(), &ReadOptions::default()).expect("opens");
    assert_eq!(table.format(), Format::Xlsx);
    assert!(
        table
            .warnings()
            .iter()
            .any(|w| w.contains("named like CSV"))
    );
}

#[test]
fn a_broken_workbook_says_what_to_do() {
    let mut bytes = workbook();
    bytes.truncate(bytes.len() / 2);
    let err = Table::from_bytes("cut.xlsx", bytes, &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, TableError::Workbook { .. }), "{err}");
    assert!(err.to_string().contains("save it again"));
}
