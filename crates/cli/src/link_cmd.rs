//! `qantar link` on plain files: which rows of one or two CSV lists are the
//! same person.
//!
//! With one `--input` the list is deduplicated; with two, the first is
//! linked to the second (pairs across the lists only, unless
//! `--dedupe-too`). Columns are mapped to the linkage fields with `--map`,
//! the same field names `import` uses. Rows are read one at a time and
//! turned into compact comparison records at once, so memory grows with the
//! keys, not with the text of the file. The linkage itself is the
//! `qantar-link` crate.
//!
//! `--json` prints `pairs` (every pair of records within a cluster, with its
//! own weight and probability: what the linkage decided, so a pair above the
//! threshold that the chaining guard kept apart is not among them),
//! `clusters` (persons with two or more records) and a `summary`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use qantar_link::{
    BlockingRule, EmOptions, FieldWarning, Guard, LinkConfig, LinkMode, Linker, RecordInput,
    prepare_all,
};
use serde_json::json;

/// Arguments of `qantar link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    /// A CSV list; give it once to deduplicate, twice to link two lists.
    /// Without --input, the archive's list entries and persons are linked.
    #[arg(long = "input", value_name = "FILE", num_args = 1)]
    pub inputs: Vec<PathBuf>,
    /// The column holding each row's identifier (with --input).
    #[arg(long, value_name = "COLUMN", default_value = "")]
    pub id_column: String,
    /// Field=column pairs, comma separated: `given=first_name,surname=last_name`.
    /// Fields: given, surname, patronymic, full_name, birth_date, birth_year,
    /// age, sex, place, address, postcode, id_number, event_date, text:<name>.
    /// Join columns with `+` (`address=street_number+address_1`), or with `>`
    /// for a place hierarchy (`place=region>city`).
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub map: Vec<String>,
    /// Field delimiter (default: sniffed from the header among , ; tab |).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,
    /// Report and cluster pairs with at least this match probability.
    #[arg(long, default_value_t = 0.5)]
    pub threshold: f64,
    /// A blocking rule such as `surname+birth_year`; repeat for several.
    /// Default: rules chosen for the mapped fields.
    #[arg(long = "block", value_name = "RULE")]
    pub blocks: Vec<String>,
    /// With two inputs, also look for duplicates within each list.
    #[arg(long)]
    pub dedupe_too: bool,
    /// Seed of the random sample used to estimate u probabilities.
    #[arg(long, default_value_t = 0x7161_6e74_6172)]
    pub seed: u64,
    /// The year ages are counted at (an age of 37 means born about Y-37).
    #[arg(long, default_value_t = 2022)]
    pub age_as_of: i16,
    /// Turn off term-frequency adjustments.
    #[arg(long)]
    pub no_term_frequencies: bool,
    /// Include each pair's explanation (the comparisons and their weights).
    #[arg(long)]
    pub explain: bool,
    /// Include the fitted model (m and u per level) in the output.
    #[arg(long)]
    pub model: bool,
}

/// The fields a column may be mapped to: the same as `import`'s.
const FIELDS: &[&str] = qantar_model::LINKAGE_FIELDS;

/// One field fed by one or more columns.
#[derive(Debug, Clone)]
struct Mapping {
    field: String,
    columns: Vec<String>,
    joiner: &'static str,
}

fn parse_maps(maps: &[String]) -> anyhow::Result<Vec<Mapping>> {
    let mut out: Vec<Mapping> = Vec::new();
    for item in maps.iter().flat_map(|m| m.split(',')) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (field, cols) = item
            .split_once('=')
            .ok_or_else(|| anyhow!("--map item {item:?} has no '='; write field=column"))?;
        let field = field.trim();
        if !FIELDS.contains(&field) && !field.starts_with("text:") {
            bail!(
                "--map: unknown field {field:?}; use one of {}, or text:<name>",
                FIELDS.join(", ")
            );
        }
        if out.iter().any(|m| m.field == field) {
            bail!("--map: field {field:?} is mapped twice; join columns with '+' instead");
        }
        let (joiner, parts): (&str, Vec<&str>) = if cols.contains('>') {
            (" > ", cols.split('>').collect())
        } else {
            (" ", cols.split('+').collect())
        };
        let columns: Vec<String> = parts.iter().map(|c| c.trim().to_string()).collect();
        if columns.iter().any(String::is_empty) {
            bail!("--map: {item:?} names an empty column");
        }
        out.push(Mapping {
            field: field.to_string(),
            columns,
            joiner,
        });
    }
    if out.is_empty() {
        bail!("--map maps no field; give at least a name or a birth date");
    }
    Ok(out)
}

/// The delimiter that splits the header line into the most fields.
fn sniff_delimiter(path: &Path) -> anyhow::Result<u8> {
    let mut f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut buf = vec![0u8; 64 * 1024];
    let n = f.read(&mut buf)?;
    let head = &buf[..n];
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let count = |d: u8| {
        let mut quoted = false;
        line.iter()
            .filter(|&&b| {
                if b == b'"' {
                    quoted = !quoted;
                }
                !quoted && b == d
            })
            .count()
    };
    Ok([b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|&d| (count(d), d == b','))
        .unwrap_or(b','))
}

struct Read1 {
    records: Vec<qantar_link::Record>,
    warnings: Vec<FieldWarning>,
}

/// Read one list, preparing each row as it comes.
fn read_list(
    path: &Path,
    list: u16,
    args: &LinkArgs,
    maps: &[Mapping],
    texts: &[String],
    out: &mut Read1,
) -> anyhow::Result<()> {
    let delimiter = match args.delimiter {
        Some(c) if c.is_ascii() => c as u8,
        Some(c) => bail!("--delimiter {c:?} is not a single-byte character"),
        None => sniff_delimiter(path)?,
    };
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 20, file));
    let headers: Vec<String> = rd
        .headers()
        .with_context(|| format!("reading the header row of {}", path.display()))?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                h
            };
            h.trim().to_string()
        })
        .collect();
    let col = |name: &str| -> anyhow::Result<usize> {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            anyhow!(
                "{}: no column {name:?}; the columns are {}",
                path.display(),
                headers.join(", ")
            )
        })
    };
    let id_col = col(&args.id_column)?;
    let resolved: Vec<(String, Vec<usize>, &str)> = maps
        .iter()
        .map(|m| {
            Ok((
                m.field.clone(),
                m.columns
                    .iter()
                    .map(|c| col(c))
                    .collect::<anyhow::Result<_>>()?,
                m.joiner,
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    // Rows are prepared in batches on all cores; a batch's text is the
    // only text held at once.
    const BATCH: usize = 16_384;
    let mut batch: Vec<RecordInput> = Vec::with_capacity(BATCH);
    let mut row = csv::StringRecord::new();
    let mut line = 1u64;
    while rd
        .read_record(&mut row)
        .with_context(|| format!("{}: reading row {}", path.display(), line + 1))?
    {
        line += 1;
        let cell = |i: usize| row.get(i).map(str::trim).unwrap_or("");
        let mut input = RecordInput {
            id: cell(id_col).to_string(),
            list,
            texts: vec![None; texts.len()],
            ..RecordInput::default()
        };
        if input.id.is_empty() {
            bail!(
                "{}: row {line} has an empty {:?}; every row needs an identifier",
                path.display(),
                args.id_column
            );
        }
        for (field, cols, joiner) in &resolved {
            let parts: Vec<&str> = cols
                .iter()
                .map(|&c| cell(c))
                .filter(|v| !v.is_empty())
                .collect();
            if parts.is_empty() {
                continue;
            }
            let v = Some(parts.join(joiner));
            if !input.set(field, v.clone())
                && let Some(i) = texts
                    .iter()
                    .position(|n| Some(n.as_str()) == field.strip_prefix("text:"))
            {
                input.texts[i] = v;
            }
        }
        batch.push(input);
        if batch.len() == BATCH {
            out.records
                .extend(prepare_all(&batch, args.age_as_of, &mut out.warnings));
            batch.clear();
        }
    }
    out.records
        .extend(prepare_all(&batch, args.age_as_of, &mut out.warnings));
    Ok(())
}

/// Bad input: print the error and exit 2, as other commands do.
fn input_error(e: anyhow::Error, json: bool) -> ExitCode {
    if json {
        println!("{}", json!({ "ok": false, "error": format!("{e:#}") }));
    }
    eprintln!("error: {e:#}");
    ExitCode::from(2)
}

pub fn run(args: &LinkArgs, json: bool) -> anyhow::Result<ExitCode> {
    if args.id_column.is_empty() || args.map.is_empty() {
        return Ok(input_error(
            anyhow!("linking files needs --id-column <COLUMN> and --map field=column,…"),
            json,
        ));
    }
    if args.inputs.len() > 2 {
        return Ok(input_error(
            anyhow!(
                "give one --input to deduplicate or two to link; got {}",
                args.inputs.len()
            ),
            json,
        ));
    }
    let maps = match parse_maps(&args.map) {
        Ok(m) => m,
        Err(e) => return Ok(input_error(e, json)),
    };
    let rules = match args
        .blocks
        .iter()
        .map(|b| b.parse::<BlockingRule>())
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(r) => r,
        Err(e) => return Ok(input_error(e.into(), json)),
    };
    let texts: Vec<String> = maps
        .iter()
        .filter_map(|m| m.field.strip_prefix("text:").map(str::to_string))
        .collect();
    let mut read = Read1 {
        records: Vec::new(),
        warnings: Vec::new(),
    };
    for (list, path) in args.inputs.iter().enumerate() {
        if let Err(e) = read_list(path, list as u16, args, &maps, &texts, &mut read) {
            return Ok(input_error(e, json));
        }
    }
    let mode = match (args.inputs.len(), args.dedupe_too) {
        (1, _) => LinkMode::Dedupe,
        (_, false) => LinkMode::LinkOnly,
        (_, true) => LinkMode::LinkAndDedupe,
    };
    let config = LinkConfig {
        mode,
        rules: (!rules.is_empty()).then_some(rules),
        threshold: args.threshold,
        seed: args.seed,
        term_frequencies: !args.no_term_frequencies,
        text_fields: texts,
        em: EmOptions::default(),
        guard: Guard::default(),
        ..LinkConfig::default()
    };
    let linker = match Linker::new(read.records, config) {
        Ok(l) => l,
        Err(e) => return Ok(input_error(e.into(), json)),
    };
    let result = linker.run();
    let recs = linker.records();
    let id = |i: u32| &*recs[i as usize].id;

    // The pairs reported are the clusters' pairs: what the linkage decided,
    // not every pair that scored above the threshold on its own.
    let pairs = linker.cluster_pairs(&result);
    let stdout = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
    if json {
        // Written by hand, pair by pair, so that millions of pairs need no
        // second copy in memory.
        write!(w, "{{\"pairs\": [")?;
        for (n, p) in pairs.iter().enumerate() {
            let mut v = json!({
                "left": id(p.left),
                "right": id(p.right),
                "weight": (p.weight * 1e4).round() / 1e4,
                "probability": p.probability,
            });
            if args.explain
                && let Some(e) = linker.explain(&result.model, p.left as usize, p.right as usize)
            {
                v["explanation"] = serde_json::to_value(e)?;
            }
            if n > 0 {
                w.write_all(b",")?;
            }
            w.write_all(b"\n  ")?;
            serde_json::to_writer(&mut w, &v)?;
        }
        write!(w, "\n], \"clusters\": [")?;
        for (n, c) in result.clusters.iter().enumerate() {
            if n > 0 {
                w.write_all(b",")?;
            }
            w.write_all(b"\n  ")?;
            let ids: Vec<&str> = c.iter().map(|&i| id(i)).collect();
            serde_json::to_writer(&mut w, &ids)?;
        }
        write!(w, "\n]")?;
        let summary = json!({
            "records": recs.len(),
            "candidate_pairs": result.candidate_pairs,
            "pairs_above_threshold": result.pairs.len(),
            "guard_refusals": result.guard_refusals,
            "em_iterations": result.model.iterations,
            "em_converged": result.model.converged,
            "lambda": result.model.lambda,
            "prior": result.model.prior,
            "seed": result.model.seed,
            "rng": result.model.rng,
            "warnings": read.warnings.len(),
            "blocking": result.blocking,
        });
        write!(w, ", \"summary\": ")?;
        serde_json::to_writer(&mut w, &summary)?;
        if args.model {
            write!(w, ", \"model\": ")?;
            serde_json::to_writer(&mut w, &result.model)?;
        }
        if !read.warnings.is_empty() {
            write!(w, ", \"warnings\": ")?;
            serde_json::to_writer(&mut w, &read.warnings.iter().take(1000).collect::<Vec<_>>())?;
        }
        writeln!(w, "}}")?;
    } else {
        let in_clusters: usize = result.clusters.iter().map(Vec::len).sum();
        writeln!(
            w,
            "{} records, {} pairs compared, {} matched pairs (probability >= {}), {} persons with more than one record ({} records); the rest are alone.",
            recs.len(),
            result.candidate_pairs,
            result.pairs.len(),
            args.threshold,
            result.clusters.len(),
            in_clusters
        )?;
        writeln!(
            w,
            "EM: {} iterations{}, share of matches among compared pairs {:.4}; seed {}.",
            result.model.iterations,
            if result.model.converged {
                ""
            } else {
                " (not converged)"
            },
            result.model.lambda,
            result.model.seed
        )?;
        if result.guard_refusals > 0 {
            writeln!(
                w,
                "The chaining guard kept {} pairs of clusters apart.",
                result.guard_refusals
            )?;
        }
        let mut per_field: HashMap<&str, usize> = HashMap::new();
        for wn in &read.warnings {
            *per_field.entry(wn.field).or_default() += 1;
        }
        let mut fields: Vec<_> = per_field.into_iter().collect();
        fields.sort();
        for (f, n) in fields {
            writeln!(
                w,
                "warning: {n} values of {f} could not be read and were left out."
            )?;
        }
        for c in result.clusters.iter().take(20) {
            let ids: Vec<&str> = c.iter().map(|&i| id(i)).collect();
            writeln!(w, "  {}", ids.join(" = "))?;
        }
        if result.clusters.len() > 20 {
            writeln!(w, "  … use --json for all of them.")?;
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
