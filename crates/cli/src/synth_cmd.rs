//! `qantar synth`: a synthetic population of Kazakhstan and K overlapping
//! victim lists drawn from it, with the truth of who is who. The people and
//! rows come from `qantar_link::synth`, one person at a time, so any size is
//! written in constant memory; the same seed always gives the same files.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use qantar_link::synth::{LIST_COLUMNS, SynthConfig, person, rows};

/// Arguments of `qantar synth`.
#[derive(Debug, clap::Args)]
pub struct SynthArgs {
    /// People in the population.
    #[arg(long, default_value_t = 1000)]
    pub persons: u64,
    /// Number of lists.
    #[arg(long, default_value_t = 2)]
    pub lists: u16,
    /// Seed of the generator (SplitMix64).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Chance that a person appears on any one list.
    #[arg(long, default_value_t = 0.6)]
    pub coverage: f64,
    /// Directory to write population.csv, list_1.csv … list_K.csv and truth.csv into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

fn writer(path: &PathBuf) -> anyhow::Result<csv::Writer<BufWriter<File>>> {
    let f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(csv::Writer::from_writer(BufWriter::with_capacity(
        1 << 20,
        f,
    )))
}

pub fn run(args: &SynthArgs, json: bool) -> anyhow::Result<ExitCode> {
    if args.lists == 0 || args.lists > 100 {
        bail!("--lists {} is out of range; give 1 to 100", args.lists);
    }
    if !(args.coverage > 0.0 && args.coverage <= 1.0) {
        bail!(
            "--coverage {} is out of range; give a share in (0, 1]",
            args.coverage
        );
    }
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let cfg = SynthConfig {
        persons: args.persons,
        lists: args.lists,
        seed: args.seed,
        coverage: args.coverage,
        ..SynthConfig::default()
    };
    let mut population = writer(&args.out.join("population.csv"))?;
    population.write_record([
        "person_id",
        "surname",
        "given",
        "patronymic",
        "sex",
        "birth_date",
        "city",
    ])?;
    let mut truth = writer(&args.out.join("truth.csv"))?;
    truth.write_record(["record_id", "list", "person_id"])?;
    let mut lists = (1..=args.lists)
        .map(|k| {
            let mut w = writer(&args.out.join(format!("list_{k}.csv")))?;
            w.write_record(LIST_COLUMNS)?;
            Ok(w)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut counts = vec![0u64; usize::from(args.lists)];
    for id in 0..args.persons {
        let p = person(&cfg, id);
        population.write_record([
            id.to_string().as_str(),
            &p.surname,
            &p.given,
            &p.patronymic,
            if p.female { "female" } else { "male" },
            &format!(
                "{:04}-{:02}-{:02}",
                p.birth.year,
                p.birth.month.unwrap_or(1),
                p.birth.day.unwrap_or(1)
            ),
            p.city,
        ])?;
        for r in rows(&cfg, &p) {
            let l = usize::from(r.list);
            lists[l].write_record(r.cells())?;
            truth.write_record([r.record_id.as_str(), &(l + 1).to_string(), &id.to_string()])?;
            counts[l] += 1;
        }
    }
    population.flush()?;
    truth.flush()?;
    for w in &mut lists {
        w.flush()?;
    }
    if json {
        println!(
            "{}",
            serde_json::json!({"persons": args.persons, "lists": counts, "seed": args.seed, "out": args.out})
        );
    } else {
        println!(
            "{} persons; list sizes {:?}; files in {}. Link them with: qantar link --input list_1.csv --input list_2.csv --id-column record_id --map full_name=full_name,birth_date=birth_date,age=age,sex=sex,place=city",
            args.persons,
            counts,
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
