//! Runs a parsed command line: config, scan, report, render, exit code.

mod pipes;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::anyhow;

use std::sync::Arc;

use crate::check::CheckAcc;
use crate::check::metric::Metric;
use crate::cli::{
    CheckArgs, Cli, Command, InputArgs, KeygenArgs, ReportWithDetectors, SealArgs, TimelineArgs, VerifyArgs,
};
use crate::config::Config;
use crate::detect::DetectorConfig;
use crate::detect::{DetectAcc, findings};
use crate::engine::{self, Accumulator, ChunkResults, Scan};
use crate::input::{self, Input};
use crate::integrity::chain::check_chunk;
use crate::integrity::keys;
use crate::render::table::Style;
use crate::render::{self, Format};
use crate::report;
use crate::report::anomalies::AnomaliesReport;
use crate::report::check::{CheckReport, Extras};
use crate::report::risk::RiskPolicy;
use crate::report::summary::{SummaryAcc, SummaryReport};
use crate::report::timeline::{TimelineAcc, TimelineReport};
use crate::report::users::{UsersAcc, UsersReport};
use crate::report::verify::{stitch_chains, verify_seals};
use crate::report::views::{ViewsAcc, ViewsReport};

/// Exit codes of DESIGN §2.
pub const EXIT_OK: u8 = 0;
pub const EXIT_NEGATIVE: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// An error the user caused or must fix; printed as one line, exit 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Completions(args) = &cli.command {
        let mut out = stdout();
        write_completions(args.shell, &mut out);
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let cfg = Config::new(&cli.global).map_err(UsageError)?;
    match cli.command {
        Command::Summary(args) => summary(&cfg, &args),
        Command::Users(args) => users(&cfg, &args),
        Command::Anomalies(args) => anomalies(&cfg, &args),
        Command::Check(args) => check(&cfg, &args),
        Command::Verify(args) => verify(&cfg, &args),
        Command::Seal(args) => seal(&cfg, &args),
        Command::Keygen(args) => keygen(&cfg, &args),
        Command::Filter(args) => pipes::filter(&cfg, &args),
        Command::Redact(args) => pipes::redact(&cfg, &args),
        Command::Views(args) => views(&cfg, &args),
        Command::Timeline(args) => timeline(&cfg, &args),
        Command::Completions(_) => unreachable!("handled above"),
    }
}

/// Writes the completion script for `shell`, as `completions/` holds it.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    use clap::CommandFactory;
    clap_complete::generate(shell, &mut Cli::command(), "fsaudit", out);
}

/// A scan and the exit code it calls for.
type ScanCode<A> = (Scan<A>, u8);

/// Inputs of a run, with errors of paths that could not be expanded.
struct Run {
    inputs: Vec<Input>,
    errors: Vec<String>,
}

impl Run {
    fn new(args: &InputArgs, cfg: &Config) -> Run {
        let (inputs, errors) = input::expand(&args.inputs);
        if args.inputs.is_empty() && !cfg.quiet && io::stdin().is_terminal() {
            eprintln!("fsaudit: reading the log from the terminal; pass a file or pipe one in (Ctrl-D ends input)");
        }
        Run { inputs, errors }
    }

    /// Scans, reports malformed lines and unreadable inputs on stderr, and
    /// returns the scan with the exit code it calls for, or the `--strict` error.
    fn scan<A, F>(self, cfg: &Config, make: F) -> anyhow::Result<(Scan<A>, u8)>
    where
        A: Accumulator,
        F: Fn() -> A + Sync,
    {
        self.scan_and_map(cfg, make, |_| ()).map(|(scanned, _)| scanned)
    }

    /// [`Run::scan`], with `per_chunk` applied to every chunk in the same pass.
    fn scan_and_map<A, F, R, G>(
        self,
        cfg: &Config,
        make: F,
        per_chunk: G,
    ) -> anyhow::Result<(ScanCode<A>, ChunkResults<R>)>
    where
        A: Accumulator,
        F: Fn() -> A + Sync,
        R: Send,
        G: Fn(&crate::input::Chunk) -> R + Sync,
    {
        let total = self.inputs.iter().map(Input::size).sum::<Option<u64>>();
        let bar = cfg.progress_bar(total);
        let (mut scan, chunks) =
            engine::scan_and_map(&self.inputs, &cfg.parser, &cfg.filter, &cfg.scan, &bar, make, per_chunk)?;
        bar.finish_and_clear();
        if engine::interrupted() {
            // no report of half the input: main says "interrupted" and exits 130
            return Err(anyhow!("interrupted"));
        }
        if cfg.scan.strict {
            if let Some(first) = scan.malformed_lines.first() {
                return Err(UsageError(format!("{first} (--strict)")).into());
            }
        }
        scan.errors.splice(0..0, self.errors);
        report_problems(&scan, cfg);
        let code = if scan.errors.is_empty() { EXIT_OK } else { EXIT_ERROR };
        Ok(((scan, code), chunks))
    }
}

/// Malformed lines are warnings (`-q` silences them); unreadable inputs are errors.
fn report_problems<A>(scan: &Scan<A>, cfg: &Config) {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    if !cfg.quiet {
        for m in &scan.malformed_lines {
            let _ = writeln!(err, "{m}");
        }
        let total = scan.malformed();
        if total > scan.malformed_lines.len() as u64 {
            let _ = writeln!(
                err,
                "fsaudit: warning: {total} malformed lines in all; the first {} are shown above",
                scan.malformed_lines.len()
            );
        }
    }
    for e in &scan.errors {
        let _ = writeln!(err, "fsaudit: {e}");
    }
}

/// Buffered stdout; the caller maps a closed pipe to a quiet exit 0.
fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

fn summary(cfg: &Config, args: &InputArgs) -> anyhow::Result<ExitCode> {
    let (scan, code) = Run::new(args, cfg).scan(cfg, SummaryAcc::default)?;
    let report = SummaryReport::build(scan, cfg.top.unwrap_or(10));
    emit(cfg, code, &report, render::summary::table, render::summary::csv)
}

/// The detectors' configuration from their flags and the `--rules` settings.
fn detectors(cfg: &Config, args: &crate::cli::DetectorArgs) -> anyhow::Result<Arc<DetectorConfig>> {
    let rules = Config::settings(args).map_err(UsageError)?;
    Ok(Arc::new(cfg.detectors(args, rules.as_ref().map(|r| &r.settings)).map_err(UsageError)?))
}

fn users(cfg: &Config, args: &ReportWithDetectors) -> anyhow::Result<ExitCode> {
    let detectors = detectors(cfg, &args.detectors)?;
    let make = || (UsersAcc::default(), DetectAcc::new(detectors.clone()));
    let (scan, code) = Run::new(&args.input, cfg).scan(cfg, make)?;
    let (users, detect) = scan.acc;
    let found = findings(&detect);
    let scan = Scan { acc: users, inputs: scan.inputs, malformed_lines: scan.malformed_lines, errors: scan.errors };
    // the rules file's sensitive globs count too
    let policy = RiskPolicy { sensitive: detectors.sensitive.clone() };
    let report = UsersReport::build(scan, &policy, &found, cfg.user_detail, cfg.top);
    emit(cfg, code, &report, render::users::table, render::users::csv)
}

fn anomalies(cfg: &Config, args: &ReportWithDetectors) -> anyhow::Result<ExitCode> {
    let detectors = detectors(cfg, &args.detectors)?;
    let (scan, code) = Run::new(&args.input, cfg).scan(cfg, || DetectAcc::new(detectors.clone()))?;
    let report = AnomaliesReport::build(scan, cfg.top);
    emit(cfg, code, &report, render::anomalies::table, render::anomalies::csv)
}

fn check(cfg: &Config, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let mut set = Config::settings(&args.detectors).map_err(UsageError)?.unwrap_or_default();
    set.add_inline(&args.max, &args.min).map_err(UsageError)?;
    if set.rules.is_empty() {
        return Err(UsageError("no rules: pass --rules FILE and/or --max/--min METRIC=VALUE".into()).into());
    }
    let detect_cfg = Arc::new(cfg.detectors(&args.detectors, Some(&set.settings)).map_err(UsageError)?);
    let pubkey_path = args.pubkey.clone().or_else(|| set.settings.pubkey.clone());
    let key = pubkey_path.as_deref().map(keys::load_public).transpose().map_err(|e| UsageError(format!("{e:#}")))?;
    let rules = Arc::new(set.rules);
    let wants = |m: Metric| rules.iter().any(|r| r.metric == m);
    let (needs_findings, needs_chain) = (wants(Metric::Findings), wants(Metric::ChainBreaks));

    let run = Run::new(&args.input, cfg);
    let inputs = run.inputs.clone();
    let paths: Vec<std::path::PathBuf> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p.clone()),
            Input::Stdin => None,
        })
        .collect();
    let make = || (CheckAcc::new(rules.clone()), needs_findings.then(|| DetectAcc::new(detect_cfg.clone())));
    let chain_check = |chunk: &crate::input::Chunk| needs_chain.then(|| check_chunk(chunk, false));
    // all rules in one pass: the seal manifests (for chain_breaks) are read on their own thread meanwhile
    let (scanned, seals) = std::thread::scope(|s| {
        let seals = key.as_ref().filter(|_| needs_chain).map(|k| s.spawn(|| verify_seals(&paths, k)));
        let scanned = run.scan_and_map(cfg, make, chain_check);
        (scanned, seals.map(|h| h.join().expect("seal thread")))
    });
    let ((scan, mut code), chunks) = scanned?;
    let chunks: Vec<_> = chunks.into_iter().filter_map(|(i, n, c)| c.map(|c| (i, n, c))).collect();
    let (_, mut breaks) = stitch_chains(&inputs, chunks);
    if let Some((verdicts, errors)) = seals {
        for e in &errors {
            eprintln!("fsaudit: {e}");
        }
        if !errors.is_empty() {
            code = EXIT_ERROR;
        }
        breaks.extend(verdicts.into_iter().flat_map(|v| v.breaks));
    }
    let (checks, detect) = &scan.acc;
    let found = detect.as_ref().map(findings).unwrap_or_default();
    let extras = Extras { malformed: scan.malformed(), findings: &found, breaks: &breaks };
    let report = CheckReport::build(&rules, checks, scan.events(), &extras);
    if code == EXIT_OK && !report.passed {
        code = EXIT_NEGATIVE;
    }
    let mut out = stdout();
    match cfg.format {
        Format::Json => render::write_json(&mut out, &report)?,
        Format::Csv => render::check::csv(&mut out, &report)?,
        Format::Table => render::check::table(&mut out, &report, cfg.style)?,
        Format::Junit => render::check::junit(&mut out, &report)?,
        Format::Github => render::check::github(&mut out, &report)?,
    }
    out.flush()?;
    Ok(ExitCode::from(code))
}

fn verify(cfg: &Config, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let key = args.pubkey.as_deref().map(keys::load_public).transpose().map_err(|e| UsageError(format!("{e:#}")))?;
    let (inputs, mut errors) = input::expand(&args.inputs);
    let total = inputs.iter().map(Input::size).sum::<Option<u64>>();
    let bar = cfg.progress_bar(total);
    let (report, more) = report::verify::verify(&inputs, &cfg.scan, &bar, args.require, key.as_ref())?;
    bar.finish_and_clear();
    if engine::interrupted() {
        return Err(anyhow!("interrupted"));
    }
    errors.extend(more);
    for e in &errors {
        eprintln!("fsaudit: {e}");
    }
    if report.verified == 0 && report.breaks.is_empty() && !cfg.quiet {
        eprintln!(
            "fsaudit: warning: nothing was verified: no entry carries integrity fields{}",
            if key.is_some() { "" } else { " (seal the log and verify with --pubkey, or pass --require to fail)" }
        );
    }
    let code = if !errors.is_empty() {
        EXIT_ERROR
    } else if report.intact {
        EXIT_OK
    } else {
        EXIT_NEGATIVE
    };
    emit(cfg, code, &report, render::verify::table, render::verify::csv)
}

fn seal(cfg: &Config, args: &SealArgs) -> anyhow::Result<ExitCode> {
    let key = keys::load_private(&args.key).map_err(|e| UsageError(format!("{e:#}")))?;
    let report = report::verify::seal(&args.files, &key, args.checkpoint_every, args.after.as_deref())?;
    emit(cfg, EXIT_OK, &report, render::verify::seal_table, render::verify::seal_csv)
}

fn keygen(cfg: &Config, args: &KeygenArgs) -> anyhow::Result<ExitCode> {
    let (private, public) = keys::generate(&args.out, args.force).map_err(|e| UsageError(format!("{e:#}")))?;
    let mut out = stdout();
    if cfg.format == Format::Json {
        let doc =
            serde_json::json!({"schema_version": 1, "command": "keygen", "private_key": private, "public_key": public});
        render::write_json(&mut out, &doc)?;
    } else {
        writeln!(out, "wrote {} (private: keep it where the log writer cannot read it)", private.display())?;
        writeln!(out, "wrote {} (public: give it to whoever verifies)", public.display())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn views(cfg: &Config, args: &InputArgs) -> anyhow::Result<ExitCode> {
    let (scan, code) = Run::new(args, cfg).scan(cfg, ViewsAcc::default)?;
    let keep = |name: &str| cfg.filter.matches_view(name);
    let report = ViewsReport::build(scan, &cfg.risk, keep, cfg.view_detail, cfg.top);
    emit(cfg, code, &report, render::views::table, render::views::csv)
}

fn timeline(cfg: &Config, args: &TimelineArgs) -> anyhow::Result<ExitCode> {
    let fixed = match &args.bucket {
        None => None,
        Some(b) => match crate::time::parse_duration(b) {
            Ok(d) if d >= crate::time::MICROS_PER_SEC => Some(d),
            _ => {
                let msg = format!(
                    "--bucket: invalid size '{b}' (expected 1m, 5m, 15m, 1h, 1d or another duration of at least 1s)"
                );
                return Err(UsageError(msg).into());
            }
        },
    };
    let (scan, code) = Run::new(&args.input, cfg).scan(cfg, || TimelineAcc::new(fixed))?;
    let report = TimelineReport::build(scan);
    emit(cfg, code, &report, render::timeline::table, render::timeline::csv)
}

type TableFn<R> = fn(&mut BufWriter<io::StdoutLock<'static>>, &R, Style) -> anyhow::Result<()>;
type CsvFn<R> = fn(&mut BufWriter<io::StdoutLock<'static>>, &R) -> anyhow::Result<()>;

/// Renders a report in the chosen format on stdout.
fn emit<R: serde::Serialize>(
    cfg: &Config,
    code: u8,
    report: &R,
    table: TableFn<R>,
    csv: CsvFn<R>,
) -> anyhow::Result<ExitCode> {
    let mut out = stdout();
    match cfg.format {
        Format::Json => render::write_json(&mut out, report)?,
        Format::Csv => csv(&mut out, report)?,
        Format::Table => table(&mut out, report, cfg.style)?,
        Format::Junit | Format::Github => {
            return Err(UsageError("--format junit and --format github are for `fsaudit check`".into()).into());
        }
    }
    out.flush().map_err(|e| anyhow!(e))?;
    Ok(ExitCode::from(code))
}

/// True when the error chain holds a broken pipe: the reader went away,
/// which is not a failure (`fsaudit … | head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|ce| match ce.kind() {
                csv::ErrorKind::Io(io) => io.kind() == io::ErrorKind::BrokenPipe,
                _ => false,
            })
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|je| je.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}
