//! `check` for people (one row per rule), for scripts (JSON, CSV), and for
//! CI systems: JUnit XML (one testcase per rule) and GitHub workflow commands.

use std::io::Write;

use comfy_table::{Cell, Color};

use super::csv_opt;
use super::table::{Style, short_time};
use crate::report::check::{CheckReport, RuleResult, Status};

fn num(v: Option<f64>) -> String {
    v.map(|v| if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { format!("{v}") })
        .unwrap_or_else(|| "-".into())
}

fn threshold(r: &RuleResult) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) => format!("{} ≤ x ≤ {}", num(Some(a)), num(Some(b))),
        (Some(a), None) => format!("≥ {}", num(Some(a))),
        (None, Some(b)) => format!("≤ {}", num(Some(b))),
        (None, None) => "-".into(),
    }
}

/// The scope of a rule: `per 1d, each principal`.
fn scope(r: &RuleResult) -> String {
    match (&r.per, r.each) {
        (Some(p), Some(e)) => format!(" (per {p}, each {e})"),
        (Some(p), None) => format!(" (per {p})"),
        (None, Some(e)) => format!(" (each {e})"),
        (None, None) => String::new(),
    }
}

/// The whole-input value beside a `per`/`each` rule's worst one.
fn total(r: &RuleResult) -> String {
    match (&r.per, r.each) {
        (None, None) => String::new(),
        _ => format!("; {} in all", num(r.total)),
    }
}

/// The failing buckets and subjects in a line: the first few, and how many more.
fn failing(r: &RuleResult, shown: usize) -> String {
    let items: Vec<String> = r
        .failures
        .iter()
        .take(shown)
        .map(|f| {
            let mut where_ = Vec::new();
            if let Some(b) = &f.bucket {
                where_.push(short_time(Some(b)));
            }
            // a subject is a name from the log: escaped for people and CI logs
            if let Some(s) = &f.subject {
                where_.push(super::safe(s).into_owned());
            }
            format!("{}: {}", where_.join(" "), num(f.observed))
        })
        .collect();
    let more = r.failures.len().saturating_sub(shown);
    let mut text = items.join(", ");
    if more > 0 {
        text += &format!(", and {more} more");
    }
    text
}

pub fn table<W: Write>(out: &mut W, r: &CheckReport, style: Style) -> anyhow::Result<()> {
    let failed = r.rules.iter().filter(|x| !x.passed).count();
    // an input not read whole: whatever the rules say of the part read
    let verdict = match (r.passed, r.incomplete) {
        (_, true) => "NOT PASSED: input incomplete;",
        (true, false) => "PASSED:",
        (false, false) => "FAILED:",
    };
    let verdict = if style.color {
        format!("\x1b[1;{}m{verdict}\x1b[0m", if r.passed { 32 } else { 31 })
    } else {
        verdict.to_owned()
    };
    let empty = r.rules.iter().filter(|x| x.status == Status::NoData).count();
    // "1 of 1 rule holds", "0 of 1 rule holds", "3 of 7 rules hold"
    let holds = if r.rules.len() == 1 { "holds" } else { "hold" };
    write!(
        out,
        "{verdict} {} of {} {holds} over {}{}",
        r.rules.len() - failed,
        super::table::counted(r.rules.len() as u64, "rule"),
        super::table::counted(r.events, "event"),
        if r.incomplete { " read" } else { "" }
    )?;
    if empty > 0 {
        write!(out, " ({empty} without data)")?;
    }
    writeln!(out)?;
    let header = ["rule", "metric", "observed", "threshold", "result", "failing buckets / subjects"];
    let mut t = style.table(&header);
    for rule in &r.rules {
        let result = match (rule.status, rule.passed) {
            (Status::NoData, true) => "no data (allowed)",
            (Status::NoData, false) => "NO DATA",
            (_, true) => "pass",
            (_, false) => "FAIL",
        };
        let result = match (style.color, rule.passed) {
            (true, true) => Cell::new(result).fg(Color::Green),
            (true, false) => Cell::new(result).fg(Color::Red),
            _ => Cell::new(result),
        };
        t.add_row(vec![
            Cell::new(super::safe(&format!("{}{}", rule.name, scope(rule)))),
            Cell::new(rule.metric),
            style.right(num(rule.observed)),
            Cell::new(threshold(rule)),
            result,
            Cell::new(match &rule.reason {
                Some(why) if rule.status == Status::NoData => why.clone(),
                _ => format!("{}{}", failing(rule, 5), total(rule)).trim_start_matches("; ").to_owned(),
            }),
        ]);
    }
    writeln!(out, "\n{}", style.show(t))?;
    Ok(())
}

pub fn csv<W: Write>(out: &mut W, r: &CheckReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    w.write_record(["name", "metric", "min", "max", "status", "observed", "total", "passed", "failures"])?;
    for rule in &r.rules {
        w.write_record([
            rule.name.clone(),
            rule.metric.to_owned(),
            csv_opt(rule.min),
            csv_opt(rule.max),
            status_name(rule.status).to_owned(),
            csv_opt(rule.observed),
            csv_opt(rule.total),
            rule.passed.to_string(),
            rule.failures.len().to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Why a report judged over part of its input does not pass.
const INCOMPLETE: &str = "an input could not be opened or read to its end (the error is in the log): \
                          the rules were judged over part of the input, so the check does not pass";

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Failed => "failed",
        Status::NoData => "no_data",
    }
}

/// Why a rule failed, in one sentence.
fn message(rule: &RuleResult) -> String {
    if let (Status::NoData, Some(why)) = (rule.status, &rule.reason) {
        return format!("{}: no data ({why})", rule.metric);
    }
    let mut m = format!("{} = {}, expected {}", rule.metric, num(rule.observed), threshold(rule));
    if !rule.failures.is_empty() {
        m += &format!("; fails in {}: {}", rule.failures.len(), failing(rule, 10));
    }
    m
}

/// JUnit XML: one testsuite, one testcase per rule, as GitLab, Jenkins and
/// GitHub test reporters read it.
/// An input not read to its end is one more testcase, in error.
pub fn junit<W: Write>(out: &mut W, r: &CheckReport) -> anyhow::Result<()> {
    let failed = r.rules.iter().filter(|x| !x.passed).count();
    let errors = usize::from(r.incomplete);
    let tests = r.rules.len() + errors;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="fsaudit check" tests="{tests}" failures="{failed}" errors="{errors}">"#)?;
    writeln!(
        out,
        r#"  <testsuite name="fsaudit check" tests="{tests}" failures="{failed}" errors="{errors}" skipped="0">"#
    )?;
    if r.incomplete {
        writeln!(out, r#"    <testcase classname="fsaudit.check" name="every input read to its end">"#)?;
        writeln!(out, r#"      <error message="{}" type="input"/>"#, xml(INCOMPLETE))?;
        writeln!(out, "    </testcase>")?;
    }
    for rule in &r.rules {
        let name = xml(&format!("{}{}", rule.name, scope(rule)));
        write!(out, r#"    <testcase classname="fsaudit.check" name="{name}""#)?;
        if rule.passed {
            writeln!(out, "/>")?;
        } else {
            writeln!(out, ">")?;
            let lines: Vec<String> = rule
                .failures
                .iter()
                .map(|f| {
                    format!(
                        "{} {} {}",
                        f.bucket.as_deref().unwrap_or("-"),
                        f.subject.as_deref().map_or("-".into(), super::safe),
                        num(f.observed)
                    )
                })
                .collect();
            writeln!(
                out,
                r#"      <failure message="{}" type="rule">{}</failure>"#,
                xml(&message(rule)),
                xml(&lines.join("\n"))
            )?;
            writeln!(out, "    </testcase>")?;
        }
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")?;
    Ok(())
}

/// GitHub Actions workflow commands: an error annotation per failing rule.
pub fn github<W: Write>(out: &mut W, r: &CheckReport) -> anyhow::Result<()> {
    // workflow commands escape %, CR and LF in messages, and also , and : in properties
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    if r.incomplete {
        writeln!(out, "::error title={}::{}", property("fsaudit check: input"), data(INCOMPLETE))?;
    }
    for rule in r.rules.iter().filter(|x| !x.passed) {
        writeln!(
            out,
            "::error title={}::{}",
            property(&format!("fsaudit check: {}", rule.name)),
            data(&message(rule))
        )?;
    }
    let held = r.rules.iter().filter(|x| x.passed).count();
    writeln!(out, "::notice title=fsaudit check::{held} of {} rules hold over {} events", r.rules.len(), r.events)?;
    Ok(())
}
