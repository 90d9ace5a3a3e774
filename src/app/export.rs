//! Running `export`: one parallel pass, the writer in input order.

use std::process::ExitCode;

use anyhow::anyhow;

use super::pipes::{account, spool_stdin, strict_check};
use super::{EXIT_ERROR, EXIT_NEGATIVE, EXIT_OK, Run, UsageError, nothing_matched};
use crate::cli::{ExportArgs, ExportTo, PartitionBy};
use crate::config::Config;
use crate::engine;
use crate::export::{Destination, Form, Job, Target, Writer, WriterOptions};
use crate::input::Input;
use crate::pipe::filter::Seen;
use crate::render::table::counted;

pub(super) fn export(cfg: &Config, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let target = match args.to {
        ExportTo::Parquet => Target::Parquet,
        ExportTo::Ocsf => Target::Json(Form::Ocsf),
        ExportTo::Ecs => Target::Json(Form::Ecs),
        ExportTo::Jsonl => Target::Json(Form::Jsonl),
    };
    let output = args.output.as_ref().filter(|p| p.as_os_str() != "-");
    let destination = match (output, args.partition_by) {
        (Some(dir), Some(PartitionBy::Day)) => {
            if dir.is_file() {
                let msg = format!("--partition-by day writes a directory, and {} is a file", dir.display());
                return Err(UsageError(msg).into());
            }
            Destination::Days(dir.clone())
        }
        (None, Some(_)) => return Err(UsageError("--partition-by needs -o DIR".into()).into()),
        (Some(file), None) => {
            if file.is_dir() {
                let msg = format!("{} is a directory: give a file name, or --partition-by day", file.display());
                return Err(UsageError(msg).into());
            }
            Destination::File(file.clone())
        }
        (None, None) if target == Target::Parquet => {
            return Err(
                UsageError("--to parquet writes a file: give -o FILE (or -o DIR --partition-by day)".into()).into()
            );
        }
        (None, None) => Destination::Stdout,
    };
    // column batches of megabytes come and go: keep freed memory for the next ones
    crate::memory::keep_freed_memory();
    let mut run = Run::new(&args.input, cfg)?;
    let _spooled = if cfg.scan.strict { spool_stdin(&mut run.inputs)? } else { None };
    if cfg.scan.strict {
        // refuse a malformed line before anything is written
        strict_check(cfg, &run.inputs)?;
    }
    let names: Vec<String> = run.inputs.iter().map(Input::display).collect();
    let seen = Seen::default();
    let schema = crate::export::table::schema();
    let job = Job {
        parser: &cfg.parser,
        filter: &run.filter,
        target,
        max_line: cfg.scan.max_line,
        samples: cfg.scan.samples,
        dedup: cfg.scan.dedup,
        names: &names,
        seen: &seen,
        schema: schema.clone(),
    };
    let options = WriterOptions {
        target,
        destination,
        force: args.force,
        dedup: cfg.scan.dedup,
        inputs: run.inputs.len(),
        row_group_rows: args.row_group_rows,
        schema,
    };
    let total = run.inputs.iter().map(Input::size).sum::<Option<u64>>();
    let bar = cfg.progress_bar(total);
    let done = engine::ordered(&run.inputs, &cfg.scan, &bar, |chunk| job.process(chunk), || Writer::new(options))?;
    bar.finish_and_clear();
    if engine::interrupted() {
        return Err(anyhow!("interrupted"));
    }
    let written = match done.output {
        Ok(w) => w,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::from(EXIT_OK)),
        Err(e) => return Err(anyhow!(e).context("export")),
    };
    let malformed = account(written.notes, &names, cfg).malformed;
    let mut errors = run.errors;
    errors.extend(done.errors);
    for e in &errors {
        crate::render::say(format_args!("{e}"));
    }
    // to files, a line says what was written (to stdout, the events are the output)
    if !cfg.quiet && !written.files.is_empty() {
        let files = match written.files.len() {
            1 => format!("{}", written.files[0].0.display()),
            n => format!("{n} files"),
        };
        crate::render::say(format_args!("exported {} to {files}", counted(written.events, "event")));
    }
    let mut code = if errors.is_empty() { EXIT_OK } else { EXIT_ERROR };
    if code == EXIT_OK && written.events == 0 {
        code = EXIT_NEGATIVE;
        if !cfg.quiet {
            if let Some(line) = nothing_matched(seen.events(), malformed, &seen.range(), &run.filter, cfg) {
                crate::render::say(format_args!("{line}"));
            }
        }
    }
    Ok(ExitCode::from(code))
}
