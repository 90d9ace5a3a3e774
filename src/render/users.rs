//! `users` as a table (with each principal's resources under `--user`) and CSV.

use std::io::Write;

use super::table::{Style, ms, percent, short_time, thousands};
use super::{access, csv_opt};
use crate::event::OutcomeClass;
use crate::report::users::UsersReport;

pub fn table<W: Write>(out: &mut W, r: &UsersReport, style: Style) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} {} of {}, {} (sorted by {})",
        style.heading("Users:"),
        thousands(r.principals.len() as u64),
        super::table::counted(r.principals_total, "principal"),
        super::table::counted(r.events, "event"),
        r.order.describe()
    )?;
    let header = [
        "principal",
        "events",
        "denied",
        "unauth",
        "error",
        "failure",
        "views",
        "IPs",
        "first",
        "last",
        "p99",
        "risk",
        "reasons",
    ];
    let mut rows = Vec::new();
    r.principals.each(|u| {
        let counts = [OutcomeClass::Denied, OutcomeClass::Unauthenticated, OutcomeClass::Error];
        let mut row = vec![(super::safe(&u.name).into_owned(), false), (thousands(u.events), true)];
        row.extend(counts.map(|c| (thousands(u.outcomes.get(c)), true)));
        row.extend([
            (percent(u.failure_rate), true),
            (thousands(u.resources), true),
            (thousands(u.source_ips), true),
            (short_time(u.time.0.first_text().as_deref()), true),
            (short_time(u.time.0.last_text().as_deref()), true),
            (ms(u.latency_p99_ms), true),
            (u.risk_score.to_string(), true),
            (u.risk_reasons.iter().map(|r| super::safe(r)).collect::<Vec<_>>().join("\n"), false),
        ]);
        rows.push(row);
        Ok::<_, anyhow::Error>(())
    })?;
    if !style.color {
        writeln!(out, "\n{}", style.show_plain(&header, rows))?;
    } else {
        // the same cells, in colour: counts by outcome class, the risk by its level
        let mut t = style.table(&header);
        let mut k = 0;
        r.principals.each(|u| {
            let texts = std::mem::take(&mut rows[k]);
            k += 1;
            let mut row = vec![style.bold(&u.name), style.count(u.events, None)];
            for c in [OutcomeClass::Denied, OutcomeClass::Unauthenticated, OutcomeClass::Error] {
                row.push(style.count(u.outcomes.get(c), Some(c)));
            }
            row.extend(texts[5..11].iter().map(|(text, _)| style.right(text.clone())));
            row.extend([style.risk(u.risk_score), comfy_table::Cell::new(&texts[12].0)]);
            t.add_row(row);
            Ok::<_, anyhow::Error>(())
        })?;
        writeln!(out, "\n{}", style.show(t))?;
    }
    r.principals.each(|u| {
        if let Some(rows) = &u.accessed {
            writeln!(out, "\n{} {}", style.heading("Resources accessed by"), super::safe(&u.name))?;
            access::table(out, "resource", rows, style)?;
        }
        Ok(())
    })
}

/// One row per principal; with `--user`, one row per principal and resource.
pub fn csv<W: Write>(out: &mut W, r: &UsersReport) -> anyhow::Result<()> {
    let mut w = crate::render::Csv::new(out);
    if r.principals.detail() {
        access::csv_header(&mut w, "principal", "resource")?;
        r.principals.each(|u| {
            for row in u.accessed.iter().flatten() {
                access::csv_row(&mut w, &u.name, row)?;
            }
            Ok::<_, anyhow::Error>(())
        })?;
    } else {
        w.write_record([
            "name",
            "events",
            "success",
            "denied",
            "unauthenticated",
            "error",
            "failure_rate",
            "resources",
            "source_ips",
            "first",
            "last",
            "latency_p99_ms",
            "risk_score",
            "risk_reasons",
        ])?;
        r.principals.each(|u| {
            let mut rec = vec![u.name.to_string(), u.events.to_string()];
            rec.extend(OutcomeClass::ALL.map(|c| u.outcomes.get(c).to_string()));
            rec.extend([
                csv_opt(u.failure_rate),
                u.resources.to_string(),
                u.source_ips.to_string(),
                u.time.0.first_text().unwrap_or_default(),
                u.time.0.last_text().unwrap_or_default(),
                csv_opt(u.latency_p99_ms),
                u.risk_score.to_string(),
                u.risk_reasons.join("; "),
            ]);
            w.write_record(rec)?;
            Ok::<_, anyhow::Error>(())
        })?;
    }
    w.flush()?;
    Ok(())
}
