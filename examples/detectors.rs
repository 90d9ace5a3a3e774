//! The detectors' precision and recall on generated weeks: for each seed,
//! a week of ordinary traffic (people refused a share of their sensitive
//! reads at random) with the six labelled incidents injected, run through
//! `fsaudit anomalies`; prints, per detector, the incidents found at their
//! stated severity, at another severity, and missed, and the findings above
//! `low` about anyone else.
//!
//! `cargo run --release --example detectors -- --fsaudit target/release/fsaudit`

use std::io::Write;
use std::process::Command;

use clap::Parser;
use fsaudit::testgen::{GenOptions, Generator, Score};

#[derive(Parser)]
struct Args {
    /// The fsaudit binary to run
    #[arg(long, default_value = "target/release/fsaudit")]
    fsaudit: String,
    /// Seeds to run
    #[arg(long, value_delimiter = ',', default_value = "1,2,3,4,5")]
    seeds: Vec<u64>,
    /// Events per week
    #[arg(long, default_value_t = 200_000)]
    events: usize,
    /// Principals per week (comma-separated: each is run with every seed)
    #[arg(long, value_delimiter = ',', default_value = "500,2000")]
    principals: Vec<usize>,
    /// The share of people's sensitive reads denied at random
    #[arg(long, default_value_t = 0.05)]
    background_denials: f64,
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let dir = tempfile::tempdir()?;
    let mut total = Score::default();
    for &principals in &a.principals {
        for &seed in &a.seeds {
            let opts = GenOptions {
                events: a.events,
                principals,
                seed,
                incidents: true,
                background_denials: a.background_denials,
                ..GenOptions::default()
            };
            let g = Generator::new(opts).all();
            let path = dir.path().join(format!("week-{principals}-{seed}.jsonl"));
            std::fs::File::create(&path)?.write_all(&g.to_bytes())?;
            let out = Command::new(&a.fsaudit).args(["anomalies", "--format", "json", "-q"]).arg(&path).output()?;
            anyhow::ensure!(out.status.success(), "fsaudit failed: {}", String::from_utf8_lossy(&out.stderr));
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout)?;
            let score = Score::of(&g, doc["findings"].as_array().map(Vec::as_slice).unwrap_or_default());
            let verdict = if score.perfect() { "all found, nothing else above low" } else { "NOT PERFECT" };
            eprintln!("{principals} principals, seed {seed}: {verdict}");
            total.add(&score);
        }
    }
    let runs = a.seeds.len() * a.principals.len();
    println!(
        "{runs} generated weeks ({} events, {} principals, seeds {:?}, background denials {})\n",
        a.events,
        a.principals.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and "),
        a.seeds,
        a.background_denials
    );
    println!(
        "| detector | found at stated severity | other severity | missed | false positives above low | related findings |"
    );
    println!("|---|---|---|---|---|---|");
    for (d, c) in &total.by_detector {
        println!(
            "| `{d}` | {} | {} | {} | {} | {} |",
            c.found, c.other_severity, c.missed, c.false_positives, c.related
        );
    }
    Ok(())
}
