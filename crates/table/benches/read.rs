//! Throughput of reading a large list: a generated 1,000,000-row
//! Windows-1251 CSV and the same rows as JSON Lines, read row by row.
//! Run with `cargo bench -p qantar-table`; `-- FILE…` reads those files
//! instead (to measure the reader's memory apart from the generator's).

use std::io::Write;
use std::time::Instant;

use qantar_table::{ReadOptions, Table};

const ROWS: usize = 1_000_000;

fn main() {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !files.is_empty() {
        for file in files {
            measure(&file, std::path::Path::new(&file));
        }
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");

    let csv_path = dir.path().join("big.csv");
    let mut text = String::from("№;Фамилия;Имя;Отчество;Город;Дата\r\n");
    for i in 0..ROWS {
        text.push_str(&format!(
            "{i};Иванов-{i};Пётр;Сергеевич;\"Алматы; район {}\";2022-01-0{}\r\n",
            i % 97,
            i % 9 + 1
        ));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    std::fs::write(&csv_path, &bytes).expect("write csv");
    drop(text);
    measure("CSV, Windows-1251, `;`", &csv_path);

    let jsonl_path = dir.path().join("big.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&jsonl_path).expect("create"));
    for i in 0..ROWS {
        writeln!(
            out,
            r#"{{"n": {i}, "surname": "Иванов-{i}", "given": "Пётр", "city": "Алматы", "age": {}}}"#,
            i % 80
        )
        .expect("write jsonl");
    }
    drop(out);
    measure("JSON Lines, UTF-8", &jsonl_path);
}

fn measure(label: &str, path: &std::path::Path) {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let start = Instant::now();
    let mut table = Table::open(path, &ReadOptions::default()).expect("opens");
    let mut rows = 0usize;
    let mut cells = 0usize;
    while let Some(row) = table.next_row() {
        let row = row.expect("well-formed row");
        rows += 1;
        cells += row.values.len();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{label}: {rows} rows ({cells} cells, {:.1} MB) in {seconds:.2} s = {:.0} rows/s, {:.1} MB/s",
        size as f64 / 1e6,
        rows as f64 / seconds,
        size as f64 / 1e6 / seconds
    );
}
