//! `anomalies` as a table for people and as CSV.

use std::io::Write;

use comfy_table::{Attribute, Cell, Color};

use super::table::{Style, short_time};
use crate::detect::Severity;
use crate::report::anomalies::AnomaliesReport;

pub fn table<W: Write>(out: &mut W, r: &AnomaliesReport, style: Style) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} {} in {}{}",
        style.heading("Anomalies:"),
        match r.findings.len() {
            0 => "no findings".to_owned(),
            n => super::table::counted(n as u64, "finding"),
        },
        super::table::counted(r.events, "event"),
        if r.findings.len() > 1 { " (most severe first)" } else { "" }
    )?;
    if r.findings.is_empty() {
        return Ok(());
    }
    let header = ["severity", "detector", "principal", "source IP", "count", "start", "end", "evidence"];
    let mut t = style.table(&header);
    for f in &r.findings {
        t.add_row(vec![
            severity_cell(f.severity, style),
            Cell::new(f.detector),
            Cell::new(super::safe(f.principal.as_deref().unwrap_or("-"))),
            Cell::new(super::safe(f.source_ip.as_deref().unwrap_or("-"))),
            style.count(f.count, None),
            style.right(short_time(Some(&f.start))),
            style.right(short_time(Some(&f.end))),
            Cell::new(super::safe(&f.evidence)),
        ]);
    }
    writeln!(out, "\n{}", style.show(t))?;
    Ok(())
}

fn severity_cell(s: Severity, style: Style) -> Cell {
    let c = Cell::new(s.name());
    if !style.color {
        return c;
    }
    match s {
        Severity::Critical => c.fg(Color::Red).add_attribute(Attribute::Bold),
        Severity::High => c.fg(Color::Red),
        Severity::Medium => c.fg(Color::Yellow),
        Severity::Low => c,
    }
}

pub fn csv<W: Write>(out: &mut W, r: &AnomaliesReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    w.write_record([
        "detector",
        "severity",
        "principal",
        "source_ip",
        "resources",
        "start",
        "end",
        "count",
        "evidence",
    ])?;
    for f in &r.findings {
        w.write_record([
            f.detector,
            f.severity.name(),
            f.principal.as_deref().unwrap_or(""),
            f.source_ip.as_deref().unwrap_or(""),
            &f.resources.join(";"),
            &f.start,
            &f.end,
            &f.count.to_string(),
            &f.evidence,
        ])?;
    }
    w.flush()?;
    Ok(())
}
