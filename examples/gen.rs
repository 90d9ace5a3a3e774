//! Writes realistic feature-store audit traffic with known answers.
//!
//! cargo run --release --example gen -- --events 100000 --shape feast --seed 7 --malformed 3 > week.jsonl

use std::io::{self, BufWriter, Write};

use clap::Parser;
use fsaudit::testgen::{GenOptions, Generator, Shape};

#[derive(Parser)]
#[command(about = "Generate a week of feature-store audit traffic")]
struct Args {
    /// Number of events
    #[arg(long, default_value_t = 10_000)]
    events: usize,
    /// Schema to write
    #[arg(long, value_enum, default_value_t = Shape::Feast)]
    shape: Shape,
    /// Random seed (same seed, same output)
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Malformed lines to mix in
    #[arg(long, default_value_t = 0)]
    malformed: usize,
    /// Number of principals
    #[arg(long, default_value_t = 60)]
    principals: usize,
    /// Days of traffic
    #[arg(long, default_value_t = 7)]
    days: u32,
    /// Inject six labelled incidents: a brute force, a probe of sensitive views, a one-hour spike, a
    /// shared credential, a contractor at night and a failing push job
    #[arg(long)]
    incidents: bool,
    /// With --incidents, write the labels (one JSON object per finding the detectors must make) to FILE
    #[arg(long, value_name = "FILE")]
    labels: Option<std::path::PathBuf>,
    /// Give every entry an integrity chain (checksum, previousLogHash)
    #[arg(long)]
    chain: bool,
    /// People read sensitive views in short sessions and are denied this share of those reads, at random
    #[arg(long, value_name = "RATIO", default_value_t = 0.0)]
    background_denials: f64,
}

fn main() -> io::Result<()> {
    let a = Args::parse();
    let mut generator = Generator::new(GenOptions {
        events: a.events,
        shape: a.shape,
        seed: a.seed,
        malformed: a.malformed,
        principals: a.principals,
        days: a.days,
        incidents: a.incidents,
        chain: a.chain,
        background_denials: a.background_denials,
        ..GenOptions::default()
    });
    if let Some(path) = &a.labels {
        let mut f = BufWriter::new(std::fs::File::create(path)?);
        for i in &generator.injected {
            serde_json::to_writer(&mut f, i)?;
            f.write_all(b"\n")?;
        }
        f.flush()?;
    }
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    while let Some(line) = generator.next() {
        let r = match line {
            Ok((_, text)) => out.write_all(text.as_bytes()),
            Err(bad) => out.write_all(&bad),
        };
        match r.and_then(|_| out.write_all(b"\n")) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            other => other?,
        }
    }
    out.flush()
}
