//! Checkpoints (<https://c2sp.org/tlog-checkpoint>): the signed statement
//! "the log `origin` has `size` leaves and this root".
//!
//! The body is three lines, origin, decimal size and base64 root, optionally
//! followed by extension lines, and it is the text of a signed note. The
//! parser accepts exactly one spelling of each checkpoint (no leading zeros,
//! canonical padded base64 of exactly 32 bytes), so
//! `Checkpoint::parse(t)?.to_text() == t` always holds.
//!
//! A log must never sign two checkpoints of the same size with different
//! roots, or two that are not consistent: either would be proof of a fork.
//! That discipline lives with the signer (the store), not here.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::hash::{Hash, abbreviate};
use crate::note::{NoteError, NoteSigner, NoteVerifier, open_note};

/// A tree head: origin, size and root, plus optional extension lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity, e.g. `qantar.example/kz-2022`: non-empty, no
    /// whitespace, no `+`.
    pub origin: String,
    /// Number of leaves.
    pub size: u64,
    /// RFC 9162 root of those leaves.
    pub root: Hash,
    /// Extra lines after the root (C2SP discourages them; kept for
    /// compatibility). Each must be non-empty.
    pub extensions: Vec<String>,
}

/// Why a checkpoint text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The text does not end with a newline.
    #[error("a checkpoint text must end with a newline")]
    NotTerminated,
    /// Fewer than the three required lines.
    #[error("a checkpoint needs at least 3 lines (origin, size, root hash), found {count}")]
    TooFewLines {
        /// Lines found.
        count: usize,
    },
    /// The origin line breaks the rules.
    #[error("checkpoint origin `{origin}` is not allowed: {reason}")]
    Origin {
        /// The origin as found (shortened).
        origin: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// The size line is not a canonical decimal u64.
    #[error("checkpoint size `{text}` is not valid: {reason}")]
    Size {
        /// The line as found (shortened).
        text: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The root line is not canonical base64 of 32 bytes.
    #[error("checkpoint root hash `{text}` is not valid: {reason}")]
    Root {
        /// The line as found (shortened).
        text: String,
        /// What is wrong.
        reason: String,
    },
    /// An extension line is empty or holds a control character.
    #[error("checkpoint line {line} (an extension line) is not valid: {reason}")]
    Extension {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The signed note around the checkpoint failed.
    #[error(transparent)]
    Note(#[from] NoteError),
}

impl Checkpoint {
    /// The note text, ending in `\n`.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            BASE64.encode(self.root)
        );
        for line in &self.extensions {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Parse a checkpoint body strictly.
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::NotTerminated)?;
        let lines: Vec<&str> = body.split('\n').collect();
        if lines.len() < 3 {
            return Err(CheckpointError::TooFewLines { count: lines.len() });
        }
        check_origin(lines[0])?;
        let size = parse_size(lines[1])?;
        let root = parse_root(lines[2])?;
        let mut extensions = Vec::with_capacity(lines.len() - 3);
        for (i, line) in lines.iter().enumerate().skip(3) {
            if line.is_empty() {
                return Err(CheckpointError::Extension {
                    line: i + 1,
                    reason: "it is empty (a blank line ends the note text)",
                });
            }
            if line.chars().any(char::is_control) {
                return Err(CheckpointError::Extension {
                    line: i + 1,
                    reason: "it contains a control character",
                });
            }
            extensions.push((*line).to_string());
        }
        Ok(Checkpoint {
            origin: lines[0].to_string(),
            size,
            root,
            extensions,
        })
    }

    /// Check the fields and sign the checkpoint, returning the signed note.
    pub fn sign(&self, signer: &NoteSigner) -> Result<String, CheckpointError> {
        // Parsing our own text back applies every rule the verifier will apply.
        Checkpoint::parse(&self.to_text())?;
        Ok(signer.sign(&self.to_text())?)
    }

    /// Open a signed checkpoint note with the trusted keys and parse its body.
    pub fn open(note: &str, verifiers: &[NoteVerifier]) -> Result<Self, CheckpointError> {
        let opened = open_note(note, verifiers)?;
        Checkpoint::parse(&opened.text)
    }
}

fn check_origin(origin: &str) -> Result<(), CheckpointError> {
    let refuse = |reason| {
        Err(CheckpointError::Origin {
            origin: abbreviate(origin),
            reason,
        })
    };
    if origin.is_empty() {
        return refuse("it is empty; use a schema-less URL such as `qantar.example/kz-2022`");
    }
    if origin.chars().any(char::is_whitespace) {
        return refuse("it contains whitespace");
    }
    if origin.contains('+') {
        return refuse("it contains `+`");
    }
    if origin.chars().any(char::is_control) {
        return refuse("it contains a control character");
    }
    Ok(())
}

fn parse_size(line: &str) -> Result<u64, CheckpointError> {
    let refuse = |reason| {
        Err(CheckpointError::Size {
            text: abbreviate(line),
            reason,
        })
    };
    if line.is_empty() {
        return refuse("the line is empty");
    }
    if !line.bytes().all(|b| b.is_ascii_digit()) {
        return refuse("only the digits 0-9 are allowed");
    }
    if line.len() > 1 && line.starts_with('0') {
        return refuse("leading zeros are not allowed");
    }
    match line.parse::<u64>() {
        Ok(size) => Ok(size),
        Err(_) => refuse("it does not fit in 64 bits"),
    }
}

fn parse_root(line: &str) -> Result<Hash, CheckpointError> {
    let bytes = BASE64.decode(line).map_err(|e| CheckpointError::Root {
        text: abbreviate(line),
        reason: format!("not canonical standard base64 ({e})"),
    })?;
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| CheckpointError::Root {
            text: abbreviate(line),
            reason: format!(
                "it decodes to {} bytes; a root hash is 32 bytes",
                bytes.len()
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(size: &str, root: &str) -> String {
        format!("example.com/log\n{size}\n{root}\n")
    }
    const ROOT: &str = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    #[test]
    fn sizes_are_canonical_decimal() {
        assert_eq!(Checkpoint::parse(&body("0", ROOT)).map(|c| c.size), Ok(0));
        assert_eq!(
            Checkpoint::parse(&body("18446744073709551615", ROOT)).map(|c| c.size),
            Ok(u64::MAX)
        );
        for bad in [
            "",
            "01",
            "00",
            "+1",
            "-1",
            "1 ",
            "0x10",
            "18446744073709551616",
            "１",
        ] {
            assert!(
                matches!(
                    Checkpoint::parse(&body(bad, ROOT)),
                    Err(CheckpointError::Size { .. })
                ),
                "size {bad:?} accepted"
            );
        }
    }

    #[test]
    fn roots_are_canonical_base64_of_32_bytes() {
        let no_pad = ROOT.trim_end_matches('=');
        let url_safe = "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=";
        // Same bytes but a non-zero padding bit in the last character.
        let loose_bits = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=";
        let short = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==";
        for bad in [no_pad, url_safe, loose_bits, short, ""] {
            assert!(
                matches!(
                    Checkpoint::parse(&body("1", bad)),
                    Err(CheckpointError::Root { .. })
                ),
                "root {bad:?} accepted"
            );
        }
    }

    #[test]
    fn origins_and_shape_are_checked() {
        for bad in ["", "a b", "a+b", "a\u{a0}b"] {
            let text = format!("{bad}\n1\n{ROOT}\n");
            assert!(
                matches!(
                    Checkpoint::parse(&text),
                    Err(CheckpointError::Origin { .. })
                ),
                "origin {bad:?} accepted"
            );
        }
        assert_eq!(
            Checkpoint::parse("o\n1\n"),
            Err(CheckpointError::TooFewLines { count: 2 })
        );
        assert_eq!(
            Checkpoint::parse(&format!("o\n1\n{ROOT}")),
            Err(CheckpointError::NotTerminated)
        );
        assert!(matches!(
            Checkpoint::parse(&format!("o\n1\n{ROOT}\n\nx\n")),
            Err(CheckpointError::Extension { line: 4, .. })
        ));
        let with_ext = format!("o\n1\n{ROOT}\nwitness-policy v1\n");
        let cp = Checkpoint::parse(&with_ext).expect("extension lines are allowed");
        assert_eq!(cp.extensions, vec!["witness-policy v1".to_string()]);
        assert_eq!(cp.to_text(), with_ext);
    }
}
