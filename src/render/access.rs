//! The detail lists of `users --user` and `views --view`: what one key
//! touched, or who touched it.

use std::io::Write;

use super::table::{Style, short_time};
use crate::event::OutcomeClass;
use crate::report::AccessRow;

pub fn table<W: Write>(out: &mut W, what: &str, rows: &[AccessRow], style: Style) -> anyhow::Result<()> {
    let mut t = style.table(&[what, "events", "success", "denied", "unauth", "error", "first", "last"]);
    for r in rows {
        let mut row = vec![style.bold(&r.name), style.count(r.events, None)];
        row.extend(OutcomeClass::ALL.map(|c| style.count(r.outcomes.get(c), Some(c))));
        row.push(style.right(short_time(r.first.as_deref())));
        row.push(style.right(short_time(r.last.as_deref())));
        t.add_row(row);
    }
    writeln!(out, "{}", style.show(t))?;
    Ok(())
}

pub fn csv_header<W: Write>(w: &mut crate::render::Csv<W>, key: &str, detail: &str) -> anyhow::Result<()> {
    w.write_record([key, detail, "events", "success", "denied", "unauthenticated", "error", "first", "last"])?;
    Ok(())
}

pub fn csv_row<W: Write>(w: &mut crate::render::Csv<W>, key: &str, r: &AccessRow) -> anyhow::Result<()> {
    let mut rec = vec![key.to_owned(), r.name.clone(), r.events.to_string()];
    rec.extend(OutcomeClass::ALL.map(|c| r.outcomes.get(c).to_string()));
    rec.push(r.first.clone().unwrap_or_default());
    rec.push(r.last.clone().unwrap_or_default());
    w.write_record(rec)?;
    Ok(())
}
