//! `summary` as a table for people and as one CSV row for scripts.

use std::io::Write;

use super::table::{Style, bytes, ms, percent, span, thousands};
use crate::event::OutcomeClass;
use crate::report::NameCount;
use crate::report::summary::SummaryReport;

pub fn table<W: Write>(out: &mut W, r: &SummaryReport, style: Style) -> anyhow::Result<()> {
    let inputs = r.inputs.len();
    writeln!(
        out,
        "{} {}: {} ({} scanned, {} malformed)",
        style.heading("Summary of"),
        super::table::counted(inputs as u64, "input"),
        super::table::counted(r.events, "event"),
        thousands(r.scanned),
        thousands(r.malformed),
    )?;
    if let (Some(first), Some(last)) = (&r.time_range.first, &r.time_range.last) {
        let spanned = crate::time::parse_rfc3339(last).zip(crate::time::parse_rfc3339(first)).map(|(l, f)| l - f);
        writeln!(out, "From {first} to {last} ({})", spanned.map(span).unwrap_or_default())?;
    }

    let mut t = style.table(&["outcome", "events", "share"]);
    for c in OutcomeClass::ALL {
        let n = r.outcomes.get(c);
        let share = (r.events > 0).then(|| n as f64 / r.events as f64);
        t.add_row(vec![style.bold(c.name()), style.count(n, Some(c)), style.right(percent(share))]);
    }
    writeln!(out, "\n{}", style.show(t))?;
    writeln!(out, "Success rate: {}", percent(r.success_rate))?;

    let l = &r.latency_ms;
    let mut t = style.table(&["latency", "count", "mean", "p50", "p95", "p99", "max"]);
    t.add_row(vec![
        style.bold("ms"),
        style.count(l.count, None),
        style.right(ms(l.mean)),
        style.right(ms(l.p50)),
        style.right(ms(l.p95)),
        style.right(ms(l.p99)),
        style.right(ms(l.max)),
    ]);
    writeln!(out, "\n{}", style.show(t))?;
    if !l.exact {
        writeln!(out, "Percentiles are within 0.1% (over a million distinct latencies), not exact.")?;
    }
    if l.rejected > 0 {
        writeln!(
            out,
            "{} latenc{} rejected (negative, non-finite or over a day): those events count, their latencies do not.",
            thousands(l.rejected),
            if l.rejected == 1 { "y" } else { "ies" }
        )?;
    }
    if r.duplicate_lines > 0 {
        writeln!(
            out,
            "\n{} line{} repeat{} an earlier line byte for byte (a log shipped twice?); --dedup analyses each once.",
            thousands(r.duplicate_lines),
            if r.duplicate_lines == 1 { "" } else { "s" },
            if r.duplicate_lines == 1 { "s" } else { "" }
        )?;
    }

    let d = &r.distinct;
    writeln!(
        out,
        "\nDistinct: {}, {}, {} ({} named no resource), {}",
        super::table::counted(d.principals, "principal"),
        super::table::counted(d.source_ips, "source IP"),
        super::table::counted(d.resources, "resource"),
        super::table::counted(r.events_without_resource, "event"),
        super::table::counted(d.endpoints, "endpoint"),
    )?;

    if !r.event_types.is_empty() {
        let mut t = style.table(&["event type", "events", "success", "denied", "unauthenticated", "error"]);
        for e in &r.event_types {
            let mut row = vec![style.bold(&e.name), style.count(e.events, None)];
            row.extend(OutcomeClass::ALL.map(|c| style.count(e.outcomes.get(c), Some(c))));
            t.add_row(row);
        }
        writeln!(out, "\n{}", style.show(t))?;
    }
    top_table(out, "principal", &r.top_principals, style)?;
    top_table(out, "resource", &r.top_resources, style)?;
    top_table(out, "endpoint", &r.top_endpoints, style)?;

    let mut t = style.table(&["input", "bytes", "lines", "events", "malformed"]);
    for i in &r.inputs {
        t.add_row(vec![
            style.bold(&i.path),
            style.right(bytes(i.bytes)),
            style.count(i.lines, None),
            style.count(i.events, None),
            style.count(i.malformed, Some(OutcomeClass::Error)),
        ]);
    }
    writeln!(out, "\n{}", style.show_paths(t, true))?;
    Ok(())
}

fn top_table<W: Write>(out: &mut W, what: &str, rows: &[NameCount], style: Style) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut t = style.table(&[&format!("top {what}s"), "events", "denied"]);
    for row in rows {
        t.add_row(vec![
            style.bold(&row.name),
            style.count(row.events, None),
            style.count(row.denied, Some(OutcomeClass::Denied)),
        ]);
    }
    writeln!(out, "\n{}", style.show(t))?;
    Ok(())
}

/// One header and one row of the totals, for `cut`, `awk` and spreadsheets.
pub fn csv<W: Write>(out: &mut W, r: &SummaryReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    w.write_record([
        "inputs",
        "scanned",
        "malformed",
        "events",
        "first",
        "last",
        "success",
        "denied",
        "unauthenticated",
        "error",
        "success_rate",
        "latency_count",
        "latency_mean_ms",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "max_ms",
        "latency_exact",
        "latency_rejected",
        "duplicate_lines",
        "principals",
        "source_ips",
        "resources",
        "endpoints",
    ])?;
    let l = &r.latency_ms;
    let opt = super::csv_opt;
    w.write_record([
        r.inputs.len().to_string(),
        r.scanned.to_string(),
        r.malformed.to_string(),
        r.events.to_string(),
        r.time_range.first.clone().unwrap_or_default(),
        r.time_range.last.clone().unwrap_or_default(),
        r.outcomes.get(OutcomeClass::Success).to_string(),
        r.outcomes.get(OutcomeClass::Denied).to_string(),
        r.outcomes.get(OutcomeClass::Unauthenticated).to_string(),
        r.outcomes.get(OutcomeClass::Error).to_string(),
        opt(r.success_rate),
        l.count.to_string(),
        opt(l.mean),
        opt(l.p50),
        opt(l.p95),
        opt(l.p99),
        opt(l.max),
        l.exact.to_string(),
        l.rejected.to_string(),
        r.duplicate_lines.to_string(),
        r.distinct.principals.to_string(),
        r.distinct.source_ips.to_string(),
        r.distinct.resources.to_string(),
        r.distinct.endpoints.to_string(),
    ])?;
    w.flush()?;
    Ok(())
}
