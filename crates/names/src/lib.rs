//! Person names across Kazakh Cyrillic, Russian Cyrillic and the Latin
//! transliterations, for documenting who was harmed.
//!
//! The same man appears as Жомарт Байтхан in a Kazakh list, Байтхан Жомарт
//! in a Russian one, Jomart Baitkhan in an English article and "Ж. Байтхан"
//! in a court record; his sister as Ainur Baitkhanova; a Russian news story
//! writes "37-летнего Багдата Оналтаева". Before lists can be reconciled
//! (the `link` crate, Fellegi–Sunter record linkage) each of these has to be
//! brought to something comparable. This crate does that in four steps.
//!
//! 1. [`normalize`] and [`clean`]: combining marks composed (й written as
//!    и + breve), invisible characters removed, one kind of space, dash and
//!    apostrophe, and letters typed in the wrong script repaired word by word
//!    (a Latin "a" or "H" inside a Cyrillic word, a Cyrillic "о" inside a
//!    Latin one).
//! 2. [`transliterate`] with a [`Scheme`]: the 2017, 2018 and 2021 Kazakh
//!    Latin alphabets, BGN/PCGN and ISO 9 for Kazakh, passport and press
//!    practice, and the 28 Russian schemes of the iuliia collection (GOST
//!    7.79 systems A and B, ICAO Doc 9303, BGN/PCGN …). The schemes are data
//!    files in `tables/`, embedded at compile time; `tables/README.md` says
//!    where each value comes from and which are unverified.
//! 3. [`parse`] into a [`ParsedName`]: given name, surname, patronymic,
//!    initials, sex, word order, and the age phrase and Russian case endings
//!    undone.
//! 4. [`keys`] into [`NameKeys`], the scheme-independent match keys (one
//!    folded Latin spelling per part, gender endings removed), and
//!    [`compare`] of two `NameKeys` into a [`NameAgreement`] level plus a
//!    Jaro–Winkler similarity. [`NameKeys::blocking_keys`] gives the keys to
//!    block on, including ones that survive a given name/surname swap.
//!
//! Keys are made once per record and compared many times, so [`Key`] is a
//! 24-byte inline value and [`compare`] allocates nothing.
//!
//! The crate is pure: no files, clock, network or environment. It reads
//! Cyrillic and Latin only; Kazakh in Arabic script gives empty keys. Where
//! two spellings cannot be told apart by any rule (the letter j is ж in
//! Kazakh Latin and й in GOST 7.79), the key reads the word the way the
//! project's sources most often mean it; `src/key.rs` lists these choices.

mod error;
mod inflect;
mod key;
mod lexicon;
mod matching;
mod normalize;
mod parse;
mod translit;

pub use error::NameError;
pub use inflect::Case;
pub use key::{KEY_CAP, Key, key, patronymic_key, surname_key};
pub use matching::{
    BlockKey, BlockingKeys, Comparison, NameAgreement, NameKeys, SIMILAR_THRESHOLD, compare,
    jaro_winkler, keys, keys_of,
};
pub use normalize::{Script, clean, normalize, script_of};
pub use parse::{Gender, NameOrder, ParseOptions, ParsedName, parse, parse_with};
pub use translit::{Scheme, transliterate, transliterate_raw};
