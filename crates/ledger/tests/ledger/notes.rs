//! Signed notes and checkpoints made by this crate: round trips and tampering.

use qantar_ledger::{
    Checkpoint, CheckpointError, NoteError, NoteSigner, NoteVerifier, leaf_hash, open_note,
};

fn signer(name: &str, byte: u8) -> NoteSigner {
    NoteSigner::from_seed(name, [byte; 32]).expect("valid key name")
}

fn checkpoint() -> Checkpoint {
    Checkpoint {
        origin: "qantar.example/kz-2022".into(),
        size: 1_000_003,
        root: leaf_hash(b"some root"),
        extensions: vec![],
    }
}

#[test]
fn keys_round_trip_through_text() {
    let s = signer("qantar.example/kz-2022", 9);
    let again = NoteSigner::parse(&s.to_private_text()).expect("own private text parses");
    assert_eq!(again.to_private_text(), s.to_private_text());
    assert_eq!(again.verifier(), s.verifier());
    let v = NoteVerifier::parse(&s.verifier().to_text()).expect("own public text parses");
    assert_eq!(v, s.verifier());
    assert_eq!(v.name(), "qantar.example/kz-2022");
    assert_eq!(v.key_id(), s.key_id());
    // A trailing newline (as in a key file) is tolerated.
    assert_eq!(
        NoteVerifier::parse(&format!("{}\n", v.to_text())),
        Ok(v.clone())
    );
    // Keys in the wrong slot are refused with a useful error.
    assert!(matches!(
        NoteVerifier::parse(&s.to_private_text()),
        Err(NoteError::KeyFormat { kind: "public", .. })
    ));
    assert!(matches!(
        NoteSigner::parse(&v.to_text()),
        Err(NoteError::KeyFormat {
            kind: "private",
            ..
        })
    ));
}

#[test]
fn private_key_errors_do_not_leak_the_seed() {
    let s = signer("k", 3);
    let text = s.to_private_text();
    let material = text.rsplit('+').next().expect("has parts").to_string();
    let tampered = text.replacen("PRIVATE+KEY+k+", "PRIVATE+KEY+j+", 1);
    let err = NoteSigner::parse(&tampered).expect_err("name changed, id no longer matches");
    assert!(matches!(err, NoteError::KeyIdMismatch { .. }));
    assert!(!err.to_string().contains(&material));
}

#[test]
fn checkpoint_sign_open_round_trip() {
    let s = signer("qantar.example/kz-2022", 1);
    let cp = checkpoint();
    let note = cp.sign(&s).expect("valid checkpoint");
    assert!(note.starts_with(&cp.to_text()));
    assert_eq!(Checkpoint::open(&note, &[s.verifier()]), Ok(cp.clone()));
    let opened = open_note(&note, &[s.verifier()]).expect("opens");
    assert_eq!(opened.text, cp.to_text());
    assert_eq!(opened.verified_by, vec![s.name().to_string()]);
    assert_eq!(Checkpoint::parse(&opened.text), Ok(cp));
}

#[test]
fn wrong_or_missing_keys_are_refused() {
    let s = signer("log", 1);
    let note = checkpoint().sign(&s).expect("valid");
    // Same name, different key: different key id, so the line is "unknown".
    let impostor = signer("log", 2).verifier();
    assert!(matches!(
        open_note(&note, std::slice::from_ref(&impostor)),
        Err(NoteError::NoVerifiedSignature { .. })
    ));
    assert!(matches!(
        open_note(&note, &[]),
        Err(NoteError::NoVerifiedSignature { .. })
    ));
    // A stranger's extra signature is ignored; ours still counts.
    let witness = signer("witness.example", 5);
    let cosigned = format!("{note}{}", witness.signature_line(&checkpoint().to_text()));
    let opened = open_note(&cosigned, &[s.verifier()]).expect("unknown cosigner ignored");
    assert_eq!(opened.verified_by, vec!["log".to_string()]);
    let both = open_note(&cosigned, &[s.verifier(), witness.verifier()]).expect("both verify");
    assert_eq!(
        both.verified_by,
        vec!["log".to_string(), "witness.example".to_string()]
    );
    // A known cosigner whose signature is over other text rejects the note.
    let bad_cosign = format!("{note}{}", witness.signature_line("other text\n"));
    assert!(matches!(
        open_note(&bad_cosign, &[s.verifier(), witness.verifier()]),
        Err(NoteError::BadSignature { .. })
    ));
}

#[test]
fn too_many_signature_lines_are_refused() {
    let s = signer("log", 1);
    let text = checkpoint().to_text();
    let mut note = s.sign(&text).expect("valid");
    let line = signer("other", 2).signature_line(&text);
    for _ in 0..qantar_ledger::note::MAX_SIGNATURES {
        note.push_str(&line);
    }
    assert!(matches!(
        open_note(&note, &[s.verifier()]),
        Err(NoteError::TooManySignatures { .. })
    ));
}

/// Any single-byte change anywhere in a signed checkpoint, text or signature,
/// must make it fail to open (or fail to parse as a checkpoint).
#[test]
fn every_single_byte_change_is_detected() {
    let s = signer("qantar.example/kz-2022", 4);
    let mut cp = checkpoint();
    cp.extensions.push("extension-line".into());
    let note = cp.sign(&s).expect("valid");
    let verifiers = [s.verifier()];
    assert!(Checkpoint::open(&note, &verifiers).is_ok());
    let bytes = note.as_bytes();
    let mut tried = 0;
    for i in 0..bytes.len() {
        for change in [0x01u8, 0x20, 0x80] {
            let mut mangled = bytes.to_vec();
            mangled[i] ^= change;
            let Ok(text) = String::from_utf8(mangled) else {
                continue; // not even text: nothing could open it
            };
            let result: Result<Checkpoint, CheckpointError> = Checkpoint::open(&text, &verifiers);
            assert!(
                result.is_err(),
                "byte {i} ^ {change:#04x} accepted: {text:?}"
            );
            tried += 1;
        }
        for replacement in [b'A', b'\n', b' ', b'0'] {
            if bytes[i] == replacement {
                continue;
            }
            let mut mangled = bytes.to_vec();
            mangled[i] = replacement;
            if let Ok(text) = String::from_utf8(mangled) {
                assert!(
                    Checkpoint::open(&text, &verifiers).is_err(),
                    "byte {i} -> {replacement:#04x} accepted: {text:?}"
                );
                tried += 1;
            }
        }
    }
    assert!(tried > bytes.len() * 3, "only {tried} changes tried");
    // Removing or inserting a byte is caught too.
    for i in 0..bytes.len() {
        let mut shorter = bytes.to_vec();
        shorter.remove(i);
        if let Ok(text) = String::from_utf8(shorter) {
            assert!(
                Checkpoint::open(&text, &verifiers).is_err(),
                "byte {i} removed"
            );
        }
    }
}

#[test]
fn malformed_notes_name_the_problem() {
    let s = signer("log", 1);
    let note = s.sign("hello\n").expect("valid");
    let v = [s.verifier()];
    for (bad, what) in [
        (note.trim_end().to_string(), "no final newline"),
        (note.replacen("\n\n", "\n", 1), "no blank line"),
        (note.replacen('\u{2014}', "-", 1), "hyphen for em dash"),
        (format!("{note}\n"), "blank line after signatures"),
        (note.replacen("hello", "hel\tlo", 1), "tab in text"),
        (format!("{note}— log\n"), "line without signature"),
        (format!("{note}— log AAAA\n"), "signature too short"),
        (note.replacen("— log ", "— log  ", 1), "double space"),
    ] {
        assert!(open_note(&bad, &v).is_err(), "{what}: accepted {bad:?}");
    }
}
