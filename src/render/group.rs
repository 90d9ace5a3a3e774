//! `group` as a table and as CSV (one column per key of `--by`).

use std::io::Write;

use super::csv_opt;
use super::table::{Style, ms, percent, thousands};
use crate::event::OutcomeClass;
use crate::report::group::GroupReport;

pub fn table<W: Write>(out: &mut W, r: &GroupReport, style: Style) -> anyhow::Result<()> {
    let shown = if r.groups.len() as u64 == r.groups_total {
        String::new()
    } else {
        format!("{} of ", thousands(r.groups.len() as u64))
    };
    writeln!(
        out,
        "{} {shown}{} by {}, {}",
        style.heading("Groups:"),
        super::table::counted(r.groups_total, "group"),
        r.by.join(", "),
        super::table::counted(r.events, "event")
    )?;
    if r.groups.is_empty() {
        return Ok(());
    }
    let mut header: Vec<&str> = r.by.clone();
    header.extend(["events", "success", "denied", "unauth", "error", "success %", "p50", "p95", "p99", "principals"]);
    let mut t = style.table(&header);
    for g in &r.groups {
        let mut row: Vec<comfy_table::Cell> = g.keys.iter().map(|k| style.bold(k)).collect();
        row.push(style.count(g.events, None));
        row.extend(OutcomeClass::ALL.map(|c| style.count(g.outcomes.get(c), Some(c))));
        row.extend([
            style.right(percent(g.success_rate)),
            style.right(ms(g.latency_p50_ms)),
            style.right(ms(g.latency_p95_ms)),
            style.right(ms(g.latency_p99_ms)),
            style.count(g.principals, None),
        ]);
        t.add_row(row);
    }
    writeln!(out, "\n{}", style.show(t))?;
    Ok(())
}

pub fn csv<W: Write>(out: &mut W, r: &GroupReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    let mut header: Vec<&str> = r.by.clone();
    header.extend([
        "events",
        "success",
        "denied",
        "unauthenticated",
        "error",
        "success_rate",
        "latency_p50_ms",
        "latency_p95_ms",
        "latency_p99_ms",
        "principals",
        "first",
        "last",
        "rows",
    ]);
    w.write_record(&header)?;
    for g in &r.groups {
        let mut rec = g.keys.clone();
        rec.push(g.events.to_string());
        rec.extend(OutcomeClass::ALL.map(|c| g.outcomes.get(c).to_string()));
        rec.extend([
            csv_opt(g.success_rate),
            csv_opt(g.latency_p50_ms),
            csv_opt(g.latency_p95_ms),
            csv_opt(g.latency_p99_ms),
            g.principals.to_string(),
            g.first.clone().unwrap_or_default(),
            g.last.clone().unwrap_or_default(),
            g.rows.map(|n| n.to_string()).unwrap_or_default(),
        ]);
        w.write_record(rec)?;
    }
    w.flush()?;
    Ok(())
}
