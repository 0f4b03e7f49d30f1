//! Associated data: what each ciphertext is bound to.
//!
//! Every AEAD call in this crate authenticates a context string built here:
//! the domain `qantar-seal-v1`, a label saying what is encrypted (`payload`,
//! `data-key`, `grant`, `backup`), then the identifiers it belongs to. Each
//! part is prefixed with its length (u64 big-endian), so no two different
//! lists of parts give the same bytes (`("ab","c")` ≠ `("a","bc")`), and a
//! data key can never pass for a payload or a grant.

/// Domain separator for every context in this crate (format version 1).
pub const DOMAIN: &str = "qantar-seal-v1";

/// Length-prefixed, domain-separated context bytes.
pub(crate) struct Context(Vec<u8>);

impl Context {
    pub(crate) fn new(label: &str) -> Self {
        let mut ctx = Self(Vec::with_capacity(96));
        ctx.bytes(DOMAIN.as_bytes());
        ctx.bytes(label.as_bytes());
        ctx
    }

    pub(crate) fn bytes(&mut self, part: &[u8]) -> &mut Self {
        // usize → u64 never truncates on the platforms Rust supports.
        self.0.extend_from_slice(&(part.len() as u64).to_be_bytes());
        self.0.extend_from_slice(part);
        self
    }

    pub(crate) fn text(&mut self, part: &str) -> &mut Self {
        self.bytes(part.as_bytes())
    }

    pub(crate) fn number(&mut self, n: u64) -> &mut Self {
        self.0.extend_from_slice(&n.to_be_bytes());
        self
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.0
    }
}

/// Where a sealed payload belongs: record, field (a path such as
/// `identity.name`) and record version. The caller builds it from the entry
/// it is reading, never from the sealed value itself, so a ciphertext copied
/// to another record, field or version fails to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aad<'a> {
    pub record_id: &'a str,
    pub field: &'a str,
    pub version: u64,
}

impl<'a> Aad<'a> {
    pub fn new(record_id: &'a str, field: &'a str, version: u64) -> Self {
        Self {
            record_id,
            field,
            version,
        }
    }

    /// The canonical bytes authenticated with the payload.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut ctx = Context::new("payload");
        ctx.text(self.record_id)
            .text(self.field)
            .number(self.version);
        ctx.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_unambiguous() {
        assert_ne!(
            Aad::new("ab", "c", 1).to_bytes(),
            Aad::new("a", "bc", 1).to_bytes()
        );
        assert_ne!(
            Aad::new("a", "b", 1).to_bytes(),
            Aad::new("a", "b", 2).to_bytes()
        );
    }

    #[test]
    fn layout_is_domain_label_then_parts() {
        let bytes = Aad::new("r", "f", 7).to_bytes();
        let mut expected = Vec::new();
        for part in [DOMAIN.as_bytes(), b"payload", b"r", b"f"] {
            expected.extend_from_slice(&(part.len() as u64).to_be_bytes());
            expected.extend_from_slice(part);
        }
        expected.extend_from_slice(&7u64.to_be_bytes());
        assert_eq!(bytes, expected);
    }
}
