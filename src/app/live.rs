//! `--follow` for the reports: a report every `--every` over everything
//! read so far, and a last one when the input ends or Ctrl-C stops the run.
//! On a terminal a table is redrawn in place; in a pipe each report is one
//! more document (JSON on one line); with `--output FILE` the file is
//! replaced atomically each time. `anomalies -f` prints each finding once,
//! when its window has closed; `check -f` stops at the first rule that fails.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;

use super::{CsvFn, EXIT_ERROR, EXIT_NEGATIVE, EXIT_OK, Run, TableFn, UsageError, emit, report_problems, stdout};
use crate::check::CheckAcc;
use crate::check::metric::Metric;
use crate::check::rules::Rule;
use crate::cli::FollowArgs;
use crate::config::Config;
use crate::detect::{DetectAcc, DetectorConfig, Finding, findings};
use crate::engine::{self, Accumulator, Scan, ScanOptions, Tick};
use crate::render::{self, Format};
use crate::report::check::{CheckReport, Extras, Status as CheckStatus};

/// The interval when `--every` is not given.
const DEFAULT_EVERY: &str = "10s";

/// The shortest interval: a report costs a copy of the state.
const MIN_EVERY_MICROS: i64 = 100_000;

/// Follows `run`'s one input, calling `on_tick` with the scan so far at
/// every interval and at the end; `on_tick` returns an exit code to stop
/// with. Returns the exit code of the run.
pub(super) fn follow<A, F, T>(
    cfg: &Config,
    run: Run,
    args: &FollowArgs,
    make: F,
    mut on_tick: T,
) -> anyhow::Result<ExitCode>
where
    A: Accumulator,
    F: Fn() -> A,
    T: FnMut(Scan<A>, Tick) -> anyhow::Result<Option<u8>>,
{
    if run.inputs.len() != 1 {
        return Err(UsageError("--follow: it follows one file (or stdin)".into()).into());
    }
    if cfg.scan.strict {
        return Err(UsageError("--follow: it cannot take --strict".into()).into());
    }
    if cfg.last.is_some() {
        return Err(UsageError("--follow: it cannot take --last (the input has no end); use --since".into()).into());
    }
    let text = args.every.as_deref().unwrap_or(DEFAULT_EVERY);
    let every = match crate::time::parse_duration(text) {
        Ok(d) if d >= MIN_EVERY_MICROS => std::time::Duration::from_micros(d as u64),
        _ => {
            return Err(UsageError(format!(
                "--every: invalid interval '{text}' (a duration of at least 100ms, like 10s or 1m)"
            ))
            .into());
        }
    };
    // the state stays in memory: a report is made from it every interval
    let opts = ScanOptions { count_duplicates: run.count_duplicates, memory_limit: None, ..cfg.scan.clone() };
    let mut code = EXIT_OK;
    let mut errors = run.errors;
    engine::follow(&run.inputs, &cfg.parser, &run.filter, &opts, make, every, |mut scan, tick| {
        if tick == Tick::End {
            scan.errors.splice(0..0, errors.drain(..));
            report_problems(&scan, cfg);
            if !scan.errors.is_empty() {
                code = EXIT_ERROR;
            }
        }
        match on_tick(scan, tick)? {
            Some(c) => {
                code = code.max(c);
                Ok(true)
            }
            None => Ok(false),
        }
    })?;
    Ok(ExitCode::from(code))
}

/// Shows one report of a followed run (see the module's note).
pub(super) fn show<R: Serialize>(
    cfg: &Config,
    report: &R,
    window: Option<&str>,
    table: TableFn<R>,
    csv: CsvFn<R>,
) -> anyhow::Result<()> {
    if cfg.output.is_some() {
        emit(cfg, EXIT_OK, report, window.map(str::to_owned), table, csv)?;
        return Ok(());
    }
    match cfg.format {
        Format::Json => {
            let mut out = stdout();
            serde_json::to_writer(&mut out, report)?;
            writeln!(out)?;
            out.flush()?;
        }
        Format::Table if std::io::stdout().is_terminal() => {
            // home, clear the screen: the new table replaces the old one
            let mut out = stdout();
            write!(out, "\x1b[H\x1b[2J")?;
            out.flush()?;
            emit(cfg, EXIT_OK, report, window.map(str::to_owned), table, csv)?;
        }
        _ => {
            emit(cfg, EXIT_OK, report, window.map(str::to_owned), table, csv)?;
            let mut out = stdout();
            writeln!(out)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// `anomalies -f`: each finding printed once its window has closed (the
/// newest event is a window past its end), again with `"update": true`
/// when its count grew; at the end, every finding not yet printed.
pub(super) fn anomalies(
    cfg: &Config,
    run: Run,
    args: &FollowArgs,
    detectors: Arc<DetectorConfig>,
) -> anyhow::Result<ExitCode> {
    let window = detectors.window;
    let make = || DetectAcc::new(detectors.clone());
    // the count each finding was printed with, by what it is about
    let mut printed: HashMap<(String, Option<String>, Option<String>, String), u64> = HashMap::new();
    follow(cfg, run, args, make, |scan, tick| {
        let newest = scan.scanned_range.last;
        let found = findings(&scan.acc);
        let mut out = stdout();
        for f in &found {
            let closed = tick == Tick::End
                || match (crate::time::parse_rfc3339(&f.end), newest) {
                    (Some(end), Some(newest)) => end + window <= newest,
                    _ => false,
                };
            if !closed {
                continue;
            }
            let key = (f.detector.to_owned(), f.principal.clone(), f.source_ip.clone(), f.start.clone());
            let update = match printed.get(&key) {
                Some(n) if *n == f.count => continue,
                Some(_) => true,
                None => false,
            };
            printed.insert(key, f.count);
            finding_line(&mut out, cfg, f, update)?;
        }
        out.flush()?;
        Ok(None)
    })
}

/// One finding as a line: a JSON object with `--format json`, else text.
fn finding_line(out: &mut impl Write, cfg: &Config, f: &Finding, update: bool) -> anyhow::Result<()> {
    if cfg.format == Format::Json {
        let mut v = serde_json::to_value(f)?;
        v["update"] = serde_json::Value::Bool(update);
        serde_json::to_writer(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let who = match (&f.principal, &f.source_ip) {
        (Some(p), Some(ip)) => format!("{p} from {ip}"),
        (Some(p), None) => p.clone(),
        (None, Some(ip)) => ip.clone(),
        (None, None) => "-".into(),
    };
    writeln!(
        out,
        "{} {:<8} {} {}: {}{}",
        f.start,
        f.severity.name(),
        f.detector,
        render::safe(&who),
        render::safe(&f.evidence),
        if update { " (updated)" } else { "" }
    )?;
    Ok(())
}

/// What `check -f` needs of `check`'s settings.
pub(super) struct Watch<'a> {
    pub rules: Arc<Vec<Rule>>,
    pub detectors: Arc<DetectorConfig>,
    pub needs_findings: bool,
    pub allow_empty: bool,
    pub window: Option<&'a str>,
}

/// `check -f`: the rules judged every interval over what was read so far;
/// the first rule that fails ends the run with its report and exit 1. A
/// rule without data yet, and a `min` rule on a count that can only grow,
/// wait for the end of the input (or Ctrl-C), where every rule is judged
/// as `check` judges it (no data fails closed).
pub(super) fn check(cfg: &Config, run: Run, args: &FollowArgs, w: Watch<'_>) -> anyhow::Result<ExitCode> {
    if w.rules.iter().any(|r| r.metric == Metric::ChainBreaks) {
        return Err(
            UsageError("--follow: chain_breaks needs the whole log; check it with `fsaudit verify`".into()).into()
        );
    }
    let make = || (CheckAcc::new(w.rules.clone()), w.needs_findings.then(|| DetectAcc::new(w.detectors.clone())));
    follow(cfg, run, args, make, |scan, tick| {
        let (checks, detect) = &scan.acc;
        let found = detect.as_ref().map(findings).unwrap_or_default();
        let extras = Extras {
            malformed: scan.malformed(),
            findings: &found,
            breaks: &[],
            verified: 0,
            allow_empty: w.allow_empty,
        };
        let report = CheckReport::build(&w.rules, checks, scan.events(), &extras);
        // before the end, a rule below its `min` on a count that only grows
        // waits: more input may still meet it
        let failing = || {
            w.rules.iter().zip(&report.rules).any(|(rule, r)| {
                r.status == CheckStatus::Failed
                    && (!grows(rule.metric) || r.max.is_some_and(|m| r.observed.is_some_and(|o| o > m)))
            })
        };
        let code = match tick {
            Tick::End => Some(if report.passed { EXIT_OK } else { EXIT_NEGATIVE }),
            Tick::Interval if failing() => Some(EXIT_NEGATIVE),
            Tick::Interval => None,
        };
        match code {
            // one document a line, as every followed report in JSON
            Some(_) if cfg.format == Format::Json && cfg.output.is_none() => {
                let mut out = stdout();
                serde_json::to_writer(&mut out, &report)?;
                writeln!(out)?;
                out.flush()?;
            }
            Some(c) => super::write_check(cfg, &report, w.window.map(str::to_owned), c)?,
            None => {}
        }
        Ok(code)
    })
}

/// Metrics that can only grow as more of the log is read: a `min` rule on
/// one is judged at the end.
fn grows(m: Metric) -> bool {
    matches!(
        m,
        Metric::Events
            | Metric::Success
            | Metric::Denied
            | Metric::Unauthenticated
            | Metric::Error
            | Metric::Malformed
            | Metric::Principals
            | Metric::SpanDays
            | Metric::MaxGap
            | Metric::Findings
    )
}
