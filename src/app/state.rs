//! `--save-state FILE` and `fsaudit merge`: a report's state written to a
//! file, and states from many machines or days combined into the report a
//! single run over all their inputs would print.
//!
//! A state file is zstd-compressed: one line of JSON (what wrote it, the
//! command line, the settings that shape the report, the rules file it
//! read), then the state in postcard: the per-input counts, the first
//! malformed lines, the distinct lines' hashes (for `duplicate_lines`), and
//! the accumulator split into [`PARTS`] key partitions, as the workers'
//! states are merged and as a spill writes them. `merge` checks that every
//! state was saved by the same fsaudit with the same settings, then loads
//! the partitions into one accumulator (or, past `--memory-limit`, into a
//! spill read back one partition at a time) and builds the report exactly
//! as the command does.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use serde::{Deserialize, Serialize};

use super::UsageError;
use crate::cli::{Cli, Command, GlobalArgs, InputArgs, MergeArgs};
use crate::config::Config;
use crate::engine::{Accumulator, InputReport, MalformedLine, Scan};
use crate::spill::{PARTS, Spill};
use crate::stats::TimeRange;
use crate::time::Micros;

/// The version of the state format; a state of another version is refused.
const FORMAT: u32 = 1;

/// What a state says about itself (the file's first line).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Header {
    /// Always [`FORMAT`]: marks the file as a state.
    pub fsaudit_state: u32,
    /// The fsaudit version that wrote it: states are merged only by the
    /// version that wrote them (the accumulators' layout is its own).
    pub version: String,
    pub command: String,
    /// The command line of the saved run.
    pub argv: Vec<String>,
    /// What shapes the report: the command's options less inputs, output
    /// and resources, and the time window as resolved.
    pub settings: String,
    /// The time window the filters resolved to (microseconds).
    pub since: Option<Micros>,
    pub until: Option<Micros>,
    /// The rules file the run read (`--rules`), as it was.
    pub rules: Option<String>,
}

/// Where `--save-state` writes, and the header it writes.
#[derive(Debug)]
pub struct SaveTo {
    pub path: PathBuf,
    pub header: Header,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedInput {
    path: String,
    bytes: u64,
    lines: u64,
    scanned: u64,
    events: u64,
    malformed: u64,
    blank: u64,
    rejected_latencies: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedLine {
    path: String,
    line: u64,
    reason: String,
}

impl SavedLine {
    fn of(m: &MalformedLine) -> Self {
        SavedLine { path: m.path.clone(), line: m.line, reason: m.reason.clone() }
    }

    fn back(self) -> MalformedLine {
        MalformedLine { path: self.path, line: self.line, reason: self.reason }
    }
}

/// The state after the header.
#[derive(Debug, Serialize, Deserialize)]
struct Body {
    inputs: Vec<SavedInput>,
    malformed_lines: Vec<SavedLine>,
    errors: Vec<String>,
    first_rejected_latency: Option<SavedLine>,
    duplicate_lines: u64,
    /// The distinct lines' hashes, sorted (runs that count duplicates).
    line_hashes: Option<Vec<u64>>,
    scanned_range: TimeRange,
    /// The accumulator, [`PARTS`] key partitions.
    parts: Vec<Vec<u8>>,
}

/// A state read back.
#[derive(Debug)]
pub struct Saved {
    path: PathBuf,
    header: Header,
    body: Body,
}

/// The options of a report that has a state, borrowed to be read or set.
struct Parts<'a> {
    name: &'static str,
    input: &'a mut InputArgs,
    format: &'a mut Option<crate::render::Format>,
    csv_raw: &'a mut bool,
    output: &'a mut Option<PathBuf>,
    memory: &'a mut crate::cli::MemoryArgs,
    state: &'a mut crate::cli::StateArgs,
    top: Top<'a>,
    /// `--rules` (users, anomalies, check).
    rules: Option<&'a mut Option<PathBuf>>,
    /// `--pubkey` (check).
    pubkey: Option<&'a mut Option<PathBuf>>,
    follow: bool,
}

/// `--top`: `summary`'s has a default, the others' none.
enum Top<'a> {
    Default(&'a mut usize),
    Optional(&'a mut Option<usize>),
    None,
}

/// The options of a command that has a state; `None` for the others.
fn parts(command: &mut Command) -> Option<Parts<'_>> {
    use crate::cli::{AnomaliesArgs, UsersArgs};
    // the reports whose output options sit in one `output` group
    macro_rules! report {
        ($a:ident, $name:expr, $top:expr, $rules:expr, $follow:expr) => {
            Parts {
                name: $name,
                input: &mut $a.input,
                format: &mut $a.output.format,
                csv_raw: &mut $a.output.rest.csv_raw,
                output: &mut $a.output.rest.file.output,
                memory: &mut $a.memory,
                state: &mut $a.state,
                top: $top,
                rules: $rules,
                pubkey: None,
                follow: $follow,
            }
        };
    }
    let p = match command {
        Command::Summary(a) => report!(a, "summary", Top::Default(&mut a.top), None, a.follow.follow),
        Command::Users(UsersArgs { report: a, .. }) | Command::Anomalies(AnomaliesArgs { report: a, .. }) => {
            report!(a, "", Top::Optional(&mut a.top), Some(&mut a.detectors.rules), false)
        }
        Command::Views(a) => report!(a, "views", Top::Optional(&mut a.top), None, false),
        Command::Group(a) => report!(a, "group", Top::Optional(&mut a.top), None, false),
        Command::Timeline(a) => report!(a, "timeline", Top::None, None, a.follow.follow),
        Command::Check(a) => Parts {
            name: "check",
            input: &mut a.input,
            format: &mut a.format,
            csv_raw: &mut a.csv_raw,
            output: &mut a.file.output,
            memory: &mut a.memory,
            state: &mut a.state,
            top: Top::None,
            rules: Some(&mut a.detectors.rules),
            pubkey: Some(&mut a.pubkey),
            follow: a.follow.follow,
        },
        _ => return None,
    };
    Some(p)
}

/// The command's name (as `merge` reports it).
fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Users(_) => "users",
        Command::Anomalies(_) => "anomalies",
        other => parts(&mut other.clone()).map_or("other", |p| p.name),
    }
}

/// The command with the options that say nothing about its result
/// (inputs, output, threads, memory, the state file, `--top`) at their
/// defaults, and without the rules file's path (its text is compared).
fn neutral(command: &Command) -> Option<Command> {
    let mut c = command.clone();
    let p = parts(&mut c)?;
    p.input.inputs.clear();
    p.input.scan.threads = None;
    p.input.scan.buffer_size = crate::cli::BUFFER_SIZE;
    p.input.scan.progress = crate::cli::When::Never;
    p.input.parse.strict = false;
    *p.format = None;
    *p.csv_raw = false;
    *p.output = None;
    p.memory.memory_limit = None;
    p.state.save_state = None;
    match p.top {
        Top::Default(t) => *t = 10,
        Top::Optional(t) => *t = None,
        Top::None => {}
    }
    if let Some(r) = p.rules {
        *r = None;
    }
    if let Some(k) = p.pubkey {
        *k = None;
    }
    Some(c)
}

/// The header a `--save-state` run writes, or `None` when the command
/// was given none; refuses what a state cannot carry.
pub fn save_to(cli: &Cli) -> anyhow::Result<Option<SaveTo>> {
    let mut command = cli.command.clone();
    let Some(p) = parts(&mut command) else { return Ok(None) };
    let Some(path) = p.state.save_state.clone() else { return Ok(None) };
    let refuse = |why: &str| Err(UsageError(format!("--save-state: {why}")).into());
    if p.follow {
        return refuse("a followed report has no end to save");
    }
    if p.input.parse.dedup {
        return refuse(
            "--dedup keeps the first copy of a line across all inputs, which states from separate runs cannot \
             know; merge states saved without it (summary still counts duplicate_lines across them)",
        );
    }
    let rules = match p.rules.and_then(|r| r.as_deref()) {
        Some(p) => Some(
            String::from_utf8(crate::input::read_small_file(p).with_context(|| format!("{}", p.display()))?)
                .map_err(|_| UsageError(format!("{}: not UTF-8 text", p.display())))?,
        ),
        None => None,
    };
    let neutral = neutral(&cli.command).expect("a command with --save-state has a state");
    let header = Header {
        fsaudit_state: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        command: command_name(&cli.command).to_owned(),
        argv: std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect(),
        settings: format!("{neutral:?}"),
        since: None,
        until: None,
        rules,
    };
    Ok(Some(SaveTo { path, header }))
}

/// Writes a scan's state to `to` (atomically); the scan is left as it was.
pub fn save<A: Accumulator>(
    to: &SaveTo,
    scan: &mut Scan<A>,
    window: (Option<Micros>, Option<Micros>),
    make: &impl Fn() -> A,
) -> anyhow::Result<()> {
    if !scan.acc.can_spill() {
        return Err(UsageError("--save-state: this report's state cannot be saved".into()).into());
    }
    let parts = match &scan.spill {
        // a state not split by key (a timeline) is read back whole
        Some(spill) if !scan.acc.parts_by_key() => {
            let mut whole = make();
            for p in 0..PARTS {
                spill.load(p, &mut whole)?;
            }
            whole.spill_parts(PARTS)
        }
        // the state is in the spill files, a partition at a time
        Some(spill) => {
            let mut parts = Vec::with_capacity(PARTS);
            for p in 0..PARTS {
                let mut part = make();
                spill.load(p, &mut part)?;
                parts.push(part.spill_parts(1).pop().unwrap_or_default());
            }
            parts
        }
        None => {
            let parts = scan.acc.spill_parts(PARTS);
            for p in &parts {
                scan.acc.load_part(p)?;
            }
            parts
        }
    };
    let saved = |m: &Option<MalformedLine>| m.as_ref().map(SavedLine::of);
    let body = Body {
        inputs: scan
            .inputs
            .iter()
            .map(|i| SavedInput {
                path: i.path.clone(),
                bytes: i.bytes,
                lines: i.lines,
                scanned: i.scanned,
                events: i.events,
                malformed: i.malformed,
                blank: i.blank,
                rejected_latencies: i.rejected_latencies,
            })
            .collect(),
        malformed_lines: scan.malformed_lines.iter().map(SavedLine::of).collect(),
        errors: scan.errors.clone(),
        first_rejected_latency: saved(&scan.first_rejected_latency),
        duplicate_lines: scan.duplicate_lines,
        line_hashes: scan.line_hashes.clone(),
        scanned_range: scan.scanned_range,
        parts,
    };
    let header = Header { since: window.0, until: window.1, ..to.header.clone() };
    write(&to.path, &header, &body).with_context(|| format!("--save-state {}", to.path.display()))
}

fn write(path: &Path, header: &Header, body: &Body) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new().prefix(".fsaudit-state-").tempfile_in(dir)?;
    let mut z = zstd::Encoder::new(std::io::BufWriter::with_capacity(1 << 20, temp), 3)?;
    serde_json::to_writer(&mut z, header)?;
    z.write_all(b"\n")?;
    z.write_all(&postcard::to_stdvec(body)?)?;
    let temp = z.finish()?.into_inner().map_err(|e| e.into_error())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Reads a state file.
fn read(path: &Path) -> anyhow::Result<Saved> {
    let not_state = || UsageError(format!("{}: not a state written by --save-state", path.display()));
    let file = std::fs::File::open(path).map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    zstd::Decoder::new(file).and_then(|mut d| d.read_to_end(&mut bytes)).map_err(|_| not_state())?;
    let newline = memchr::memchr(b'\n', &bytes).ok_or_else(not_state)?;
    let header: Header = serde_json::from_slice(&bytes[..newline]).map_err(|_| not_state())?;
    if header.fsaudit_state != FORMAT || header.version != env!("CARGO_PKG_VERSION") {
        return Err(UsageError(format!(
            "{}: a state of fsaudit {} (format {}); this is fsaudit {} (format {FORMAT}): merge with the version \
             that saved it",
            path.display(),
            header.version,
            header.fsaudit_state,
            env!("CARGO_PKG_VERSION")
        ))
        .into());
    }
    let body: Body = postcard::from_bytes(&bytes[newline + 1..])
        .map_err(|e| anyhow!("{}: the state is damaged ({e})", path.display()))?;
    if body.parts.len() != PARTS {
        return Err(anyhow!("{}: the state is damaged ({} partitions)", path.display(), body.parts.len()));
    }
    Ok(Saved { path: path.to_path_buf(), header, body })
}

/// The first place two settings strings differ, for the error.
fn first_difference(a: &str, b: &str) -> String {
    let mut at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    // two characters that share their first bytes differ inside one
    while !a.is_char_boundary(at) {
        at -= 1;
    }
    // from the start of the option (`name: value`) that differs
    let from = a[..at].rfind(", ").map(|i| i + 2).max(a[..at].rfind("{ ").map(|i| i + 2)).unwrap_or(0);
    let cut = |s: &str| s[from..].split(", ").next().unwrap_or_default().chars().take(80).collect::<String>();
    format!("'{}' against '{}'", cut(a), cut(b))
}

/// The report of the states, as the command that saved them prints it.
pub fn merge(global: &GlobalArgs, _cfg: &Config, args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let states = args.states.iter().map(|p| read(p)).collect::<anyhow::Result<Vec<_>>>()?;
    let first = &states[0];
    for s in &states[1..] {
        let (a, b) = (&first.header, &s.header);
        let differs = if a.command != b.command {
            Some(format!("it is a state of `{}`, the first of `{}`", b.command, a.command))
        } else if a.settings != b.settings {
            Some(format!("other options: {}", first_difference(&b.settings, &a.settings)))
        } else if (a.since, a.until) != (b.since, b.until) {
            Some("another time window (a relative --since or --last resolves when each run starts)".to_owned())
        } else if a.rules != b.rules {
            Some("another rules file".to_owned())
        } else {
            None
        };
        if let Some(why) = differs {
            return Err(UsageError(format!(
                "{} cannot be merged with {}: {why}",
                s.path.display(),
                first.path.display()
            ))
            .into());
        }
    }
    let mut cli = <Cli as clap::Parser>::try_parse_from(&first.header.argv)
        .map_err(|e| anyhow!("{}: its command line does not parse: {e}", first.path.display()))?;
    // the saved run's rules, from the state
    let rules_file = match &first.header.rules {
        Some(text) => {
            let mut f = tempfile::Builder::new().prefix(".fsaudit-rules-").suffix(".toml").tempfile()?;
            f.write_all(text.as_bytes())?;
            Some(f.into_temp_path())
        }
        None => None,
    };
    override_output(&mut cli.command, args, rules_file.as_ref().map(|p| p.to_path_buf()));
    // the merge's own -q and --color, not the saved run's
    let global = global.clone();
    let mut cfg = Config::new(&global, &cli.command.options()).map_err(UsageError)?;
    cfg.filter = cfg.filter.with_window(first.header.since, first.header.until);
    cfg.last = None;
    if let Some(path) = &args.save_state {
        cfg.save_state = Some(Arc::new(SaveTo { path: path.clone(), header: first.header.clone() }));
    }
    cfg.merged = Some(Arc::new(states));
    cli.global = global;
    super::dispatch(cli, cfg)
}

/// `merge`'s `--format`, `--top`, `--output` and `--memory-limit` over
/// the saved run's, and the rules file the state carries.
fn override_output(command: &mut Command, args: &MergeArgs, rules: Option<PathBuf>) {
    let Some(p) = parts(command) else { return };
    *p.format = args.format.or(*p.format);
    *p.output = args.file.output.clone();
    p.memory.memory_limit = args.memory.memory_limit.clone();
    p.state.save_state = None;
    match p.top {
        Top::Default(t) => *t = args.top.unwrap_or(*t),
        Top::Optional(t) => *t = args.top.or(*t),
        Top::None => {}
    }
    if let Some(r) = p.rules {
        *r = rules;
    }
    // the key of chain_breaks, which a state does not carry
    if let Some(k) = p.pubkey {
        *k = None;
    }
}

/// The scan the states make together: their inputs in order, their first
/// malformed lines, duplicates across them, and the accumulator merged
/// (in memory, or past the memory budget in a spill).
pub fn scan_of<A: Accumulator>(
    states: &[Saved],
    cfg: &Config,
    make: impl Fn() -> A,
    keep_hashes: bool,
) -> anyhow::Result<Scan<A>> {
    let mut inputs = Vec::new();
    let mut malformed_lines = Vec::new();
    let mut errors = Vec::new();
    let mut first_rejected_latency = None;
    let mut scanned_range = TimeRange::default();
    let mut duplicates = 0u64;
    let mut distinct_each = 0u64;
    let mut hashes: Option<Vec<u64>> = None;
    let bytes: usize = states.iter().map(|s| s.body.parts.iter().map(Vec::len).sum::<usize>()).sum();
    let spill = cfg
        .scan
        .memory_limit
        .filter(|limit| (bytes as u64).saturating_mul(4) > *limit)
        .map(|limit| Arc::new(Spill::new(limit)));
    let mut acc = make();
    for s in states {
        let b = &s.body;
        inputs.extend(b.inputs.iter().map(|i| InputReport {
            path: i.path.clone(),
            bytes: i.bytes,
            lines: i.lines,
            scanned: i.scanned,
            events: i.events,
            malformed: i.malformed,
            blank: i.blank,
            rejected_latencies: i.rejected_latencies,
        }));
        malformed_lines.extend(b.malformed_lines.iter().cloned().map(SavedLine::back));
        errors.extend(b.errors.iter().map(|e| format!("{} (in {})", e, s.path.display())));
        if first_rejected_latency.is_none() {
            first_rejected_latency = b.first_rejected_latency.clone().map(SavedLine::back);
        }
        scanned_range.merge(&b.scanned_range);
        duplicates += b.duplicate_lines;
        if let Some(h) = &b.line_hashes {
            distinct_each += h.len() as u64;
            hashes.get_or_insert_with(Vec::new).extend_from_slice(h);
        }
        match &spill {
            Some(spill) => spill.write(b.parts.clone())?,
            None => {
                for p in &b.parts {
                    if !p.is_empty() {
                        acc.load_part(p)?;
                    }
                }
            }
        }
    }
    // a line in two states is a duplicate the single run would have counted
    if let Some(h) = &mut hashes {
        h.sort_unstable();
        h.dedup();
        duplicates += distinct_each - h.len() as u64;
    }
    malformed_lines.truncate(cfg.scan.samples);
    Ok(Scan {
        acc,
        inputs,
        malformed_lines,
        errors,
        first_rejected_latency,
        duplicate_lines: duplicates,
        scanned_range,
        spill,
        line_hashes: if keep_hashes { hashes } else { None },
    })
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn the_first_difference_names_the_option_whole() {
        let a = r#"Summary { user: ["é"], view: [] }"#;
        let b = r#"Summary { user: ["è"], view: [] }"#;
        assert_eq!(first_difference(a, b), r#"'user: ["é"]' against 'user: ["è"]'"#);
        let c = r#"Summary { user: [], view: ["x"] }"#;
        let d = r#"Summary { user: [], view: [] }"#;
        assert_eq!(first_difference(c, d), r#"'view: ["x"] }' against 'view: [] }'"#);
    }
}
