//! Runs a parsed command line: config, scan, report, render, exit code.

mod export;
mod live;
mod page;
mod pipes;
pub mod state;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::anyhow;

use std::sync::Arc;

use crate::check::CheckAcc;
use crate::check::metric::Metric;
use crate::cli::{
    AnomaliesArgs, CheckArgs, Cli, Command, GroupArgs, InputArgs, KeygenArgs, SealArgs, SummaryArgs, TimelineArgs,
    UsersArgs, VerifyArgs, ViewsArgs,
};
use crate::config::Config;
use crate::detect::DetectorConfig;
use crate::detect::{
    AddressIncidents, DetectAcc, Finding, Population, Tracked, address_findings, findings, findings_in,
    principal_findings, sort_findings,
};
use crate::engine::ScanOptions;
use crate::engine::{self, Accumulator, ChunkResults, Scan};
use crate::filter::Filter;
use crate::input::{self, Input};
use crate::integrity::chain::check_chunk;
use crate::integrity::keys;
use crate::render::table::Style;
use crate::render::table::thousands;
use crate::render::{self, Format};
use crate::report;
use crate::report::anomalies::AnomaliesReport;
use crate::report::check::{CheckReport, Extras, Part as CheckPart, Status as CheckStatus};
use crate::report::group::{GroupAcc, GroupReport, GroupSpec, Order};
use crate::report::risk::RiskPolicy;
use crate::report::summary::{SummaryAcc, SummaryParts, SummaryReport};
use crate::report::timeline::{MAX_BUCKETS, SpilledTimeline, TimelineAcc, TimelineReport, bucket_count};
use crate::report::users::{UserOrder, UsersAcc, UsersReport};
use crate::report::verify::Status as VerifyStatus;
use crate::report::verify::{
    SealOptions, VerifyOptions, manifest_digest, settle_with_seal, stitch_chains, verify_seals,
};
use crate::report::views::{ViewsAcc, ViewsReport};
use crate::spill::{PARTS, Spill};
use crate::stats::keyed::partition;
use crate::time::format_millis;

/// Exit codes of DESIGN §2.
pub const EXIT_OK: u8 = 0;
pub const EXIT_NEGATIVE: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// What a per-entry chain alone cannot prove, said once when it is all there is.
const CHAIN_CAVEAT: &str = "a per-entry chain proves each entry's content and the links as written; it cannot \
    detect deleted entries whose successor's previousLogHash was rewritten (the link is outside the checksum). \
    `fsaudit seal` proves order and completeness";

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
    let mut cfg = Config::new(&cli.global, &cli.command.options()).map_err(UsageError)?;
    if let Some(to) = state::save_to(&cli)? {
        cfg.save_state = Some(Arc::new(to));
    }
    dispatch(cli, cfg)
}

/// Runs the command with its configuration.
fn dispatch(cli: Cli, cfg: Config) -> anyhow::Result<ExitCode> {
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
        Command::Group(args) => group(&cfg, &args),
        Command::Report(args) => page::report(&cli.global, &cfg, &args),
        Command::Export(args) => export::export(&cfg, &args),
        Command::Merge(args) => state::merge(&cli.global, &cfg, &args),
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

/// Inputs of a run, with errors of paths that could not be expanded, and
/// the filter the run applies (`--last` resolved against the input).
struct Run {
    inputs: Vec<Input>,
    errors: Vec<String>,
    filter: Filter,
    /// Count duplicate lines even without `--dedup`.
    count_duplicates: bool,
}

impl Run {
    fn new(args: &InputArgs, cfg: &Config) -> anyhow::Result<Run> {
        if cfg.merged.is_some() {
            // `merge`: the states are the input, their window the filter's
            return Ok(Run {
                inputs: Vec::new(),
                errors: Vec::new(),
                filter: cfg.filter.clone(),
                count_duplicates: false,
            });
        }
        let expanded = input::expand(&args.inputs);
        if !cfg.quiet {
            for note in &expanded.notes {
                render::say(format_args!("note: {note}"));
            }
        }
        if args.inputs.is_empty() && !cfg.quiet && io::stdin().is_terminal() {
            render::say(format_args!(
                "reading the log from the terminal; pass a file or pipe one in (Ctrl-D ends input)"
            ));
        }
        let filter = match cfg.last {
            None => cfg.filter.clone(),
            Some(d) => {
                if expanded.inputs.contains(&Input::Stdin) {
                    let msg = "--last reads the input twice (once for its time range): pass files, not stdin";
                    return Err(UsageError(msg.into()).into());
                }
                let opts = ScanOptions { dedup: false, count_duplicates: false, ..cfg.scan.clone() };
                let hidden = indicatif::ProgressBar::hidden();
                let range = engine::scan(&expanded.inputs, &cfg.parser, &Filter::default(), &opts, &hidden, || ())?;
                if engine::interrupted() {
                    return Err(anyhow!("interrupted"));
                }
                match range.scanned_range.last {
                    Some(last) => cfg.filter.since_at_least(last - d),
                    None => cfg.filter.clone(),
                }
            }
        };
        Ok(Run { inputs: expanded.inputs, errors: expanded.errors, filter, count_duplicates: false })
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
        let keep_line_hashes = self.count_duplicates && cfg.save_state.is_some();
        let (mut scan, chunks) = match &cfg.merged {
            Some(states) => (state::scan_of(states, cfg, &make, keep_line_hashes)?, Vec::new()),
            None => {
                let total = self.inputs.iter().map(Input::size).sum::<Option<u64>>();
                let bar = cfg.progress_bar(total);
                let opts =
                    ScanOptions { count_duplicates: self.count_duplicates, keep_line_hashes, ..cfg.scan.clone() };
                let scanned =
                    engine::scan_and_map(&self.inputs, &cfg.parser, &self.filter, &opts, &bar, &make, per_chunk)?;
                bar.finish_and_clear();
                scanned
            }
        };
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
        if let Some(to) = &cfg.save_state {
            state::save(to, &mut scan, self.filter.window(), &make)?;
        }
        report_problems(&scan, cfg);
        if !cfg.quiet && scan.events() == 0 && scan.errors.is_empty() {
            if let Some(line) =
                nothing_matched(scan.scanned(), scan.malformed(), &scan.scanned_range, &self.filter, cfg)
            {
                render::say(format_args!("{line}"));
            }
        }
        let code = if scan.errors.is_empty() { EXIT_OK } else { EXIT_ERROR };
        Ok(((scan, code), chunks))
    }
}

/// The line that says why a run has no events: the input held none, or the
/// filters matched none of the `scanned` it held (and the time range it covers).
fn nothing_matched(
    scanned: u64,
    malformed: u64,
    range: &crate::stats::TimeRange,
    filter: &Filter,
    cfg: &Config,
) -> Option<String> {
    if scanned == 0 {
        let lines = if malformed == 1 { "line" } else { "lines" };
        return Some(format!("warning: the input holds no events ({} malformed {lines})", thousands(malformed)));
    }
    if !filter.is_active() {
        return None;
    }
    let span = match (range.first, range.last) {
        (Some(f), Some(l)) => format!("the input spans {} … {}", format_millis(f), format_millis(l)),
        _ => "no event of the input carries a time".to_owned(),
    };
    Some(format!(
        "warning: {} matched 0 of {} events; {span}",
        if cfg.filter_text.is_empty() { "the filters" } else { cfg.filter_text.as_str() },
        thousands(scanned)
    ))
}

/// `Window: … (UTC)`: the time window a table's numbers cover, when the
/// run set one, so that nothing is assumed silently.
fn window_line(filter: &Filter, cfg: &Config) -> Option<String> {
    let (since, until) = filter.window();
    if since.is_none() && until.is_none() {
        return None;
    }
    let end = |t: Option<crate::time::Micros>, none: &str| t.map(format_millis).unwrap_or_else(|| none.to_owned());
    Some(format!(
        "Window: {} … {} (times without an offset read in {})",
        end(since, "the start"),
        end(until, "the end"),
        cfg.tz.as_deref().unwrap_or("UTC")
    ))
}

/// Malformed lines and rejected latencies are warnings (`-q` silences
/// them); unreadable inputs are errors.
fn report_problems<A>(scan: &Scan<A>, cfg: &Config) {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    if !cfg.quiet {
        if let Some(first) = &scan.first_rejected_latency {
            let n = scan.rejected_latencies();
            let _ = writeln!(
                err,
                "{first}; the event still counts, its latency does not ({} rejected in all)",
                thousands(n)
            );
        }
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
    for e in scan.errors.iter().map(|e| render::safe(e)).filter(|e| render::first_time(e)) {
        let _ = writeln!(err, "fsaudit: {e}");
    }
}

/// Buffered stdout; the caller maps a closed pipe to a quiet exit 0.
fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

thread_local! {
    /// True while `fsaudit report` runs its parts on this thread.
    static PART_OF_PAGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` as a part of `fsaudit report`: its `--output` document is
/// written even when an input could not be read (exit 2), for the page to
/// show what was read beside the error (the page's own exit code is 2).
pub(crate) fn as_part_of_page<T>(f: impl FnOnce() -> T) -> T {
    PART_OF_PAGE.set(true);
    let out = f();
    PART_OF_PAGE.set(false);
    out
}

/// Where a report goes: stdout, or with `--output FILE` a temporary file
/// beside FILE that [`Sink::finish`] renames over it once complete, so a
/// reader (node_exporter's textfile collector, a dashboard) never sees half
/// a report, and a failed run leaves the old FILE as it was.
enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(BufWriter<tempfile::NamedTempFile>, std::path::PathBuf),
}

impl Sink {
    fn open(cfg: &Config) -> anyhow::Result<Sink> {
        let Some(path) = &cfg.output else { return Ok(Sink::Stdout(stdout())) };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => std::path::Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".fsaudit-")
            .tempfile_in(dir)
            .map_err(|e| UsageError(format!("--output {}: {e}", path.display())))?;
        Ok(Sink::File(BufWriter::with_capacity(64 * 1024, temp), path.clone()))
    }

    /// Flushes stdout, or puts the finished file in place, unless the run
    /// ended in error (`code` 2: an input could not be read), which leaves
    /// the file as it was: a collector keeps the last complete numbers
    /// rather than a report of whatever could be read. The parts of
    /// `fsaudit report` are always written ([`as_part_of_page`]).
    fn finish(self, code: u8) -> anyhow::Result<()> {
        match self {
            Sink::Stdout(mut out) => out.flush().map_err(|e| anyhow!(e)),
            Sink::File(_, path) if code == EXIT_ERROR && !PART_OF_PAGE.get() => {
                render::say(format_args!("--output {}: left as it was (the run had errors)", path.display()));
                Ok(())
            }
            Sink::File(out, path) => {
                let temp = out.into_inner().map_err(|e| anyhow!("--output {}: {}", path.display(), e.error()))?;
                temp.as_file().sync_all().map_err(|e| anyhow!("--output {}: {e}", path.display()))?;
                // the collector reads files of mode 0644; a temporary file starts at 0600
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
                }
                temp.persist(&path).map_err(|e| anyhow!("--output {}: {}", path.display(), e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(w, _) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(w, _) => w.flush(),
        }
    }
}

/// Says on stderr that a report's state outgrew `--memory-limit`.
fn spill_note(cfg: &Config, spill: &Spill, what: &str) {
    spill_note_read(cfg, spill, what, &format!("{PARTS} partitions"));
}

/// [`spill_note`], saying how the state is read back.
fn spill_note_read(cfg: &Config, spill: &Spill, what: &str, how: &str) {
    if !cfg.quiet {
        render::say(format_args!(
            "note: the {what} state outgrew --memory-limit {}: {} spilled to {} in {} runs, read back in {how}",
            render::table::bytes(cfg.scan.memory_limit.unwrap_or(0)),
            render::table::bytes(spill.bytes()),
            std::env::temp_dir().display(),
            spill.runs()
        ));
    }
}

/// Reads spilled state back one partition at a time, each into a fresh
/// accumulator from `make`.
fn each_partition<A: Accumulator>(
    spill: &Spill,
    make: impl Fn() -> A,
    mut f: impl FnMut(usize, A) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    for p in 0..PARTS {
        let mut part = make();
        spill.load(p, &mut part)?;
        f(p, part)?;
    }
    Ok(())
}

/// The population over every partition (everyone's rates, and how many
/// windows each detector tries), then the detectors' findings about
/// addresses in every partition and the incidents the principals' findings
/// are checked against. `detect` picks the detectors' state out of a
/// report's accumulator.
fn address_findings_of<A: Accumulator, P: Tracked>(
    spill: &Spill,
    make: impl Fn() -> A,
    detect: impl Fn(&A) -> &DetectAcc<P>,
) -> anyhow::Result<(Vec<Finding>, AddressIncidents, Population)> {
    let mut pop = Population::default();
    each_partition(spill, &make, |_, part| {
        pop.merge(Population::of(detect(&part)));
        Ok(())
    })?;
    let (mut found, mut incidents) = (Vec::new(), AddressIncidents::default());
    each_partition(spill, make, |_, part| {
        let (f, spans) = address_findings(detect(&part), &pop);
        found.extend(f);
        for (ip, s) in spans {
            incidents.entry(ip).or_default().extend(s);
        }
        Ok(())
    })?;
    Ok((found, incidents, pop))
}

fn summary(cfg: &Config, args: &SummaryArgs) -> anyhow::Result<ExitCode> {
    let mut run = Run::new(&args.input, cfg)?;
    let window = window_line(&run.filter, cfg);
    // summary always reports duplicate lines
    run.count_duplicates = true;
    let top = args.top;
    if args.follow.follow {
        return live::follow(cfg, run, &args.follow, SummaryAcc::default, |scan, _| {
            let report = SummaryReport::build(scan, top);
            live::show(cfg, &report, window.as_deref(), render::summary::table, render::summary::csv)?;
            Ok(None)
        });
    }
    let (scan, code) = run.scan(cfg, SummaryAcc::default)?;
    let report = match scan.spill.clone() {
        None => SummaryReport::build(scan, top),
        Some(spill) => {
            spill_note(cfg, &spill, "per-key");
            let mut parts = SummaryParts::new(top);
            each_partition(&spill, SummaryAcc::default, |_, part| {
                parts.add(part);
                Ok(())
            })?;
            parts.finish(scan)
        }
    };
    emit_once(cfg, code, report, window, render::summary::table, render::summary::csv)
}

/// The detectors' configuration from their flags and the `--rules` settings.
fn detectors(cfg: &Config, args: &crate::cli::DetectorArgs) -> anyhow::Result<Arc<DetectorConfig>> {
    let rules = Config::settings(args).map_err(UsageError)?;
    Ok(Arc::new(cfg.detectors(args, rules.as_ref().map(|r| &r.settings)).map_err(UsageError)?))
}

fn users(cfg: &Config, users: &UsersArgs) -> anyhow::Result<ExitCode> {
    let order = UserOrder::parse(users.sort.as_deref()).map_err(UsageError)?;
    let args = &users.report;
    let detectors = detectors(cfg, &args.detectors)?;
    let make = || UsersAcc::new(detectors.clone(), cfg.user_detail);
    let run = Run::new(&args.input, cfg)?;
    let window = window_line(&run.filter, cfg);
    let (scan, code) = run.scan(cfg, make)?;
    // the rules file's sensitive globs count too
    let policy = RiskPolicy { sensitive: detectors.sensitive.clone() };
    let report = match scan.spill.clone() {
        None => {
            let found = findings(scan.acc.detect());
            UsersReport::build(scan, policy, found, order, cfg.top)
        }
        Some(spill) => {
            spill_note(cfg, &spill, "per-principal");
            // first the addresses' findings (which may name any principal), then the rows
            let (by_address, incidents, pop) = address_findings_of(&spill, make, UsersAcc::detect)?;
            let (mut rows, mut total) = (Vec::new(), 0u64);
            each_partition(&spill, make, |p, users| {
                let mut found = principal_findings(users.detect(), &pop, &incidents);
                let theirs = |f: &&Finding| f.principal.as_deref().is_some_and(|n| partition(n, PARTS) == p);
                found.extend(by_address.iter().filter(theirs).cloned());
                sort_findings(&mut found);
                let part_rows = UsersReport::rows(&users, &policy, &found);
                total += part_rows.len() as u64;
                rows.extend(part_rows);
                // with --top, only the best rows so far are kept
                if cfg.top.is_some() {
                    UsersReport::keep_top(&mut rows, order, cfg.top);
                }
                Ok(())
            })?;
            UsersReport::assemble(scan.events(), scan.malformed(), rows, total, order, cfg.top)
        }
    };
    emit_once(cfg, code, report, window, render::users::table, render::users::csv)
}

fn anomalies(cfg: &Config, all: &AnomaliesArgs) -> anyhow::Result<ExitCode> {
    let args = &all.report;
    let detectors = detectors(cfg, &args.detectors)?;
    let run = Run::new(&args.input, cfg)?;
    if all.follow.follow {
        return live::anomalies(cfg, run, &all.follow, detectors);
    }
    let window = window_line(&run.filter, cfg);
    let make = || DetectAcc::new(detectors.clone());
    let (scan, code) = run.scan(cfg, make)?;
    let (report, repeats) = match scan.spill.clone() {
        None => {
            let pop = Population::of(&scan.acc);
            let found = findings_in(&scan.acc, &pop);
            (AnomaliesReport::assemble(scan.events(), scan.malformed(), found, cfg.top), pop.repeats)
        }
        Some(spill) => {
            spill_note(cfg, &spill, "per-key");
            let (mut found, incidents, pop) = address_findings_of(&spill, make, |d| d)?;
            each_partition(&spill, make, |_, part| {
                found.extend(principal_findings(&part, &pop, &incidents));
                Ok(())
            })?;
            (AnomaliesReport::assemble(scan.events(), scan.malformed(), found, cfg.top), pop.repeats)
        }
    };
    // a log shipped twice doubles every count: say so
    if !cfg.quiet && repeats > 0 {
        render::say(format_args!(
            "note: {} denied or failed line{} repeat{} an earlier line byte for byte (a log shipped twice?): the detectors count every copy; --dedup counts each once",
            thousands(repeats),
            if repeats == 1 { "" } else { "s" },
            if repeats == 1 { "s" } else { "" }
        ));
    }
    let done = emit_once(cfg, code, report, window, render::anomalies::table, render::anomalies::csv);
    // the per-key state is the scan's, not the report's
    leave_scan(scan);
    done
}

/// The `--max` and `--min` items in the order they stand on the command
/// line (clap keeps each flag's items apart).
fn inline_rules_in_order<'a>(max: &'a [String], min: &'a [String]) -> Vec<(&'static str, &'a str)> {
    let args: Vec<String> = std::env::args().collect();
    let position = |flag: &str, item: &str| {
        args.windows(2)
            .position(|w| (w[0] == flag && w[1] == item) || w[1] == format!("{flag}={item}"))
            .unwrap_or(usize::MAX)
    };
    let mut all: Vec<(usize, &'static str, &str)> = max
        .iter()
        .map(|i| (position("--max", i), "--max", i.as_str()))
        .chain(min.iter().map(|i| (position("--min", i), "--min", i.as_str())))
        .collect();
    all.sort_by_key(|(p, _, _)| *p);
    all.into_iter().map(|(_, f, i)| (f, i)).collect()
}

fn check(cfg: &Config, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    if args.list_metrics {
        let mut out = stdout();
        if cfg.format == Format::Json {
            let all: Vec<_> = Metric::ALL
                .iter()
                .map(|m| serde_json::json!({"name": m.name(), "measures": m.describe().0, "unit": m.describe().1}))
                .collect();
            render::write_json(&mut out, &serde_json::json!({"schema_version": 1, "metrics": all}))?;
        } else {
            for m in Metric::ALL {
                let (what, unit) = m.describe();
                writeln!(out, "{:<16} {:<10} {what}", m.name(), unit)?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut set = Config::settings(&args.detectors).map_err(UsageError)?.unwrap_or_default();
    set.add_inline(&inline_rules_in_order(&args.max, &args.min)).map_err(UsageError)?;
    if set.rules.is_empty() {
        return Err(UsageError("no rules: pass --rules FILE and/or --max/--min METRIC=VALUE".into()).into());
    }
    let mut detect_cfg = cfg.detectors(&args.detectors, Some(&set.settings)).map_err(UsageError)?;
    // only the detectors that can make a finding some rule counts are run
    // (not for a saved state, which a merge may judge by other rules)
    let least = set.rules.iter().filter(|r| r.metric == Metric::Findings).map(|r| r.severity).min();
    if let (Some(least), None, None) = (least, &cfg.save_state, &cfg.merged) {
        detect_cfg = detect_cfg.counting_from(least);
    }
    let detect_cfg = Arc::new(detect_cfg);
    let pubkey_path = args.pubkey.clone().or_else(|| set.settings.pubkey.clone());
    let key = pubkey_path.as_deref().map(keys::load_public).transpose().map_err(|e| UsageError(format!("{e:#}")))?;
    let rules = Arc::new(set.rules);
    let wants = |m: Metric| rules.iter().any(|r| r.metric == m);
    let (needs_findings, needs_chain) = (wants(Metric::Findings), wants(Metric::ChainBreaks));
    if needs_chain && (cfg.save_state.is_some() || cfg.merged.is_some()) {
        let msg = "--save-state: chain_breaks is verified against the log itself, which a state does not hold \
                   (run `fsaudit verify` on each part)";
        return Err(UsageError(msg.into()).into());
    }

    let run = Run::new(&args.input, cfg)?;
    let window = window_line(&run.filter, cfg);
    if args.follow.follow {
        let watch = live::Watch {
            rules,
            detectors: detect_cfg,
            needs_findings,
            allow_empty: args.allow_empty,
            window: window.as_deref(),
        };
        return live::check(cfg, run, &args.follow, watch);
    }
    let inputs = run.inputs.clone();
    let paths: Vec<std::path::PathBuf> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p.clone()),
            Input::Stdin | Input::Spooled(_) => None,
        })
        .collect();
    let make = || (CheckAcc::new(rules.clone()), needs_findings.then(|| DetectAcc::new(detect_cfg.clone())));
    let chain_check =
        |chunk: &crate::input::Chunk| needs_chain.then(|| check_chunk(chunk, &cfg.parser, cfg.scan.max_line));
    // all rules in one pass: the seal manifests (for chain_breaks) are read on their own thread meanwhile
    let seal_opts = SealOptions::default();
    let (scanned, seals) = std::thread::scope(|s| {
        let seals =
            key.as_ref().filter(|_| needs_chain).map(|k| s.spawn(|| verify_seals(&paths, k, &seal_opts, &cfg.scan)));
        let scanned = run.scan_and_map(cfg, make, chain_check);
        (scanned, seals.map(|h| h.join().expect("seal thread")))
    });
    let ((scan, mut code), chunks) = scanned?;
    let chunks: Vec<_> = chunks.into_iter().filter_map(|(i, n, c)| c.map(|c| (i, n, c))).collect();
    let (totals, mut breaks) = stitch_chains(&inputs, chunks);
    let mut verified: u64 = totals.iter().map(|t| t.verified).sum();
    let mut sealed_upto = vec![None; inputs.len()];
    if let Some((verdicts, errors, _)) = seals {
        for e in &errors {
            render::say(format_args!("{e}"));
        }
        if !errors.is_empty() {
            code = EXIT_ERROR;
        }
        let files = inputs.iter().enumerate().filter(|(_, i)| matches!(i, Input::File(_))).map(|(k, _)| k);
        for (k, v) in files.zip(verdicts) {
            verified += v.verified;
            sealed_upto[k] = v.intact_upto();
            breaks.extend(v.breaks);
        }
    }
    for ((input, t), upto) in inputs.iter().zip(&totals).zip(sealed_upto) {
        settle_with_seal(&input.display(), t, false, upto, &mut breaks);
    }
    // a rule's `per` that makes too many buckets over the span is refused
    let too_many = |range: &crate::stats::TimeRange| -> anyhow::Result<()> {
        let (Some(first), Some(last)) = (range.first, range.last) else { return Ok(()) };
        for r in rules.iter() {
            let n = r.per.map_or(0, |per| bucket_count(per, first, last));
            if n > MAX_BUCKETS {
                let msg = format!(
                    "rule '{}': per {} over the span of the events makes {} buckets, more than {} (choose a larger `per`, or narrow the time)",
                    r.name,
                    crate::report::timeline::bucket_name(r.per.unwrap_or_default()),
                    thousands(n as u64),
                    thousands(MAX_BUCKETS as u64)
                );
                return Err(UsageError(msg).into());
            }
        }
        Ok(())
    };
    let extras = |found| Extras {
        malformed: scan.malformed(),
        findings: found,
        breaks: &breaks,
        verified,
        allow_empty: args.allow_empty,
    };
    let mut report = match scan.spill.clone() {
        None => {
            let (checks, detect) = &scan.acc;
            too_many(&checks.range)?;
            let found = detect.as_ref().map(findings).unwrap_or_default();
            CheckReport::build(&rules, checks, scan.events(), &extras(&found))
        }
        Some(spill) => {
            spill_note(cfg, &spill, "per-subject");
            // first the addresses' findings (which may name any principal), then each partition's subjects
            let by_address = match needs_findings {
                true => Some(address_findings_of(&spill, make, |(_, d)| d.as_ref().expect("findings wanted"))?),
                false => None,
            };
            let blank = partition("", PARTS);
            let (mut judged, mut rule_events, mut found) = (Vec::new(), Vec::new(), Vec::new());
            // the time range is in every partition (findings rules bucket by it)
            let mut ranged = CheckAcc::new(rules.clone());
            each_partition(&spill, make, |p, (checks, detect)| {
                if p == 0 {
                    too_many(&checks.range)?;
                    ranged.range = checks.range;
                    rule_events = checks.states.iter().map(|s| s.whole.counts.total()).collect();
                }
                let part = CheckReport::judge_events(&rules, &checks, CheckPart::Of { p, blank });
                if judged.is_empty() {
                    judged = part;
                } else {
                    CheckReport::add_judged(&rules, &mut judged, part);
                }
                if let (Some(d), Some((_, incidents, pop))) = (&detect, &by_address) {
                    found.extend(principal_findings(d, pop, incidents));
                }
                Ok(())
            })?;
            if let Some((f, _, _)) = by_address {
                found.extend(f);
            }
            sort_findings(&mut found);
            CheckReport::assemble(&rules, &ranged, judged, rule_events, scan.events(), &extras(&found))
        }
    };
    if code == EXIT_ERROR {
        report.incomplete();
    }
    if code == EXIT_OK && !report.passed {
        code = EXIT_NEGATIVE;
    }
    let empty: Vec<String> = report
        .rules
        .iter()
        .filter(|r| r.status == CheckStatus::NoData && !r.passed)
        .map(|r| format!("'{}' ({})", r.name, r.reason.as_deref().unwrap_or("nothing to judge")))
        .collect();
    if !empty.is_empty() && !cfg.quiet {
        render::say(format_args!(
            "{} rule{} without data fail{}: {}; --allow-empty or on_empty = \"pass\" in a rule lets it pass",
            empty.len(),
            if empty.len() == 1 { "" } else { "s" },
            if empty.len() == 1 { "s" } else { "" },
            empty.join(", ")
        ));
    }
    write_check(cfg, &report, window, code)?;
    leave_scan(scan);
    Ok(ExitCode::from(code))
}

/// Writes `check`'s report in the chosen format (`code`: the run's exit
/// code, which decides whether `--output FILE` is replaced).
fn write_check(cfg: &Config, report: &CheckReport, window: Option<String>, code: u8) -> anyhow::Result<()> {
    let mut out = Sink::open(cfg)?;
    match cfg.format {
        Format::Json => render::write_json(&mut out, report)?,
        Format::Csv => render::check::csv(&mut out, report)?,
        Format::Table => {
            if let Some(w) = window {
                writeln!(out, "{w}")?;
            }
            render::check::table(&mut out, report, cfg.style)?
        }
        Format::Junit => render::check::junit(&mut out, report)?,
        Format::Github => render::check::github(&mut out, report)?,
        Format::Prometheus => render::prometheus::write(&mut out, &serde_json::to_value(report)?)?,
        Format::Markdown => render::markdown::write(&mut out, &serde_json::to_value(report)?)?,
        Format::Html => return Err(UsageError("--format html is for `fsaudit report`".into()).into()),
    }
    out.finish(code)?;
    Ok(())
}

fn verify(cfg: &Config, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let key = args.pubkey.as_deref().map(keys::load_public).transpose().map_err(|e| UsageError(format!("{e:#}")))?;
    let expanded = input::expand(&args.inputs);
    if !cfg.quiet {
        for note in &expanded.notes {
            render::say(format_args!("note: {note}"));
        }
    }
    let (inputs, mut errors) = (expanded.inputs, expanded.errors);
    let total = inputs.iter().map(Input::size).sum::<Option<u64>>();
    let bar = cfg.progress_bar(total);
    let digest = |flag: &str, v: &Option<String>| {
        v.as_deref().map(|d| manifest_digest(d).map_err(|e| UsageError(format!("{flag}: {e}")))).transpose()
    };
    let mut manifests = Vec::new();
    for m in &args.manifest {
        let (log, manifest) = match m.split_once('=') {
            Some((l, m)) => (std::path::PathBuf::from(l), std::path::PathBuf::from(m)),
            None if args.inputs.len() == 1 => (args.inputs[0].clone(), std::path::PathBuf::from(m)),
            None => {
                return Err(
                    UsageError(format!("--manifest {m}: expected LOG=MANIFEST (several logs are given)")).into()
                );
            }
        };
        manifests.push((log, manifest));
    }
    for (log, _) in &manifests {
        let found = inputs.iter().any(|i| match i {
            Input::File(p) => input::same_file(p, log),
            Input::Stdin | Input::Spooled(_) => false,
        });
        if !found {
            return Err(UsageError(format!("--manifest: {} is not among the files verified", log.display())).into());
        }
    }
    if key.is_none() && (args.after.is_some() || args.expect_latest.is_some() || !manifests.is_empty()) {
        return Err(
            UsageError("--after, --expect-latest and --manifest check seal manifests: pass --pubkey".into()).into()
        );
    }
    let vopts = VerifyOptions {
        require: args.require,
        require_sealed: args.require_sealed,
        allow_unverified: args.allow_unverified,
        seals: SealOptions {
            after: digest("--after", &args.after)?,
            expect_latest: digest("--expect-latest", &args.expect_latest)?,
            manifests,
        },
    };
    let (mut report, more) = report::verify::verify(&inputs, &cfg.scan, &cfg.parser, &bar, &vopts, key.as_ref())?;
    bar.finish_and_clear();
    if engine::interrupted() {
        return Err(anyhow!("interrupted"));
    }
    errors.extend(more);
    // the chains and the seals read each file on their own: one failure, once
    let mut said = std::collections::HashSet::new();
    errors.retain(|e| said.insert(e.clone()));
    for e in &errors {
        render::say(format_args!("{e}"));
    }
    if !errors.is_empty() {
        report.incomplete();
    }
    // a file whose reading failed is unverified for that reason, said above
    let failed = |path: &str| errors.iter().any(|e| e.strip_prefix(path).is_some_and(|e| e.starts_with(": ")));
    if !cfg.quiet {
        for f in report.files.iter().filter(|f| f.status == VerifyStatus::Unverified && !failed(&f.path)) {
            // a file after the newest sealed one: the report says it is not sealed yet
            if report.unsealed_tails.iter().any(|t| t.path == f.path && t.first_line == 1) {
                continue;
            }
            render::say(format_args!(
                "{}: nothing to verify: no integrity fields and no manifest{}",
                f.path,
                if key.is_some() { "" } else { " (seal the log and verify with --pubkey)" }
            ));
        }
        if report.files.iter().any(|f| f.verified_by == Some("chain")) {
            render::say(format_args!("note: {CHAIN_CAVEAT}"));
        }
    }
    let code = if !errors.is_empty() {
        EXIT_ERROR
    } else if report.intact {
        EXIT_OK
    } else {
        EXIT_NEGATIVE
    };
    emit(cfg, code, &report, None, render::verify::table, render::verify::csv)
}

fn seal(cfg: &Config, args: &SealArgs) -> anyhow::Result<ExitCode> {
    let key = keys::load_private(&args.key).map_err(|e| UsageError(format!("{e:#}")))?;
    let expanded = input::expand(&args.files);
    if let Some(e) = expanded.errors.first() {
        return Err(UsageError(e.clone()).into());
    }
    if !cfg.quiet {
        for note in &expanded.notes {
            render::say(format_args!("note: {note}"));
        }
    }
    let mut files = Vec::new();
    for i in expanded.inputs {
        match i {
            Input::File(p) => files.push(p),
            Input::Stdin | Input::Spooled(_) => {
                return Err(
                    UsageError("seal writes FILE.seal.json beside each file: stdin cannot be sealed".into()).into()
                );
            }
        }
    }
    let report = report::verify::seal(&files, &key, args.checkpoint_every, args.after.as_deref(), &cfg.scan)?;
    emit(cfg, EXIT_OK, &report, None, render::verify::seal_table, render::verify::seal_csv)
}

fn keygen(cfg: &Config, args: &KeygenArgs) -> anyhow::Result<ExitCode> {
    let mut out = stdout();
    if let Some(path) = &args.redact {
        keys::generate_redact_key(path, args.force).map_err(|e| UsageError(format!("{e:#}")))?;
        if cfg.format == Format::Json {
            let doc = serde_json::json!({"schema_version": 1, "command": "keygen", "redact_key": path});
            render::write_json(&mut out, &doc)?;
        } else {
            writeln!(
                out,
                "wrote {} (a pseudonym key for redact: keep it secret, keep it to join later logs)",
                path.display()
            )?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.out.as_deref().expect("clap requires --out or --redact");
    let (private, public) = keys::generate(name, args.force).map_err(|e| UsageError(format!("{e:#}")))?;
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

fn views(cfg: &Config, args: &ViewsArgs) -> anyhow::Result<ExitCode> {
    let run = Run::new(&args.input, cfg)?;
    let window = window_line(&run.filter, cfg);
    let (scan, code) = run.scan(cfg, ViewsAcc::default)?;
    let keep = |name: &str| cfg.filter.matches_view(name);
    let report = match scan.spill.clone() {
        None => ViewsReport::build(scan, &cfg.risk, keep, cfg.view_detail, cfg.top),
        Some(spill) => {
            spill_note(cfg, &spill, "per-resource");
            let (mut rows, mut total, mut without) = (Vec::new(), 0u64, 0u64);
            each_partition(&spill, ViewsAcc::default, |_, part| {
                let part_rows = ViewsReport::rows(&part, &cfg.risk, keep, cfg.view_detail);
                total += part_rows.len() as u64;
                without += part.without_resource();
                rows.extend(part_rows);
                if cfg.top.is_some() {
                    ViewsReport::keep_top(&mut rows, cfg.top);
                }
                Ok(())
            })?;
            ViewsReport::assemble(scan.events(), scan.malformed(), without, rows, total, cfg.top)
        }
    };
    if report.resources_total == 0 && report.events > 0 && cfg.format != Format::Table && !cfg.quiet {
        render::say(format_args!("note: {}", render::views::NO_RESOURCES));
    }
    emit_once(cfg, code, report, window, render::views::table, render::views::csv)
}

fn group(cfg: &Config, args: &GroupArgs) -> anyhow::Result<ExitCode> {
    let tz = match cfg.tz.as_deref() {
        None => chrono_tz::Tz::UTC,
        Some(name) => name.parse().map_err(|_| UsageError(format!("--tz: unknown time zone '{name}'")))?,
    };
    let spec = Arc::new(GroupSpec::parse(&args.by, tz).map_err(UsageError)?);
    let order = Order::parse(args.sort.as_deref(), &spec).map_err(UsageError)?;
    let run = Run::new(&args.input, cfg)?;
    let window = window_line(&run.filter, cfg);
    let make = || GroupAcc::new(spec.clone());
    let (scan, code) = run.scan(cfg, make)?;
    let rows = match scan.spill.clone() {
        None => GroupReport::rows(&scan.acc),
        Some(spill) => {
            spill_note(cfg, &spill, "per-group");
            let mut rows = Vec::new();
            each_partition(&spill, make, |_, part| {
                rows.extend(GroupReport::rows(&part));
                Ok(())
            })?;
            rows
        }
    };
    let report = GroupReport::assemble(&spec, &order, rows, scan.events(), scan.malformed(), cfg.top);
    let done = emit_once(cfg, code, report, window, render::group::table, render::group::csv);
    // the per-key state is the scan's, not the report's
    leave_scan(scan);
    done
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
    let run = Run::new(&args.input, cfg)?;
    let window = window_line(&run.filter, cfg);
    if args.follow.follow {
        return live::follow(
            cfg,
            run,
            &args.follow,
            || TimelineAcc::new(fixed),
            |scan, _| {
                if scan.acc.bucket_count() > MAX_BUCKETS {
                    let msg = format!(
                        "the events span more than {} buckets: choose a larger --bucket",
                        thousands(MAX_BUCKETS as u64)
                    );
                    return Err(UsageError(msg).into());
                }
                let report = TimelineReport::build(scan);
                live::show(cfg, &report, window.as_deref(), render::timeline::table, render::timeline::csv)?;
                Ok(None)
            },
        );
    }
    let (scan, code) = run.scan(cfg, || TimelineAcc::new(fixed))?;
    let spilled = match &scan.spill {
        Some(spill) => {
            spill_note_read(cfg, spill, "per-bucket", "time order");
            Some(SpilledTimeline::open(spill, fixed)?)
        }
        None => None,
    };
    let n = spilled.as_ref().map_or_else(|| scan.acc.bucket_count(), SpilledTimeline::bucket_count);
    if n > MAX_BUCKETS {
        let msg = format!(
            "--bucket {}: the events span {} buckets of that size, more than {} (choose a larger bucket, or narrow the time with --since/--until)",
            args.bucket.as_deref().unwrap_or_default(),
            thousands(n as u64),
            thousands(MAX_BUCKETS as u64)
        );
        return Err(UsageError(msg).into());
    }
    let report = match spilled {
        Some(spilled) => spilled.report(scan.events(), scan.malformed())?,
        None => TimelineReport::build(scan),
    };
    emit_once(cfg, code, report, window, render::timeline::table, render::timeline::csv)
}

type TableFn<R> = fn(&mut Vec<u8>, &R, Style) -> anyhow::Result<()>;
type CsvFn<R> = fn(&mut Sink, &R) -> anyhow::Result<()>;

/// Ends a one-shot command without freeing its state: the process exits
/// next and the system takes the memory back whole, where freeing a large
/// log's per-principal state allocation by allocation kept the process
/// alive after its output was written (about 2% of `users`' time, in one
/// thread after the workers had finished). Only for state that owns no
/// temporary files: a scan goes through [`leave_scan`].
fn leave<T>(state: T) {
    std::mem::forget(state);
}

/// [`leave`] for a scan whose state outlived its report: its spill, if
/// any, is dropped first (the spill's folder is removed with it).
fn leave_scan<A>(mut scan: Scan<A>) {
    drop(scan.spill.take());
    leave(scan);
}

/// [`emit`] for a one-shot command: the report, which may hold the scan's
/// state, is left, not freed.
fn emit_once<R: serde::Serialize>(
    cfg: &Config,
    code: u8,
    report: R,
    window: Option<String>,
    table: TableFn<R>,
    csv: CsvFn<R>,
) -> anyhow::Result<ExitCode> {
    let done = emit(cfg, code, &report, window, table, csv);
    leave(report);
    done
}

/// Renders a report in the chosen format on stdout.
fn emit<R: serde::Serialize>(
    cfg: &Config,
    code: u8,
    report: &R,
    window: Option<String>,
    table: TableFn<R>,
    csv: CsvFn<R>,
) -> anyhow::Result<ExitCode> {
    let mut out = Sink::open(cfg)?;
    match cfg.format {
        Format::Json => render::write_json(&mut out, report)?,
        Format::Csv => csv(&mut out, report)?,
        Format::Prometheus => render::prometheus::write(&mut out, &serde_json::to_value(report)?)?,
        Format::Markdown => render::markdown::write(&mut out, &serde_json::to_value(report)?)?,
        Format::Table => {
            let mut text = Vec::new();
            if let Some(w) = window {
                writeln!(text, "{w}")?;
            }
            table(&mut text, report, cfg.style)?;
            out.write_all(&render::fit_prose(&text, cfg.style.width_limit()))?;
        }
        Format::Junit | Format::Github => {
            return Err(UsageError("--format junit and --format github are for `fsaudit check`".into()).into());
        }
        Format::Html => return Err(UsageError("--format html is for `fsaudit report`".into()).into()),
    }
    out.finish(code)?;
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
