//! A large generated list streams row by row with progress.

use qantar_table::{Encoding, ReadOptions, Table};

const ROWS: u64 = 200_000;

#[test]
fn a_large_windows_1251_csv_streams_with_monotonic_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.csv");
    let mut text = String::from("№;Фамилия;Имя;Город\r\n");
    for i in 0..ROWS {
        text.push_str(&format!("{i};Иванов-{i};Пётр;\"Алматы; {}\"\r\n", i % 97));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!unmappable);
    std::fs::write(&path, &bytes).expect("write");
    let size = bytes.len() as u64;
    drop(text);

    let mut table = Table::open(&path, &ReadOptions::default()).expect("opens");
    assert_eq!(table.encoding(), Some(Encoding::Windows1251));
    assert_eq!(table.delimiter(), Some(b';'));
    let start = table.progress();
    assert_eq!(start.total, Some(size));
    // Opening reads only the sample (and a first buffer), not the file.
    assert!(start.done < size / 4, "{start:?}");

    let mut last = start.done;
    let mut count = 0u64;
    let mut advanced = 0u32;
    while let Some(row) = table.next_row() {
        let row = row.expect("every row is well formed");
        assert_eq!(row.line, count + 2);
        if count.is_multiple_of(50_000) {
            assert_eq!(row.values[1], format!("Иванов-{count}"));
            assert_eq!(row.values[3], format!("Алматы; {}", count % 97));
        }
        count += 1;
        let done = table.progress().done;
        assert!(done >= last, "progress went back from {last} to {done}");
        if done > last {
            advanced += 1;
        }
        last = done;
    }
    assert_eq!(count, ROWS);
    assert_eq!(table.progress().done, size);
    // It advanced in many steps, not in one jump at the end.
    assert!(advanced > 10, "advanced {advanced} times");
}
