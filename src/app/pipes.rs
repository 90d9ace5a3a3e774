//! Running `filter` and `redact`: their output streams to stdout in input
//! order while the workers go on, and a closed pipe ends the run at once.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::anyhow;

use super::{EXIT_ERROR, EXIT_NEGATIVE, EXIT_OK, Run, UsageError, nothing_matched, stdout};
use crate::cli::{FilterArgs, RedactArgs};
use crate::config::Config;
use crate::engine::{self, Emitted};
use crate::input::{Chunk, ChunkKind, Input};
use crate::pipe::filter::{FilterJob, Mode, Seen};
use crate::pipe::push_line;
use crate::pipe::redact::Redactor;
use crate::stats::TimeRange;

/// Streams what `process` makes of every chunk to stdout, in input order;
/// reports input errors; a closed pipe is a quiet success. Returns the sum
/// of `process`'s counts and the exit code so far.
fn stream<P>(cfg: &Config, run: Run, process: P) -> anyhow::Result<(u64, u8)>
where
    P: Fn(&Chunk, &mut Emitted) -> u64 + Sync,
{
    let total = run.inputs.iter().map(Input::size).sum::<Option<u64>>();
    let bar = cfg.progress_bar(total);
    let streamed = engine::stream_ordered(&run.inputs, &cfg.scan, &bar, process, || {
        // a terminal wants each line as it comes; a pipe wants big writes
        let out: Box<dyn Write> = if io::stdout().is_terminal() {
            Box::new(io::LineWriter::new(io::stdout().lock()))
        } else {
            Box::new(BufWriter::with_capacity(256 * 1024, io::stdout().lock()))
        };
        out
    })?;
    bar.finish_and_clear();
    if let Some(e) = streamed.write_error {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Ok((streamed.counted.max(1), EXIT_OK));
        }
        return Err(anyhow!(e).context("writing to stdout"));
    }
    let mut errors = run.errors;
    errors.extend(streamed.errors);
    for e in &errors {
        eprintln!("fsaudit: {e}");
    }
    Ok((streamed.counted, if errors.is_empty() { EXIT_OK } else { EXIT_ERROR }))
}

pub(super) fn filter(cfg: &Config, args: &FilterArgs) -> anyhow::Result<ExitCode> {
    let mode = match (args.count, args.invert, args.normalize) {
        (true, invert, _) => Mode::Count { invert },
        (false, true, _) => Mode::Invert,
        (false, false, true) => Mode::Normalize,
        (false, false, false) => Mode::Lines,
    };
    let run = Run::new(&args.input, cfg)?;
    let filter = run.filter.clone();
    let seen = Seen::default();
    let job = FilterJob { parser: &cfg.parser, filter: &filter, mode, max_line: cfg.scan.max_line, seen: &seen };
    let skipped = AtomicU64::new(0);
    let (selected, mut code) = stream(cfg, run, |chunk, out| {
        if let ChunkKind::Oversized { .. } = chunk.kind {
            skipped.fetch_add(1, Ordering::Relaxed);
        }
        job.process(chunk, out)
    })?;
    let skipped = skipped.into_inner();
    if skipped > 0 && !cfg.quiet {
        eprintln!("fsaudit: warning: {skipped} line(s) longer than --max-line-bytes could not be printed");
    }
    if args.count {
        let mut out = stdout();
        writeln!(out, "{selected}")?;
        out.flush()?;
    }
    if code == EXIT_OK && selected == 0 {
        code = EXIT_NEGATIVE;
        if !args.invert && !cfg.quiet {
            if let Some(line) = nothing_matched(seen.events(), 0, &seen.range(), &filter, cfg) {
                eprintln!("fsaudit: {line}");
            }
        }
    }
    Ok(ExitCode::from(code))
}

/// The pseudonym key: the key file's bytes, or a random key (with a warning).
fn redaction_key(cfg: &Config, args: &RedactArgs) -> anyhow::Result<Vec<u8>> {
    let Some(path) = &args.key_file else {
        if !cfg.quiet {
            eprintln!(
                "fsaudit: warning: no --key-file: pseudonyms use a random key and differ from run to run \
                 (a key file keeps them stable across files and runs)"
            );
        }
        let mut k = vec![0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut k);
        return Ok(k);
    };
    let bytes = crate::input::read_small_file(path)
        .map_err(|e| UsageError(format!("{}: cannot read the key: {e}", path.display())))?;
    let key = bytes.trim_ascii().to_vec();
    if key.is_empty() {
        return Err(UsageError(format!("{}: the key file is empty", path.display())).into());
    }
    Ok(key)
}

pub(super) fn redact(cfg: &Config, args: &RedactArgs) -> anyhow::Result<ExitCode> {
    let redactor = Redactor::new(redaction_key(cfg, args)?);
    let dropped = AtomicU64::new(0);
    let run = Run::new(&args.input, cfg)?;
    let filter = run.filter.clone();
    let seen = Seen::default();
    let (written, code) = stream(cfg, run, |chunk, emitted| {
        if let ChunkKind::Oversized { .. } = chunk.kind {
            dropped.fetch_add(1, Ordering::Relaxed);
        }
        let mut written = 0;
        let (mut events, mut range) = (0, TimeRange::default());
        let mut reader = crate::schema::LineReader::default();
        let mut scratch = Vec::new();
        cfg.parser.each_line(&mut reader, &chunk.data, |line| {
            let out = &mut emitted.bytes;
            if line.is_blank() {
                return;
            }
            let parsed =
                if line.content.len() > cfg.scan.max_line { None } else { line.parse(&cfg.parser, &mut scratch).ok() };
            if let Some(ev) = &parsed {
                events += 1;
                if let Some(t) = ev.time {
                    range.observe(t);
                }
            }
            match parsed {
                Some(ev) if filter.matches(&ev) => {
                    // the event itself is printed, without its envelope
                    if let Some(out_line) = redactor.line(line.content, ev.schema, &cfg.parser) {
                        out.extend_from_slice(&out_line);
                        out.push(b'\n');
                        written += 1;
                        emitted.selected(line.content);
                    }
                }
                Some(_) => {}
                None if args.keep_malformed => {
                    for raw in line.raw() {
                        push_line(out, redactor.scrub(&String::from_utf8_lossy(raw)).as_bytes());
                    }
                    emitted.selected(line.content);
                }
                None => {
                    dropped.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        seen.add(events, &range);
        written
    })?;
    if written == 0 && code == EXIT_OK && !cfg.quiet {
        if let Some(line) = nothing_matched(seen.events(), 0, &seen.range(), &filter, cfg) {
            eprintln!("fsaudit: {line}");
        }
    }
    let dropped = dropped.into_inner();
    if dropped > 0 && !cfg.quiet {
        eprintln!("fsaudit: {dropped} malformed line(s) dropped (--keep-malformed keeps them, masked)");
    }
    Ok(ExitCode::from(code))
}
