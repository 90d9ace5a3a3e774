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
use crate::pipe::ChunkNote;
use crate::pipe::filter::{FilterJob, Mode, Seen};
use crate::pipe::redact::detectors::{Detectors, RULES};
use crate::pipe::redact::fields::Table;
use crate::pipe::redact::{MIN_KEY_BYTES, Redactor, Scratch, extra_fields, json};
use crate::render::Format;
use crate::render::table::counted;
use crate::stats::TimeRange;
use rustc_hash::FxHashSet;

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
    if engine::interrupted() {
        // main says "interrupted" and exits 130
        return Err(anyhow!("interrupted"));
    }
    if let Some(e) = streamed.write_error {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Ok((streamed.counted.max(1), EXIT_OK));
        }
        return Err(anyhow!(e).context("writing to stdout"));
    }
    let mut errors = run.errors;
    errors.extend(streamed.errors);
    for e in &errors {
        crate::render::say(format_args!("{e}"));
    }
    Ok((streamed.counted, if errors.is_empty() { EXIT_OK } else { EXIT_ERROR }))
}

pub(super) fn filter(cfg: &Config, args: &FilterArgs) -> anyhow::Result<ExitCode> {
    use crate::pipe::rows::{DEFAULT, Field, Rows};
    let format = cfg.format_given.then_some(cfg.format);
    let fields: Vec<Field> = if args.fields.is_empty() {
        DEFAULT.to_vec()
    } else {
        args.fields.iter().map(|f| Field::parse(f)).collect::<Result<_, _>>().map_err(UsageError)?
    };
    let rows = match format {
        Some(Format::Table) => Some(Rows::table(fields, cfg.style.width_limit())),
        Some(Format::Csv) => Some(Rows::csv(fields)),
        Some(Format::Json) | None => {
            if !args.fields.is_empty() {
                return Err(UsageError("--fields chooses the columns of --format table or csv".into()).into());
            }
            None
        }
        Some(other) => {
            let name = format!("{other:?}").to_lowercase();
            return Err(UsageError(format!("--format {name} is for check; filter prints table, csv or json")).into());
        }
    };
    let rows_mode = rows.is_some() && !args.count;
    if rows.is_some() && args.invert {
        return Err(UsageError("--invert prints the log's own lines: it takes no --format".into()).into());
    }
    let mode = match (args.count, args.invert, args.normalize || format == Some(Format::Json)) {
        (true, invert, _) => Mode::Count { invert },
        (false, true, _) => Mode::Invert,
        (false, false, _) if rows_mode => Mode::Rows,
        (false, false, true) => Mode::Normalize,
        (false, false, false) => Mode::Lines,
    };
    let mut run = Run::new(&args.input, cfg)?;
    if args.follow && (run.inputs.len() != 1 || cfg.scan.strict) {
        let why = if cfg.scan.strict { "it cannot take --strict" } else { "it follows one file (or stdin)" };
        return Err(UsageError(format!("--follow: {why}")).into());
    }
    let _spooled = if cfg.scan.strict { spool_stdin(&mut run.inputs)? } else { None };
    if cfg.scan.strict {
        // refuse a malformed line before anything is printed
        strict_check(cfg, &run.inputs)?;
    }
    let filter = run.filter.clone();
    let seen = Seen::default();
    let notes = std::sync::Mutex::new(Vec::<ChunkNote>::new());
    let input_names: Vec<String> = run.inputs.iter().map(Input::display).collect();
    let job = FilterJob {
        parser: &cfg.parser,
        filter: &filter,
        mode,
        max_line: cfg.scan.max_line,
        seen: &seen,
        rows: rows.as_ref(),
        notes: &notes,
        samples: cfg.scan.samples,
    };
    let skipped = AtomicU64::new(0);
    let (selected, mut code) = stream(cfg, run, |chunk, out| {
        if let ChunkKind::Oversized { .. } = chunk.kind {
            skipped.fetch_add(1, Ordering::Relaxed);
        }
        job.process(chunk, out)
    })?;
    let malformed = account(notes.into_inner().expect("notes lock"), &input_names, cfg).malformed;
    let skipped = skipped.into_inner();
    if skipped > 0 && args.invert && !cfg.quiet {
        crate::render::say(format_args!(
            "warning: {} longer than --max-line-bytes could not be printed",
            counted(skipped, "line")
        ));
    }
    if args.count {
        let mut out = stdout();
        writeln!(out, "{selected}")?;
        out.flush()?;
    }
    if code == EXIT_OK && selected == 0 {
        code = EXIT_NEGATIVE;
        if !args.invert && !cfg.quiet {
            if let Some(line) = nothing_matched(seen.events(), malformed, &seen.range(), &filter, cfg) {
                crate::render::say(format_args!("{line}"));
            }
        }
    }
    Ok(ExitCode::from(code))
}

/// The pseudonym key: the key file's bytes or `FSAUDIT_REDACT_KEY` (at
/// least [`MIN_KEY_BYTES`]), or a random key for this run (with a warning).
/// The key itself is never printed.
fn redaction_key(cfg: &Config, args: &RedactArgs) -> anyhow::Result<Vec<u8>> {
    let from_env = std::env::var_os("FSAUDIT_REDACT_KEY").filter(|v| !v.is_empty());
    let (key, source) = match (&args.key_file, from_env) {
        (Some(_), Some(_)) => {
            let msg = "both a key file and FSAUDIT_REDACT_KEY are set: give the key one way";
            return Err(UsageError(msg.into()).into());
        }
        (Some(path), None) => {
            let bytes = crate::input::read_small_file(path)
                .map_err(|e| UsageError(format!("{}: cannot read the key: {e}", path.display())))?;
            (bytes.trim_ascii().to_vec(), path.display().to_string())
        }
        (None, Some(v)) => (v.as_encoded_bytes().trim_ascii().to_vec(), "FSAUDIT_REDACT_KEY".to_owned()),
        (None, None) => {
            if !cfg.quiet {
                crate::render::say(format_args!(
                    "warning: no --key-file: pseudonyms use a random key and differ from run to run \
                     (fsaudit keygen --redact FILE makes a key that keeps them stable across files and runs)"
                ));
            }
            let mut k = vec![0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut k);
            return Ok(k);
        }
    };
    if key.len() < MIN_KEY_BYTES {
        return Err(UsageError(format!(
            "{source}: the key is {} byte(s); a pseudonym key needs at least {MIN_KEY_BYTES} \
             (fsaudit keygen --redact FILE writes a random one)",
            key.len()
        ))
        .into());
    }
    Ok(key)
}

/// `--strict`: an error naming the first malformed line of `inputs`, if any.
pub(super) fn strict_check(cfg: &Config, inputs: &[Input]) -> anyhow::Result<()> {
    let check = Run {
        inputs: inputs.to_vec(),
        errors: Vec::new(),
        filter: crate::filter::Filter::default(),
        count_duplicates: false,
    };
    check.scan(cfg, || ()).map(|_| ())
}

/// Copies standard input to a temporary file, for an input read twice.
pub(super) fn spool_stdin(inputs: &mut [Input]) -> anyhow::Result<Option<tempfile::TempPath>> {
    if !inputs.contains(&Input::Stdin) {
        return Ok(None);
    }
    let mut file = tempfile::Builder::new().prefix(".fsaudit-stdin-").tempfile()?;
    io::copy(&mut io::stdin().lock(), file.as_file_mut()).map_err(|e| anyhow!(e).context("reading stdin"))?;
    let path = file.into_temp_path();
    for i in inputs.iter_mut().filter(|i| **i == Input::Stdin) {
        *i = Input::Spooled(path.to_path_buf());
    }
    Ok(Some(path))
}

fn list_detectors(cfg: &Config) -> anyhow::Result<ExitCode> {
    let mut out = stdout();
    match cfg.format {
        crate::render::Format::Json => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|r| serde_json::json!({"name": r.name, "finds": r.finds, "becomes": r.becomes}))
                .collect();
            crate::render::write_json(&mut out, &serde_json::json!({"schema_version": 1, "detectors": rules}))?;
        }
        crate::render::Format::Csv => {
            let mut w = crate::render::Csv::new(&mut out);
            w.write_record(["name", "finds", "becomes"])?;
            for r in RULES {
                w.write_record([r.name, r.finds, r.becomes])?;
            }
            w.flush()?;
        }
        _ => {
            for r in RULES {
                writeln!(out, "{}\n    finds:   {}\n    becomes: {}", r.name, r.finds, r.becomes)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn redact(cfg: &Config, args: &RedactArgs) -> anyhow::Result<ExitCode> {
    if args.list_detectors {
        return list_detectors(cfg);
    }
    let detectors = Detectors::new(&args.disable_detector).map_err(UsageError)?;
    if let Some(bad) = args.redact_field.iter().find(|p| p.is_empty() || p.split('.').any(str::is_empty)) {
        let msg = format!("--redact-field {bad:?}: expected a dotted path such as userAgent or http.headers.cookie");
        return Err(UsageError(msg).into());
    }
    let key = redaction_key(cfg, args)?;
    let table = Table::new(&extra_fields(cfg.parser.field_map(), &args.redact_field));
    let mut redactor = Redactor::new(&key, args.ip_mode, detectors, table);
    drop(key);
    let mut run = Run::new(&args.input, cfg)?;
    // the first pass finds the names in the identity fields; standard input is kept for the second
    let _spooled = spool_stdin(&mut run.inputs)?;
    if cfg.scan.strict {
        // refuse a malformed line before anything is written
        strict_check(cfg, &run.inputs)?;
    }
    let hidden = indicatif::ProgressBar::hidden();
    let init = || {
        let reader = crate::schema::LineReader::with_max_line(cfg.scan.max_line);
        (FxHashSet::default(), Scratch::default(), reader, Vec::new())
    };
    let (states, _) = engine::fold_chunks(&run.inputs, &cfg.scan, &hidden, init, |state, chunk| {
        let (names, rs, reader, scratch) = state;
        if let ChunkKind::Lines = chunk.kind {
            cfg.parser.each_line(reader, chunk.bytes(), |line| {
                if line.is_blank() || line.unfinished {
                    return;
                }
                if let Ok(text) = simdutf8::basic::from_utf8(line.payload(&cfg.parser, scratch)) {
                    redactor.collect(text, names, rs);
                }
            });
        }
    })?;
    if engine::interrupted() {
        return Err(anyhow!("interrupted"));
    }
    let mut names = FxHashSet::default();
    for (n, ..) in states {
        names.extend(n);
    }
    redactor.set_names(names);
    let filter = run.filter.clone();
    let seen = Seen::default();
    let notes = std::sync::Mutex::new(Vec::<ChunkNote>::new());
    let input_names: Vec<String> = run.inputs.iter().map(Input::display).collect();
    let samples = cfg.scan.samples;
    let (written, code) = stream(cfg, run, |chunk, emitted| {
        let mut note = ChunkNote::of(chunk);
        let mut written = 0;
        match chunk.kind {
            ChunkKind::Oversized { .. } => {}
            ChunkKind::Lines => {
                let (mut events, mut range) = (0, TimeRange::default());
                let mut reader = crate::schema::LineReader::with_max_line(cfg.scan.max_line);
                let mut scratch = Vec::new();
                let mut payload_scratch = Vec::new();
                // pseudonyms already computed stay with the worker thread
                let mut rs = SCRATCH.take();
                emitted.bytes.reserve(chunk.bytes().len() + chunk.bytes().len() / 4);
                note.lines = cfg.parser.each_line(&mut reader, chunk.bytes(), |line| {
                    let out = &mut emitted.bytes;
                    if line.is_blank() {
                        return;
                    }
                    // too long to keep: malformed, as in every other command
                    let parsed = match (line.content.len() <= cfg.scan.max_line)
                        .then(|| line.parse(&cfg.parser, &mut scratch))
                    {
                        None => Err(format!("a line of {} bytes, longer than --max-line-bytes", line.content.len())),
                        Some(Ok(ev)) => {
                            events += 1;
                            if let Some(t) = ev.time {
                                range.observe(t);
                            }
                            Ok(filter.matches(&ev))
                        }
                        Some(Err(m)) => Err(m.0),
                    };
                    match parsed {
                        Ok(true) => {
                            // the event itself is printed, without its envelope
                            let payload = line.payload(&cfg.parser, &mut payload_scratch);
                            let done = simdutf8::basic::from_utf8(payload)
                                .map_err(|_| json::Invalid("invalid UTF-8"))
                                .and_then(|text| redactor.event(text, &mut rs, out));
                            match done {
                                Ok(()) => {
                                    out.push(b'\n');
                                    written += 1;
                                    emitted.selected(line.content);
                                }
                                Err(e) => note.failed.push((line.number, e.0)),
                            }
                        }
                        Ok(false) => {}
                        Err(why) => {
                            note.malformed(line.number, why, samples);
                            if args.keep_malformed {
                                for raw in line.raw() {
                                    let text = String::from_utf8_lossy(raw);
                                    let text = text.trim_end_matches(['\n', '\r']);
                                    out.extend_from_slice(redactor.text(text, &mut rs).as_bytes());
                                    out.push(b'\n');
                                }
                                emitted.selected(line.content);
                            }
                        }
                    }
                });
                SCRATCH.set(rs);
                seen.add(events, &range);
            }
        }
        notes.lock().expect("notes lock").push(note);
        written
    })?;
    let mut code = code;
    let accounted = account(notes.into_inner().expect("notes lock"), &input_names, cfg);
    if accounted.failed > 0 {
        code = EXIT_ERROR;
    }
    if cfg.scan.strict {
        if let Some(first) = accounted.first_malformed {
            return Err(UsageError(format!("{first} (--strict)")).into());
        }
    }
    if written == 0 && code == EXIT_OK && !cfg.quiet {
        if let Some(line) = nothing_matched(seen.events(), accounted.malformed, &seen.range(), &filter, cfg) {
            crate::render::say(format_args!("{line}"));
        }
    }
    let malformed = accounted.malformed;
    if malformed > 0 && !cfg.quiet {
        if args.keep_malformed {
            crate::render::say(format_args!(
                "{} kept, scrubbed as free text \
                 (a line over --max-line-bytes cannot be kept)",
                counted(malformed, "malformed line")
            ));
        } else {
            crate::render::say(format_args!(
                "{} dropped (--keep-malformed keeps them, scrubbed)",
                counted(malformed, "malformed line")
            ));
        }
    }
    Ok(ExitCode::from(code))
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// What the second pass did not write.
pub(super) struct Accounted {
    pub malformed: u64,
    failed: u64,
    first_malformed: Option<String>,
}

/// Reports by file and line the malformed lines (the first `--samples`)
/// and the events that could not be rewritten (dropped).
pub(super) fn account(mut notes: Vec<ChunkNote>, names: &[String], cfg: &Config) -> Accounted {
    notes.sort_by_key(|n| n.seq);
    let mut before: Vec<u64> = vec![0; names.len()];
    let mut acc = Accounted { malformed: 0, failed: 0, first_malformed: None };
    let mut shown = 0;
    for n in &notes {
        let path = &names[n.input];
        for (line, why) in &n.samples {
            let at = format!("{}:{}: {}", crate::render::safe(path), before[n.input] + line, crate::render::safe(why));
            acc.first_malformed.get_or_insert_with(|| at.clone());
            if shown < cfg.scan.samples && !cfg.quiet {
                eprintln!("{at}");
                shown += 1;
            }
        }
        acc.malformed += n.malformed;
        for &(line, why) in &n.failed {
            acc.failed += 1;
            if acc.failed <= 10 {
                eprintln!(
                    "{}:{}: dropped: the event could not be rewritten ({why})",
                    crate::render::safe(path),
                    before[n.input] + line
                );
            }
        }
        before[n.input] += n.lines;
    }
    if acc.malformed > shown as u64 && shown > 0 && !cfg.quiet {
        crate::render::say(format_args!(
            "warning: {} malformed lines in all; the first {shown} are shown above",
            crate::render::table::thousands(acc.malformed)
        ));
    }
    if acc.failed > 0 {
        crate::render::say(format_args!(
            "error: {} could not be rewritten and {} dropped",
            counted(acc.failed, "event"),
            if acc.failed == 1 { "was" } else { "were" }
        ));
    }
    acc
}
