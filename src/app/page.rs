//! `fsaudit report`: one document for auditors and managers, made of the
//! JSON documents of the commands that compute each part (`summary`,
//! `timeline`, `users`, `anomalies`, `group --by endpoint`, and with
//! `--rules` `check`, with `--verify`/`--pubkey` `verify`), each run in this
//! process over the same inputs with the same filters. The page's numbers
//! are therefore those commands' numbers, by construction.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use serde_json::{Value, json};

use super::{Sink, UsageError};
use crate::cli::{
    AnomaliesArgs, CheckArgs, Cli, Command, CsvAndFile, DetectorReportArgs, FollowArgs, GlobalArgs, GroupArgs,
    MarkdownOutput, MetricsOutput, OutputFile, ReportArgs, ReportOutput, ScanArgs, SummaryArgs, TimelineArgs,
    UsersArgs, VerifyArgs, When,
};
use crate::config::Config;
use crate::render::{self, Format};

/// Exit codes, as every command uses them.
const EXIT_NEGATIVE: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// What to call standard input in the page (it is read once, into a temporary file).
const STDIN_NAME: &str = "<stdin>";

pub fn report(global: &GlobalArgs, cfg: &Config, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    // the parts read the same inputs: each error or warning is said once
    struct Once;
    impl Drop for Once {
        fn drop(&mut self) {
            crate::render::say_each_once(false);
        }
    }
    crate::render::say_each_once(true);
    let _once = Once;
    let dir = tempfile::Builder::new().prefix(".fsaudit-report-").tempdir().context("making a temporary folder")?;
    let mut args = args.clone();
    // every part reads the input again: standard input is kept in a file first
    let spooled = spool_stdin(&mut args.input.inputs, dir.path())?;
    let mut parts = Parts { global, dir: dir.path(), worst: 0, first: true };

    let output = |name: &str| OutputFile { output: Some(dir.path().join(format!("{name}.json"))) };
    let metrics = |name: &str| MetricsOutput {
        format: Some(Format::Json),
        rest: CsvAndFile { csv_raw: false, file: output(name) },
    };
    let markdown = |name: &str| MarkdownOutput {
        format: Some(Format::Json),
        rest: CsvAndFile { csv_raw: false, file: output(name) },
    };
    let detector_args = |name: &str, top: Option<usize>| DetectorReportArgs {
        top,
        output: markdown(name),
        sensitive: args.sensitive.clone(),
        detectors: args.detectors.clone(),
        memory: args.memory.clone(),
        state: crate::cli::StateArgs { save_state: None },
        input: args.input.clone(),
    };

    let summary = parts.run(
        "summary",
        Command::Summary(SummaryArgs {
            top: args.top,
            output: metrics("summary"),
            memory: args.memory.clone(),
            state: crate::cli::StateArgs { save_state: None },
            input: args.input.clone(),
            follow: FollowArgs::default(),
        }),
    )?;
    let timeline = parts.run(
        "timeline",
        Command::Timeline(TimelineArgs {
            bucket: Some(args.bucket.clone().unwrap_or_else(|| chart_bucket(&summary).to_owned())),
            output: ReportOutput {
                format: Some(Format::Json),
                rest: CsvAndFile { csv_raw: false, file: output("timeline") },
            },
            memory: args.memory.clone(),
            state: crate::cli::StateArgs { save_state: None },
            input: args.input.clone(),
            follow: FollowArgs::default(),
        }),
    )?;
    let users =
        parts.run("users", Command::Users(UsersArgs { sort: None, report: detector_args("users", Some(args.top)) }))?;
    let anomalies = parts.run(
        "anomalies",
        Command::Anomalies(AnomaliesArgs { follow: FollowArgs::default(), report: detector_args("anomalies", None) }),
    )?;
    let endpoints = parts.run(
        "endpoints",
        Command::Group(GroupArgs {
            by: "endpoint".into(),
            sort: None,
            top: Some(args.top),
            output: metrics("endpoints"),
            memory: args.memory.clone(),
            state: crate::cli::StateArgs { save_state: None },
            input: args.input.clone(),
        }),
    )?;
    let check = match &args.detectors.rules {
        Some(_) => Some(parts.run(
            "check",
            Command::Check(CheckArgs {
                max: Vec::new(),
                min: Vec::new(),
                pubkey: args.pubkey.clone(),
                allow_empty: false,
                list_metrics: false,
                format: Some(Format::Json),
                csv_raw: false,
                file: output("check"),
                sensitive: args.sensitive.clone(),
                detectors: args.detectors.clone(),
                memory: args.memory.clone(),
                state: crate::cli::StateArgs { save_state: None },
                input: args.input.clone(),
                follow: FollowArgs::default(),
            }),
        )?),
        None => None,
    };
    let verify = match (args.verify || args.pubkey.is_some(), args.input.inputs.is_empty()) {
        (false, _) => None,
        (true, true) => return Err(UsageError("--verify needs files to verify".into()).into()),
        (true, false) => Some(parts.run(
            "verify",
            Command::Verify(VerifyArgs {
                pubkey: args.pubkey.clone(),
                require: false,
                require_sealed: false,
                allow_unverified: false,
                after: None,
                expect_latest: None,
                manifest: Vec::new(),
                envelope: args.input.parse.envelope,
                output: ReportOutput {
                    format: Some(Format::Json),
                    rest: CsvAndFile { csv_raw: false, file: output("verify") },
                },
                scan: ScanArgs { progress: When::Never, ..args.input.scan.clone() },
                inputs: args.input.inputs.clone(),
            }),
        )?),
    };
    let mut doc = json!({
        "schema_version": 1,
        "command": "report",
        "title": args.title.clone().unwrap_or_else(|| "Feature store audit report".to_owned()),
        // rows shown in each ranked table (the findings are counted whole)
        "top": args.top,
        "generated": crate::time::format_millis(crate::time::now()),
        "filters": cfg.filter_text,
        "executive": executive(&summary, check.as_ref(), verify.as_ref()),
        "summary": summary,
        "timeline": timeline,
        "users": users,
        "anomalies": anomalies,
        "endpoints": endpoints,
        "check": check,
        "verify": verify,
    });
    if let Some(path) = &spooled {
        rename_input(&mut doc, &path.display().to_string());
    }
    if !cfg.quiet {
        for line in verdicts(&doc["executive"]) {
            render::say(format_args!("{line}"));
        }
    }
    let mut out = Sink::open(cfg)?;
    match cfg.format {
        Format::Json => render::write_json(&mut out, &doc)?,
        Format::Markdown => render::markdown::write(&mut out, &doc)?,
        _ => render::html::write(&mut out, &doc)?,
    }
    out.finish(parts.worst)?;
    Ok(ExitCode::from(parts.worst))
}

/// The failed verdicts of the report, one line each (why it exits 1).
fn verdicts(ex: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(c) = ex["compliance"].as_object().filter(|c| c["passed"] != true) {
        let failed = c["rules"].as_u64().unwrap_or(0) - c["rules_passed"].as_u64().unwrap_or(0);
        lines.push(match failed {
            // not passed with every rule holding: an input was not read whole
            0 => {
                let n = c["rules"].as_u64().unwrap_or(0);
                let hold = if n == 1 { "rule holds" } else { "rules hold" };
                format!("the report says NOT PASSED: the {n} {hold} over what could be read")
            }
            _ => format!("the report says FAILED: {failed} of {} rules failed", c["rules"]),
        });
    }
    if let Some(i) = ex["integrity"].as_object().filter(|i| i["intact"] != true) {
        let status = crate::render::html::integrity_label(&ex["integrity"]);
        lines.push(format!(
            "the report says the log is {status}: {} of {} entries verified",
            i["verified"], i["entries"]
        ));
    }
    lines
}

/// The parts run so far, and the worst exit code among them.
struct Parts<'a> {
    global: &'a GlobalArgs,
    dir: &'a Path,
    worst: u8,
    /// Only the first part says what it has to say on stderr (malformed
    /// lines, unreadable inputs): the others would repeat it.
    first: bool,
}

impl Parts<'_> {
    /// Runs one command into `<name>.json` and reads its document back.
    fn run(&mut self, name: &str, command: Command) -> anyhow::Result<Value> {
        let quiet = self.global.quiet || !self.first;
        self.first = false;
        let cli = Cli { global: GlobalArgs { color: When::Never, quiet }, command };
        let code = super::as_part_of_page(|| super::run(cli))?;
        let code = exit_code(code);
        self.worst = self.worst.max(code.min(EXIT_ERROR));
        let path = self.dir.join(format!("{name}.json"));
        let text = std::fs::read(&path).with_context(|| format!("the {name} part of the report"))?;
        serde_json::from_slice(&text).map_err(|e| anyhow!("the {name} part of the report: {e}"))
    }
}

/// The number of an [`ExitCode`] (which hides it): 0, 1 or 2.
fn exit_code(code: ExitCode) -> u8 {
    if code == ExitCode::SUCCESS {
        0
    } else if code == ExitCode::from(EXIT_NEGATIVE) {
        EXIT_NEGATIVE
    } else {
        EXIT_ERROR
    }
}

/// Standard input (no inputs, or `-`) copied into a file in `dir`, which
/// then stands in for it.
fn spool_stdin(inputs: &mut Vec<PathBuf>, dir: &Path) -> anyhow::Result<Option<PathBuf>> {
    let is_stdin = |p: &PathBuf| p.as_os_str() == "-";
    if !inputs.is_empty() && !inputs.iter().any(is_stdin) {
        return Ok(None);
    }
    let path = dir.join("stdin");
    let mut file = std::fs::File::create(&path)?;
    io::copy(&mut io::stdin().lock(), &mut file).map_err(|e| anyhow!(e).context("reading stdin"))?;
    file.flush()?;
    crate::input::set_spooled_stdin(&path);
    if inputs.is_empty() {
        inputs.push(path.clone());
    } else {
        for p in inputs.iter_mut().filter(|p| is_stdin(p)) {
            *p = path.clone();
        }
    }
    Ok(Some(path))
}

/// The spooled file shown as standard input wherever a part names it (the
/// inputs table, the integrity files).
fn rename_input(v: &mut Value, spooled: &str) {
    match v {
        Value::String(s) if s == spooled => *s = STDIN_NAME.to_owned(),
        Value::Array(items) => items.iter_mut().for_each(|i| rename_input(i, spooled)),
        Value::Object(map) => map.values_mut().for_each(|i| rename_input(i, spooled)),
        _ => {}
    }
}

/// A bucket that draws the events' span in 24 to a few hundred bars.
fn chart_bucket(summary: &Value) -> &'static str {
    let time = |k: &str| summary["time_range"][k].as_str().and_then(crate::time::parse_rfc3339);
    let span_hours = match (time("first"), time("last")) {
        (Some(a), Some(b)) => (b - a) as f64 / (3600.0 * crate::time::MICROS_PER_SEC as f64),
        _ => 0.0,
    };
    match span_hours {
        h if h <= 2.0 => "1m",
        h if h <= 12.0 => "5m",
        h if h <= 48.0 => "15m",
        h if h <= 24.0 * 14.0 => "1h",
        _ => "1d",
    }
}

/// The executive summary: the figures an auditor asks for first.
fn executive(summary: &Value, check: Option<&Value>, verify: Option<&Value>) -> Value {
    let outcomes = &summary["outcomes"];
    let count = |k: &str| outcomes[k].as_u64().unwrap_or(0);
    let failed = count("denied") + count("unauthenticated") + count("error");
    let compliance = check.map(|c| {
        let rules = c["rules"].as_array().map(Vec::as_slice).unwrap_or_default();
        let passed = rules.iter().filter(|r| r["passed"].as_bool() == Some(true)).count();
        json!({
            "passed": c["passed"],
            "rules": rules.len(),
            "rules_passed": passed,
            "score": if rules.is_empty() { Value::Null } else { json!(passed as f64 / rules.len() as f64) },
        })
    });
    let integrity = verify.map(|v| {
        json!({
            "status": v["status"],
            "intact": v["intact"],
            "incomplete": v["incomplete"],
            "verified": v["verified"],
            "entries": v["entries"],
        })
    });
    json!({
        "first": summary["time_range"]["first"],
        "last": summary["time_range"]["last"],
        "requests": summary["events"],
        "success_rate": summary["success_rate"],
        "mean_latency_ms": summary["latency_ms"]["mean"],
        "failed_requests": failed,
        "denied": count("denied"),
        "unique_principals": summary["distinct"]["principals"],
        "compliance": compliance,
        "integrity": integrity,
    })
}
