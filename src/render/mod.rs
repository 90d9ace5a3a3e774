//! Output: tables for people, JSON and CSV for machines. Only the main
//! thread renders; workers never print.

mod access;
pub mod anomalies;
pub mod check;
pub mod group;
pub mod summary;
pub mod table;
pub mod timeline;
pub mod users;
pub mod verify;
pub mod views;

use std::io::Write;

use serde::Serialize;

/// The `--format` values shared by the report commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// JUnit XML (check only)
    Junit,
    /// GitHub Actions workflow commands (check only)
    Github,
}

/// Writes one JSON document and a newline.
pub fn write_json<W: Write, T: Serialize>(out: &mut W, doc: &T) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc)?;
    writeln!(out)?;
    Ok(())
}

/// Formats a float for CSV as JSON writes it (`5.0`, `0.25`); empty for `None`.
pub fn csv_opt(v: Option<f64>) -> String {
    match v {
        // counts are integers: 596, not 596.0
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
        v => v.and_then(|v| serde_json::to_string(&v).ok()).unwrap_or_default(),
    }
}
