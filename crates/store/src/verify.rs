//! Checking an archive from its bytes up.
//!
//! Plain verification re-reads every entry, checks that the sequence has no
//! gaps and that each entry's bytes are canonical and carry their own
//! position, recomputes every leaf and every stored tree node, and checks
//! every signed checkpoint: its signature, its origin, and that its root is
//! the root of the recomputed tree at its size. Any change to an entry that a
//! checkpoint covers therefore fails. Full verification also replays the
//! ledger into a scratch projection and compares digests with the live one.

use std::collections::HashMap;

use qantar_ledger::{Checkpoint, Entry, Frontier, Hash, NoteVerifier, leaf_hash, open_note};
use serde::Serialize;

use crate::db::{Db, Val};
use crate::{Store, StoreError, projection_digest, replay, schema};

/// One fault, located as precisely as we can.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// The first ledger entry at fault, when the fault is in an entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    pub what: String,
}

/// The outcome of `verify`.
#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub entries: u64,
    /// Hex root of the recomputed tree.
    pub root: String,
    pub checkpoints: u64,
    pub latest_checkpoint: Option<u64>,
    pub full: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replayed_digest: Option<String>,
    pub problems: Vec<Problem>,
}

/// At most this many problems are listed; the first is what matters.
const MAX_PROBLEMS: usize = 20;

impl Store {
    /// Verify the ledger (and with `full`, the projection). Never fails on a
    /// damaged archive: damage is reported in the [`VerifyReport`].
    pub fn verify(
        &self,
        verifier: &NoteVerifier,
        origin: &str,
        full: bool,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<VerifyReport, StoreError> {
        let db = self.db();
        let mut problems: Vec<Problem> = Vec::new();
        let mut problem = |seq: Option<u64>, what: String| {
            if problems.len() < MAX_PROBLEMS {
                problems.push(Problem { seq, what });
            }
        };

        // Checkpoints first, so the entry scan can compare roots as it goes.
        let mut wanted: HashMap<u64, Hash> = HashMap::new();
        let mut checkpoint_count = 0u64;
        let mut latest = None;
        {
            db.for_each("SELECT tree_size, root, note FROM checkpoints ORDER BY tree_size", &[], |r| {
                checkpoint_count += 1;
                let size = r.u64(0)?;
                let note = r.text(2)?;
                latest = Some(size);
                let opened = match open_note(&note, std::slice::from_ref(verifier)) {
                    Ok(o) => o,
                    Err(e) => {
                        problem(
                            None,
                            format!(
                                "checkpoint of size {size}: the signature does not verify: {e}"
                            ),
                        );
                        return Ok(());
                    }
                };
                match Checkpoint::parse(&opened.text) {
                    Ok(c) if c.size != size => problem(
                        None,
                        format!(
                            "checkpoint stored as size {size} is signed for size {}",
                            c.size
                        ),
                    ),
                    Ok(c) if c.origin != origin => problem(
                        None,
                        format!(
                            "checkpoint of size {size} is for log {:?}, not this archive ({origin:?})",
                            c.origin
                        ),
                    ),
                    Ok(c) => {
                        wanted.insert(size, c.root);
                    }
                    Err(e) => problem(
                        None,
                        format!("checkpoint of size {size} cannot be read: {e}"),
                    ),
                }
                Ok(())
            })?;
        }

        // One pass over the entries: sequence, canonical bytes, leaves, tree.
        let total = self.size()?;
        let mut frontier = Frontier::new();
        let mut computed: Vec<Vec<Hash>> = Vec::new();
        let mut first_bad_leaf: Option<u64> = None;
        if let Some(root) = wanted.get(&0)
            && *root != frontier.root()
        {
            problem(
                None,
                "the checkpoint of the empty log has a wrong root".into(),
            );
        }
        {
            // The stored leaf hash comes along only to say *which* entry
            // changed; what decides PASS or FAIL is the signed roots.
            let mut expected = 0u64;
            let mut last_good_checkpoint = 0u64;
            db.for_each(
                "SELECT e.seq, e.bytes, n.hash FROM ledger_entries e
                   LEFT JOIN merkle_nodes n ON n.level = 0 AND n.idx = e.seq ORDER BY e.seq",
                &[],
                |r| {
                let seq = r.u64(0)?;
                let bytes = r.blob(1)?;
                let stored_leaf = r.opt_blob(2)?;
                let leaf = leaf_hash(bytes);
                if stored_leaf != Some(&leaf[..]) && first_bad_leaf.is_none() {
                    first_bad_leaf = Some(seq);
                }
                if seq != expected {
                    problem(
                        Some(expected),
                        format!(
                            "entries {expected}..{} are missing (deleted from the ledger)",
                            seq - 1
                        ),
                    );
                    first_bad_leaf.get_or_insert(expected);
                }
                // Only a changed leaf needs reading: the signed roots decide
                // PASS or FAIL; reading says what kind of change it was.
                if stored_leaf != Some(&leaf[..]) {
                    match Entry::from_canonical_bytes(bytes) {
                        Ok(e) if e.seq != seq => problem(
                            Some(seq),
                            format!(
                                "entry stored at position {seq} says it is entry {}: rows were moved",
                                e.seq
                            ),
                        ),
                        Ok(_) => problem(
                            Some(seq),
                            format!(
                                "entry {seq} was changed: its hash is not the one recorded when it was appended"
                            ),
                        ),
                        Err(e) => problem(
                            Some(seq),
                            format!("entry {seq} is not a valid canonical entry: {e}"),
                        ),
                    }
                }
                frontier.push(leaf, |level, idx, hash| {
                    let level = level as usize;
                    if computed.len() <= level {
                        computed.resize(level + 1, Vec::new());
                    }
                    debug_assert_eq!(computed[level].len() as u64, idx);
                    computed[level].push(*hash);
                });
                expected = seq + 1;
                if let Some(root) = wanted.get(&expected) {
                    if *root == frontier.root() {
                        last_good_checkpoint = expected;
                    } else {
                        let at = first_bad_leaf
                            .filter(|b| *b >= last_good_checkpoint)
                            .unwrap_or(last_good_checkpoint);
                        problem(
                            Some(at),
                            format!(
                                "the signed checkpoint of size {expected} does not match the entries: entry {at} (or another from {last_good_checkpoint} to {seq}) was changed after signing"
                            ),
                        );
                    }
                }
                if expected.is_multiple_of(65536) {
                    progress("entries", expected, total);
                }
                Ok(())
            })?;
            progress("entries", expected, total);
            if let Some(l) = latest
                && l > expected
            {
                problem(
                    Some(expected),
                    format!(
                        "a checkpoint covers {l} entries but the ledger holds only {expected}: entries were deleted"
                    ),
                );
            }
            if latest != Some(expected) && expected > 0 {
                problem(
                    Some(latest.unwrap_or(0)),
                    format!(
                        "entries {}..{} are not covered by any signed checkpoint (every append signs one: these were added behind qantar's back)",
                        latest.unwrap_or(0),
                        expected - 1
                    ),
                );
            }
        }

        // The stored tree nodes are what proofs are made from: they must
        // match the recomputed tree exactly, with nothing extra.
        {
            let mut seen = 0usize;
            let mut reported = false;
            db.for_each("SELECT level, idx, hash FROM merkle_nodes ORDER BY level, idx", &[], |r| {
                let (level, idx, hash) = (r.int(0)?, r.int(1)?, r.blob(2)?);
                seen += 1;
                let ok = computed
                    .get(level as usize)
                    .and_then(|l| l.get(idx as usize))
                    .is_some_and(|h| h[..] == hash[..]);
                if !ok && !reported {
                    reported = true;
                    let first = (idx as u64) << level;
                    problem(
                        Some(first),
                        format!(
                            "stored tree node {level}/{idx} (covering entries from {first}) does not match the entries"
                        ),
                    );
                }
                Ok(())
            })?;
            let want: usize = computed.iter().map(Vec::len).sum();
            if seen != want && !reported {
                problem(
                    None,
                    format!("the tree has {seen} stored nodes but the entries make {want}"),
                );
            }
        }

        let mut report = VerifyReport {
            ok: false,
            entries: frontier.size(),
            root: hex::encode(frontier.root()),
            checkpoints: checkpoint_count,
            latest_checkpoint: latest,
            full,
            projection_digest: None,
            replayed_digest: None,
            problems: Vec::new(),
        };

        if full {
            let live = projection_digest(db)?;
            // The scratch projection is always in-memory SQLite: the digest
            // covers values, not the backend, so PostgreSQL archives are
            // checked against the same replay.
            let scratch = Db::open_sqlite(rusqlite::Connection::open_in_memory()?)?;
            scratch.batch(schema::projection(scratch.backend()))?;
            let mut p = |n: u64, t: u64| progress("replay", n, t);
            match replay(db, &scratch, total, &mut p) {
                Ok(_) => {
                    let replayed = projection_digest(&scratch)?;
                    if replayed != live {
                        let what = first_projection_difference(db, &scratch)?;
                        problem(what.0, what.1);
                    }
                    report.replayed_digest = Some(replayed);
                }
                Err(StoreError::Corrupt { seq, what }) => {
                    problem(seq, format!("replay failed: {what}"))
                }
                Err(e) => return Err(e),
            }
            report.projection_digest = Some(live);
        }
        report.ok = problems.is_empty();
        // The first entry at fault comes first; faults with no entry after.
        problems.sort_by_key(|p| p.seq.unwrap_or(u64::MAX));
        report.problems = problems;
        Ok(report)
    }
}

/// Name the first projection row that differs between the live and the
/// replayed projection, and the last entry that touched it.
fn first_projection_difference(
    live: &Db,
    scratch: &Db,
) -> Result<(Option<u64>, String), StoreError> {
    let tables = schema::projection_tables(live.backend())
        .into_iter()
        .zip(schema::projection_tables(scratch.backend()));
    for ((table, live_order), (_, scratch_order)) in tables {
        let rows = |db: &Db, order: &str| -> Result<Vec<Vec<Val>>, StoreError> {
            Ok(db
                .query(&format!("SELECT * FROM {table} ORDER BY {order}"), &[])?
                .into_iter()
                .map(|r| r.0)
                .collect())
        };
        let (a, b) = (rows(live, live_order)?, rows(scratch, scratch_order)?);
        let text = |v: &Val| match v {
            Val::Text(t) => t.clone(),
            Val::Int(i) => i.to_string(),
            other => format!("{other:?}"),
        };
        for i in 0..a.len().max(b.len()) {
            match (a.get(i), b.get(i)) {
                (Some(x), Some(y)) if x == y => continue,
                (Some(x), Some(y)) => {
                    let key = text(&x[0]);
                    // The replayed row says which entry last touched it.
                    let seq = match (table, &y[6]) {
                        ("records", Val::Int(s)) => Some(*s as u64),
                        _ => None,
                    };
                    return Ok((
                        seq,
                        format!(
                            "projection table {table}: row {key} differs from what the ledger says (it was edited outside qantar)"
                        ),
                    ));
                }
                (Some(x), None) => {
                    return Ok((
                        None,
                        format!(
                            "projection table {table}: row {} is not in the ledger (it was added outside qantar)",
                            text(&x[0])
                        ),
                    ));
                }
                (None, Some(y)) => {
                    return Ok((
                        None,
                        format!(
                            "projection table {table}: row {} from the ledger is missing (it was deleted outside qantar)",
                            text(&y[0])
                        ),
                    ));
                }
                (None, None) => unreachable!("loop bound is the longer length"),
            }
        }
    }
    Ok((None, "the projection digests differ".into()))
}
