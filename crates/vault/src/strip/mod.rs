//! Metadata stripping for public copies: bytes in, bytes out, no I/O.
//!
//! Every format is handled at the container level (segments, chunks, IFDs,
//! PDF objects, ISO media boxes) and pixels are never re-encoded, so a
//! stripped image decodes to the same pixels as its original. Each stripper
//! keeps an allow-list of what decoding needs and drops everything else,
//! rather than chasing a list of known metadata, so an unfamiliar vendor
//! block is removed by default. The ISO media formats (HEIC, MP4, MOV) are
//! the exception: their sample tables and item locations hold absolute file
//! offsets, so metadata is blanked in place by name and the layout is kept.
//! After stripping, [`scan`] looks at the result with separate detectors and
//! [`strip`] fails with [`StripError::Residual`] if anything is still there.

mod docx;
mod heic;
mod ifd;
mod isobmff;
mod jpeg;
mod mp4;
mod pdf;
mod png;
mod scan;
mod tiff;
mod webp;

use std::fmt;

pub use scan::scan;

/// A file type as recognised from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Jpeg,
    Png,
    WebP,
    /// Classic TIFF, either byte order.
    Tiff,
    Pdf,
    /// Recognised but not strippable: BigTIFF (64-bit offsets).
    BigTiff,
    /// Recognised but not strippable.
    Gif,
    /// HEIC/HEIF/AVIF still images (ISO base media with an image brand).
    Heif,
    /// MP4, MOV, 3GP and other ISO base media files.
    IsoMedia,
    /// ZIP containers other than DOCX: XLSX, ODT, EPUB, plain ZIP archives.
    Zip,
    /// Office Open XML word processing (a ZIP holding `word/document.xml`);
    /// told apart from other ZIPs by [`detect_full`] only.
    Docx,
}

impl MediaType {
    /// The usual MIME type, for messages and HTTP headers.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::WebP => "image/webp",
            MediaType::Tiff | MediaType::BigTiff => "image/tiff",
            MediaType::Pdf => "application/pdf",
            MediaType::Gif => "image/gif",
            MediaType::Heif => "image/heif",
            MediaType::IsoMedia => "video/mp4",
            MediaType::Zip => "application/zip",
            MediaType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// Whether [`strip`] can produce a public copy of this type.
    pub fn is_supported(self) -> bool {
        matches!(
            self,
            MediaType::Jpeg
                | MediaType::Png
                | MediaType::WebP
                | MediaType::Tiff
                | MediaType::Pdf
                | MediaType::Docx
                | MediaType::Heif
                | MediaType::IsoMedia
        )
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            MediaType::Jpeg => "JPEG",
            MediaType::Png => "PNG",
            MediaType::WebP => "WebP",
            MediaType::Tiff => "TIFF",
            MediaType::Pdf => "PDF",
            MediaType::BigTiff => "BigTIFF",
            MediaType::Gif => "GIF",
            MediaType::Heif => "HEIF/HEIC/AVIF",
            MediaType::IsoMedia => "MP4/MOV video",
            MediaType::Zip => "ZIP container (XLSX, ODT, …)",
            MediaType::Docx => "DOCX",
        };
        f.write_str(name)
    }
}

/// Recognises a file from its magic bytes. `None` means unknown.
pub fn detect(bytes: &[u8]) -> Option<MediaType> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(MediaType::Png)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(MediaType::WebP)
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some(MediaType::Tiff)
    } else if starts(b"II+\0") || starts(b"MM\0+") {
        Some(MediaType::BigTiff)
    } else if starts(b"%PDF-") {
        Some(MediaType::Pdf)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(MediaType::Gif)
    } else if bytes.get(4..8) == Some(b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        let image_brands: [&[u8]; 7] = [
            b"heic", b"heix", b"hevc", b"heim", b"mif1", b"msf1", b"avif",
        ];
        if image_brands.contains(&brand) {
            Some(MediaType::Heif)
        } else {
            Some(MediaType::IsoMedia)
        }
    } else if starts(b"PK\x03\x04") {
        Some(MediaType::Zip)
    } else {
        None
    }
}

/// [`detect`], then a look inside a ZIP container for the parts that make
/// it a DOCX. Needs the whole file (a ZIP's directory is at its end).
pub fn detect_full(bytes: &[u8]) -> Option<MediaType> {
    match detect(bytes) {
        Some(MediaType::Zip) if docx::is_docx(bytes) => Some(MediaType::Docx),
        other => other,
    }
}

/// The class of a metadata item, shared by what [`strip`] removed and what
/// [`scan`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaKind {
    /// An EXIF block (TIFF structure inside JPEG APP1, PNG eXIf, WebP EXIF).
    Exif,
    /// GPS position data.
    Gps,
    /// A camera body, lens or device serial number, or a unique image id.
    Serial,
    /// A vendor maker note (often holds serials and settings).
    MakerNote,
    /// A preview or thumbnail image embedded beside the main one.
    Thumbnail,
    /// An XMP packet.
    Xmp,
    /// IPTC or Photoshop image resource blocks.
    Iptc,
    /// Device or author descriptions: make, model, software, artist, owner.
    Device,
    /// Timestamps of capture or edit.
    Timestamp,
    /// Free text: JPEG comments, PNG text chunks, image descriptions.
    Text,
    /// The PDF document information dictionary (`/Info`).
    PdfInfo,
    /// A PDF XMP `/Metadata` stream.
    PdfMetadata,
    /// PDF `/PieceInfo` application private data.
    PdfPieceInfo,
    /// The PDF trailer `/ID`, which ties a copy to the original file.
    PdfId,
    /// Bytes after the end of the image, where vendors hide extra data.
    TrailingData,
    /// Any other block not needed to decode the file.
    Other,
    /// The checker could not parse the bytes, so it could not rule anything out.
    Unparseable,
}

/// One metadata item removed by [`strip`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub kind: MetaKind,
    /// What it was, for a person: `EXIF (APP1, 1,204 bytes)`.
    pub detail: String,
}

impl fmt::Display for Removed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

/// One metadata item that [`scan`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: MetaKind,
    /// Where and what: `JPEG APP1 'Exif' segment at byte 20`.
    pub detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

/// A public copy and what was taken out of it.
#[derive(Debug, Clone)]
pub struct Stripped {
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
    pub removed: Vec<Removed>,
}

#[derive(Debug, thiserror::Error)]
pub enum StripError {
    #[error(
        "cannot strip metadata from {}: the type is not supported; do not publish this file, or convert it to JPEG, PNG, WebP, TIFF, HEIC, MP4, PDF or DOCX first",
        media_type.map_or_else(|| "a file of unknown type".to_owned(), |t| format!("a {t} file"))
    )]
    Unsupported { media_type: Option<MediaType> },

    #[error(
        "the {media_type} file is damaged or not what it claims ({reason}); it cannot be stripped safely, so do not publish it — re-export it from the source application and try again"
    )]
    Malformed {
        media_type: MediaType,
        reason: String,
    },

    #[error("the {media_type} file cannot be stripped: {reason}; do not publish it as it is")]
    Refused {
        media_type: MediaType,
        reason: String,
    },

    #[error(
        "metadata is still present in the stripped {media_type} copy ({}); the copy was not produced — report this file as a bug and do not publish it",
        findings.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>().join("; ")
    )]
    Residual {
        media_type: MediaType,
        findings: Vec<Finding>,
    },
}

/// Produces a public copy of `bytes` with identifying metadata removed.
///
/// The input is never changed. Unknown and unsupported types are refused
/// rather than passed through, so a caller that publishes only what this
/// returns cannot leak a file it did not understand.
pub fn strip(bytes: &[u8]) -> Result<Stripped, StripError> {
    let (media_type, (out, removed)) = match detect_full(bytes) {
        Some(t @ MediaType::Jpeg) => (t, jpeg::strip(bytes)?),
        Some(t @ MediaType::Png) => (t, png::strip(bytes)?),
        Some(t @ MediaType::WebP) => (t, webp::strip(bytes)?),
        Some(t @ MediaType::Tiff) => (t, tiff::strip(bytes)?),
        Some(t @ MediaType::Pdf) => (t, pdf::strip(bytes)?),
        Some(t @ MediaType::Docx) => (t, docx::strip(bytes)?),
        Some(t @ MediaType::Heif) => (t, heic::strip(bytes)?),
        Some(t @ MediaType::IsoMedia) => (t, mp4::strip(bytes)?),
        other => return Err(StripError::Unsupported { media_type: other }),
    };
    let findings = scan(&out);
    if !findings.is_empty() {
        return Err(StripError::Residual {
            media_type,
            findings,
        });
    }
    Ok(Stripped {
        media_type,
        bytes: out,
        removed,
    })
}

type StripResult = Result<(Vec<u8>, Vec<Removed>), StripError>;

fn malformed(media_type: MediaType, reason: impl Into<String>) -> StripError {
    StripError::Malformed {
        media_type,
        reason: reason.into(),
    }
}

/// `1204` → `1,204`, for byte counts in messages.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn detect_recognises_refused_containers() {
        assert_eq!(detect(b"GIF89a...."), Some(MediaType::Gif));
        assert_eq!(detect(b"\0\0\0\x18ftypheic\0\0"), Some(MediaType::Heif));
        assert_eq!(detect(b"\0\0\0\x18ftypisom\0\0"), Some(MediaType::IsoMedia));
        assert_eq!(detect(b"PK\x03\x04rest"), Some(MediaType::Zip));
        assert_eq!(detect(b"II+\0\x08\0\0\0"), Some(MediaType::BigTiff));
        assert_eq!(detect(b"hello"), None);
    }
}
