//! `views` as a table (with each resource's principals under `--view`) and CSV.

use std::io::Write;

use super::table::{Style, ms, short_time, thousands};
use super::{access, csv_opt};
use crate::event::OutcomeClass;
use crate::report::views::ViewsReport;

/// What `views` says when no event names a resource, and where to look instead.
pub const NO_RESOURCES: &str = "no event names a resource (Feast's feature server leaves resource.name empty): \
                                `fsaudit group --by endpoint` (or --by resource_type) shows what was called";

pub fn table<W: Write>(out: &mut W, r: &ViewsReport, style: Style) -> anyhow::Result<()> {
    if r.resources_total == 0 && r.events > 0 {
        writeln!(out, "{} {} events, but {NO_RESOURCES}.", style.heading("Views:"), thousands(r.events))?;
        return Ok(());
    }
    writeln!(
        out,
        "{} {} of {}, {} ({} named no resource)",
        style.heading("Views:"),
        thousands(r.resources.len() as u64),
        super::table::counted(r.resources_total, "resource"),
        super::table::counted(r.events, "event"),
        thousands(r.events_without_resource)
    )?;
    let mut t = style.table(&[
        "resource",
        "events",
        "principals",
        "success",
        "denied",
        "unauth",
        "error",
        "p99",
        "first",
        "last",
    ]);
    for v in &r.resources {
        let name = if v.sensitive { format!("{} (sensitive)", v.name) } else { v.name.clone() };
        let mut row = vec![style.bold(&name), style.count(v.events, None), style.count(v.principals, None)];
        row.extend(OutcomeClass::ALL.map(|c| style.count(v.outcomes.get(c), Some(c))));
        row.extend([
            style.right(ms(v.latency_p99_ms)),
            style.right(short_time(v.first.as_deref())),
            style.right(short_time(v.last.as_deref())),
        ]);
        t.add_row(row);
    }
    writeln!(out, "\n{}", style.show(t))?;
    for v in &r.resources {
        if let Some(rows) = &v.accessed_by {
            writeln!(out, "\n{} {}", style.heading("Principals that accessed"), super::safe(&v.name))?;
            access::table(out, "principal", rows, style)?;
        }
    }
    Ok(())
}

/// One row per resource; with `--view`, one row per resource and principal.
pub fn csv<W: Write>(out: &mut W, r: &ViewsReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    if r.resources.iter().any(|v| v.accessed_by.is_some()) {
        access::csv_header(&mut w, "resource", "principal")?;
        for v in &r.resources {
            for row in v.accessed_by.iter().flatten() {
                access::csv_row(&mut w, &v.name, row)?;
            }
        }
    } else {
        w.write_record([
            "name",
            "events",
            "principals",
            "success",
            "denied",
            "unauthenticated",
            "error",
            "latency_p99_ms",
            "first",
            "last",
            "sensitive",
        ])?;
        for v in &r.resources {
            let mut rec = vec![v.name.clone(), v.events.to_string(), v.principals.to_string()];
            rec.extend(OutcomeClass::ALL.map(|c| v.outcomes.get(c).to_string()));
            rec.extend([
                csv_opt(v.latency_p99_ms),
                v.first.clone().unwrap_or_default(),
                v.last.clone().unwrap_or_default(),
                v.sensitive.to_string(),
            ]);
            w.write_record(rec)?;
        }
    }
    w.flush()?;
    Ok(())
}
