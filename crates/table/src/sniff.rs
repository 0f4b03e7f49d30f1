//! Guessing what the user did not say: the format from the file name and
//! its first bytes, the text encoding, and the CSV delimiter. All of it works
//! on the first [`SAMPLE`] bytes, never on the whole file.

use crate::{Encoding, Format};

/// How much of the start of a file the guesses look at.
pub(crate) const SAMPLE: usize = 64 * 1024;

/// Lines of the sample the delimiter guess looks at.
const DELIMITER_LINES: usize = 20;

/// Candidate delimiters, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The format a file name's extension says, if it says one.
pub(crate) fn format_from_name(name: &str) -> Option<Format> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "tsv" | "tab" | "txt" => Some(Format::Csv),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Some(Format::Xlsx),
        "json" | "jsonl" | "ndjson" => Some(Format::Json),
        _ => None,
    }
}

/// Whether the bytes start like a spreadsheet container: a ZIP archive
/// (xlsx, ods) or an OLE compound file (old xls).
pub(crate) fn is_spreadsheet(sample: &[u8]) -> bool {
    sample.starts_with(b"PK\x03\x04") || sample.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The encoding a byte-order mark announces, and the mark's length.
pub(crate) fn bom(sample: &[u8]) -> Option<(Encoding, usize)> {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some((Encoding::Utf8Bom, 3))
    } else if sample.starts_with(&[0xFF, 0xFE]) {
        Some((Encoding::Utf16Le, 2))
    } else if sample.starts_with(&[0xFE, 0xFF]) {
        Some((Encoding::Utf16Be, 2))
    } else {
        None
    }
}

/// The encoding of a file that starts with `sample` (`complete` when the
/// sample is the whole file).
///
/// A BOM decides first. Without one: UTF-16 is recognised by its zero high
/// bytes in ASCII text; then the sample is either valid UTF-8 (a multi-byte
/// character cut by the sample's end does not count against it) or, failing
/// that, taken as Windows-1251 — what Excel on a Russian-language Windows
/// writes, and the source of most Kazakh lists that are not UTF-8.
pub(crate) fn encoding(sample: &[u8], complete: bool) -> Encoding {
    if let Some((encoding, _)) = bom(sample) {
        return encoding;
    }
    if let Some(encoding) = utf16_without_bom(sample) {
        return encoding;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => Encoding::Utf8,
        // `error_len() == None` means the input ended inside a character.
        Err(e) if e.error_len().is_none() && !complete => Encoding::Utf8,
        Err(_) => Encoding::Windows1251,
    }
}

/// UTF-16 without a BOM shows as a zero byte in every other position
/// wherever the text is ASCII (digits, delimiters, Latin names).
fn utf16_without_bom(sample: &[u8]) -> Option<Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // Text in an 8-bit encoding has no NULs at all, while in UTF-16 every
    // ASCII character (delimiters, line ends, digits) has one on the same
    // side; Cyrillic text has almost none on the other side. So a few
    // percent of zeros, nearly all on one side, is already conclusive.
    if odd_zero * 20 >= pairs && even_zero * 10 <= odd_zero {
        Some(Encoding::Utf16Le)
    } else if even_zero * 20 >= pairs && odd_zero * 10 <= even_zero {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The delimiter of CSV text: the candidate that gives the same field count
/// (of at least two) on the most of the first lines, quotes respected.
/// `complete` says whether `text` is the whole file; if not, its last line
/// may be cut short and is not counted. A tie, or no candidate splitting
/// any line, gives `,`.
pub(crate) fn delimiter(text: &str, complete: bool) -> u8 {
    let mut best = (0usize, b',');
    for candidate in DELIMITERS {
        let score = delimiter_score(text, candidate, complete);
        if score > best.0 {
            best = (score, candidate);
        }
    }
    best.1
}

fn delimiter_score(text: &str, delimiter: u8, complete: bool) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut counts = Vec::new();
    let mut record = csv::ByteRecord::new();
    while counts.len() < DELIMITER_LINES + 1 {
        match reader.read_byte_record(&mut record) {
            Ok(true) => counts.push(record.len()),
            Ok(false) | Err(_) => break,
        }
    }
    // Without the whole file, the last record read may have been cut by the
    // sample boundary; with more than DELIMITER_LINES read, it is surplus.
    if !complete || counts.len() > DELIMITER_LINES {
        counts.pop();
    }
    let mut tally: Vec<(usize, usize)> = Vec::new();
    for &count in counts.iter().filter(|&&c| c >= 2) {
        match tally.iter_mut().find(|(c, _)| *c == count) {
            Some((_, n)) => *n += 1,
            None => tally.push((count, 1)),
        }
    }
    tally.iter().map(|&(_, n)| n).max().unwrap_or(0)
}

/// The longest prefix of `sample` that does not end inside a UTF-8
/// character, so a sample cut at a fixed size can be decoded cleanly.
pub(crate) fn utf8_boundary(sample: &[u8]) -> usize {
    match std::str::from_utf8(sample) {
        Ok(_) => sample.len(),
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        Err(_) => sample.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(format_from_name("list.CSV"), Some(Format::Csv));
        assert_eq!(format_from_name("a.b.tsv"), Some(Format::Csv));
        assert_eq!(format_from_name("dead.xlsx"), Some(Format::Xlsx));
        assert_eq!(format_from_name("x.jsonl"), Some(Format::Json));
        assert_eq!(format_from_name("README"), None);
        assert_eq!(format_from_name("photo.jpeg"), None);
    }

    #[test]
    fn encoding_guesses() {
        assert_eq!(encoding(b"\xEF\xBB\xBFa,b", true), Encoding::Utf8Bom);
        assert_eq!(encoding(b"\xFF\xFEa\0", true), Encoding::Utf16Le);
        assert_eq!(encoding(b"\xFE\xFF\0a", true), Encoding::Utf16Be);
        assert_eq!(encoding("Әлия;Қасым".as_bytes(), true), Encoding::Utf8);
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Иванов;Пётр");
        assert_eq!(encoding(&cp1251, true), Encoding::Windows1251);
        let le: Vec<u8> = "name,age\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(encoding(&le, true), Encoding::Utf16Le);
        let be: Vec<u8> = "name,age\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(encoding(&be, true), Encoding::Utf16Be);
    }

    #[test]
    fn a_character_cut_by_the_sample_end_is_still_utf8() {
        let text = "Жанна".as_bytes();
        let cut = &text[..text.len() - 1];
        assert_eq!(encoding(cut, false), Encoding::Utf8);
        // ... but the same bytes as a whole file are not UTF-8.
        assert_eq!(encoding(cut, true), Encoding::Windows1251);
        assert_eq!(utf8_boundary(cut), text.len() - 2);
    }

    #[test]
    fn delimiter_guesses() {
        assert_eq!(delimiter("a;b;c\n1;2;3\n4;5;6\n", true), b';');
        assert_eq!(delimiter("a\tb\n1\t2\n", true), b'\t');
        assert_eq!(delimiter("a|b|c\n1|2|3\n", true), b'|');
        assert_eq!(delimiter("a,b\n1,2\n", true), b',');
        // Commas inside quoted fields do not count.
        let quoted = "\"Иванов, Пётр\";1990\n\"Ли, Анна\";1985\n\"Ким, Олег\";1970\n";
        assert_eq!(delimiter(quoted, true), b';');
        // Decimal commas in a `;` file: `;` is consistent, `,` is not.
        let decimals = "name;weight\nA;70,5\nB;80\nC;65,2\nD;90\n";
        assert_eq!(delimiter(decimals, true), b';');
        // One column: nothing splits, so the default.
        assert_eq!(delimiter("name\nAli\n", true), b',');
        // A tie goes to the comma.
        assert_eq!(delimiter("a,b;c\n", true), b',');
    }
}
