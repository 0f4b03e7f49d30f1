//! Opening a file: reading its first bytes, settling format, encoding and
//! delimiter, and starting the right reader on the rest.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use crate::csv_source::{CsvSource, Stream};
use crate::decode::Decoded;
use crate::json_source::JsonSource;
use crate::sniff::{self, SAMPLE};
use crate::xlsx_source::XlsxSource;
use crate::{Encoding, Format, ReadOptions, Source, Table, TableError};

/// The start of a file and a reader for the rest.
struct Input {
    name: String,
    sample: Vec<u8>,
    rest: Box<dyn Read + Send>,
    total: Option<u64>,
    /// Whether `sample` is the whole file.
    complete: bool,
}

pub(crate) fn open_path(path: &Path, options: &ReadOptions) -> Result<Table, TableError> {
    let open_error = |source| TableError::Open {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(open_error)?;
    let metadata = file.metadata().map_err(open_error)?;
    if metadata.is_dir() {
        return Err(open_error(std::io::Error::other("it is a directory")));
    }
    let total = Some(metadata.len());
    let mut sample = Vec::with_capacity(SAMPLE);
    (&mut file)
        .take(SAMPLE as u64)
        .read_to_end(&mut sample)
        .map_err(open_error)?;
    let complete = sample.len() < SAMPLE || total == Some(sample.len() as u64);
    read(
        Input {
            name: path.display().to_string(),
            sample,
            rest: Box::new(file),
            total,
            complete,
        },
        options,
    )
}

pub(crate) fn open_bytes(
    name: &str,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<Table, TableError> {
    let n = bytes.len().min(SAMPLE);
    let sample = bytes[..n].to_vec();
    let total = Some(bytes.len() as u64);
    let complete = n == bytes.len();
    let mut rest = Cursor::new(bytes);
    rest.set_position(n as u64);
    read(
        Input {
            name: name.to_string(),
            sample,
            rest: Box::new(rest),
            total,
            complete,
        },
        options,
    )
}

fn read(input: Input, options: &ReadOptions) -> Result<Table, TableError> {
    let Input {
        name,
        sample,
        mut rest,
        total,
        complete,
    } = input;
    if sample.is_empty() {
        return Err(TableError::Empty { name });
    }
    let mut warnings = Vec::new();
    let named = sniff::format_from_name(&name);
    let spreadsheet_bytes = sniff::is_spreadsheet(&sample);

    if options.format == Some(Format::Xlsx) || (options.format.is_none() && spreadsheet_bytes) {
        if options.format.is_none() && named.is_some_and(|f| f != Format::Xlsx) {
            warnings.push(format!(
                "{name} is named like {} but is a spreadsheet; reading it as one",
                named.map_or(String::new(), |f| f.to_string())
            ));
        }
        let mut bytes = sample;
        rest.read_to_end(&mut bytes)
            .map_err(|source| TableError::Read {
                name: name.clone(),
                source,
            })?;
        let (source, headers) = XlsxSource::open(
            &name,
            &bytes,
            options.sheet.as_deref(),
            options.has_header,
            &mut warnings,
        )?;
        return Ok(Table {
            name,
            format: Format::Xlsx,
            encoding: None,
            delimiter: None,
            headers,
            warnings,
            source: Source::Xlsx(source),
        });
    }

    // Text from here on.
    let bom = sniff::bom(&sample);
    let mut encoding = options
        .encoding
        .unwrap_or_else(|| sniff::encoding(&sample, complete));
    let skip = match (encoding, bom) {
        (Encoding::Utf8 | Encoding::Utf8Bom, Some((Encoding::Utf8Bom, n)))
        | (Encoding::Utf16Le, Some((Encoding::Utf16Le, n)))
        | (Encoding::Utf16Be, Some((Encoding::Utf16Be, n))) => n,
        _ => 0,
    };
    if encoding == Encoding::Utf8 && skip > 0 {
        encoding = Encoding::Utf8Bom;
    }
    let text = sample_text(&sample[skip..], encoding, complete);
    let first = text.trim_start().chars().next();
    if first.is_none() {
        return Err(TableError::Empty { name });
    }

    let format = match options.format {
        Some(format) => format,
        None => {
            if named == Some(Format::Xlsx) {
                warnings.push(format!(
                    "{name} is named like a spreadsheet but is text; reading it as text"
                ));
            }
            match named {
                Some(format @ (Format::Csv | Format::Json)) => format,
                _ if matches!(first, Some('[' | '{')) => Format::Json,
                _ if text.contains('\0') => return Err(TableError::UnknownFormat { name }),
                _ => Format::Csv,
            }
        }
    };

    let mut head = Cursor::new(sample);
    head.set_position(skip as u64);
    let chained: Box<dyn Read + Send> = Box::new(head.chain(rest));
    let stream: Stream = Decoded::new(chained, encoding.codec(), skip as u64);

    let (source, headers, delimiter) = match format {
        Format::Json => {
            let (source, headers) = match first {
                Some('[') => JsonSource::open_array(&name, stream, total, &mut warnings)?,
                Some('{') => JsonSource::open_lines(&name, stream, encoding, total, &mut warnings)?,
                _ => {
                    return Err(TableError::Json {
                        name,
                        line: 1,
                        reason: "it starts with neither [ nor {".into(),
                    });
                }
            };
            (Source::Json(source), headers, None)
        }
        Format::Csv | Format::Xlsx => {
            let delimiter = options.delimiter.unwrap_or_else(|| {
                let tab_named = name
                    .rsplit_once('.')
                    .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("tsv"));
                if tab_named {
                    b'\t'
                } else {
                    sniff::delimiter(&text, complete)
                }
            });
            let (source, headers) = CsvSource::open(
                &name,
                stream,
                delimiter,
                encoding,
                options.has_header,
                total,
                &mut warnings,
            )?;
            (Source::Csv(Box::new(source)), headers, Some(delimiter))
        }
    };
    Ok(Table {
        name,
        format: if matches!(source, Source::Json(_)) {
            Format::Json
        } else {
            Format::Csv
        },
        encoding: Some(encoding),
        delimiter,
        headers,
        warnings,
        source,
    })
}

/// The sample as text for guessing, cut so no character is split by the
/// sample's end.
fn sample_text(bytes: &[u8], encoding: Encoding, complete: bool) -> String {
    let end = if complete {
        bytes.len()
    } else {
        match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => sniff::utf8_boundary(bytes),
            // A surrogate pair cut in half decodes to one U+FFFD at the very
            // end, in the last (discarded) line.
            Encoding::Utf16Le | Encoding::Utf16Be => bytes.len() & !1,
            Encoding::Windows1251 => bytes.len(),
        }
    };
    let (text, _) = encoding.codec().decode_without_bom_handling(&bytes[..end]);
    text.into_owned()
}
