//! `--format markdown`: GitHub-flavoured Markdown that fits a CI job's
//! summary page (`>> $GITHUB_STEP_SUMMARY`): a heading with the verdict,
//! the key numbers, and the rows as a table.
//!
//! Built from the report's JSON document, like the Prometheus form. Text
//! from the log is escaped so that it shows as written: table pipes,
//! Markdown's emphasis and link characters, and HTML (`<`, `>`, `&`) can
//! neither break a table nor inject markup into the page.

use std::fmt::Write as _;
use std::io::Write;

use serde_json::Value;

use super::table::thousands;

/// The Markdown of a `summary`, `group`, `users`, `anomalies`, `check` or `report` document.
pub fn write<W: Write>(out: &mut W, doc: &Value) -> anyhow::Result<()> {
    let mut md = String::new();
    match doc["command"].as_str() {
        Some("summary") => summary(&mut md, doc),
        Some("group") => group(&mut md, doc),
        Some("users") => users(&mut md, doc),
        Some("anomalies") => anomalies(&mut md, doc, usize::MAX),
        Some("check") => check(&mut md, doc),
        Some("report") => report(&mut md, doc),
        other => anyhow::bail!("--format markdown is not for {}", other.unwrap_or("this command")),
    }
    out.write_all(md.as_bytes())?;
    Ok(())
}

/// Text from the log, safe in a table cell.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if super::unsafe_char(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if super::unsafe_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as a cell: strings escaped, numbers as they are, null as `-`.
fn val(v: &Value) -> String {
    match v {
        Value::Null => "-".to_owned(),
        Value::String(s) => cell(s),
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => thousands(u),
            (None, Some(f)) if f.fract() == 0.0 && (0.0..1e15).contains(&f) => thousands(f as u64),
            _ => n.to_string(),
        },
        other => cell(&other.to_string()),
    }
}

fn pct(v: &Value) -> String {
    v.as_f64().map_or_else(|| "-".to_owned(), |r| format!("{:.2}%", r * 100.0))
}

/// A table of `rows`, one column per `(heading, key)`.
fn table(md: &mut String, columns: &[(&str, &str)], rows: &[Value]) {
    let head: Vec<&str> = columns.iter().map(|(h, _)| *h).collect();
    let _ = writeln!(md, "| {} |", head.join(" | "));
    let _ = writeln!(md, "|{}", "---|".repeat(columns.len()));
    for r in rows {
        let cells: Vec<String> = columns.iter().map(|(_, k)| val(&r[*k])).collect();
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    md.push('\n');
}

fn range(doc: &Value) -> String {
    match (doc["time_range"]["first"].as_str(), doc["time_range"]["last"].as_str()) {
        (Some(a), Some(b)) => format!(", {} to {}", cell(a), cell(b)),
        _ => String::new(),
    }
}

fn summary(md: &mut String, doc: &Value) {
    let o = &doc["outcomes"];
    let _ = writeln!(md, "## fsaudit summary: {} events{}\n", val(&doc["events"]), range(doc));
    let lat = &doc["latency_ms"];
    let rows = [
        ("events", val(&doc["events"])),
        ("success rate", pct(&doc["success_rate"])),
        ("denied", val(&o["denied"])),
        ("unauthenticated", val(&o["unauthenticated"])),
        ("error", val(&o["error"])),
        ("malformed lines", val(&doc["malformed"])),
        ("latency p50 / p95 / p99 (ms)", format!("{} / {} / {}", val(&lat["p50"]), val(&lat["p95"]), val(&lat["p99"]))),
        ("distinct principals", val(&doc["distinct"]["principals"])),
        ("distinct source IPs", val(&doc["distinct"]["source_ips"])),
        ("distinct resources", val(&doc["distinct"]["resources"])),
    ];
    let _ = writeln!(md, "| | |\n|---|---|");
    for (k, v) in rows {
        let _ = writeln!(md, "| {k} | {v} |");
    }
    md.push('\n');
    for (title, key) in
        [("Top principals", "top_principals"), ("Top resources", "top_resources"), ("Top endpoints", "top_endpoints")]
    {
        let rows = doc[key].as_array().map(Vec::as_slice).unwrap_or_default();
        if !rows.is_empty() {
            let _ = writeln!(md, "### {title}\n");
            table(md, &[("name", "name"), ("events", "events"), ("denied", "denied")], rows);
        }
    }
}

fn group(md: &mut String, doc: &Value) {
    let keys: Vec<&str> = doc["by"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let rows = doc["groups"].as_array().map(Vec::as_slice).unwrap_or_default();
    let _ = writeln!(
        md,
        "## fsaudit group by {}: {} of {} groups, {} events\n",
        cell(&keys.join(", ")),
        thousands(rows.len() as u64),
        val(&doc["groups_total"]),
        val(&doc["events"])
    );
    let mut columns: Vec<(&str, &str)> = keys.iter().map(|k| (*k, *k)).collect();
    columns.extend([
        ("events", "events"),
        ("denied", "denied"),
        ("unauth", "unauthenticated"),
        ("error", "error"),
        ("p99 ms", "latency_p99_ms"),
        ("principals", "principals"),
    ]);
    table(md, &columns, rows);
}

fn users(md: &mut String, doc: &Value) {
    let rows = doc["principals"].as_array().map(Vec::as_slice).unwrap_or_default();
    let _ = writeln!(md, "## fsaudit users: {} principals, riskiest first\n", thousands(rows.len() as u64));
    let _ = writeln!(
        md,
        "| principal | risk | events | denied | unauth | error | reasons |\n|---|---|---|---|---|---|---|"
    );
    for r in rows {
        let reasons: Vec<String> =
            r["risk_reasons"].as_array().into_iter().flatten().filter_map(Value::as_str).map(cell).collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            val(&r["name"]),
            val(&r["risk_score"]),
            val(&r["events"]),
            val(&r["denied"]),
            val(&r["unauthenticated"]),
            val(&r["error"]),
            if reasons.is_empty() { "-".to_owned() } else { reasons.join("<br>") }
        );
    }
    md.push('\n');
}

/// The findings, the first `top` of them in the table.
fn anomalies(md: &mut String, doc: &Value, top: usize) {
    let rows = doc["findings"].as_array().map(Vec::as_slice).unwrap_or_default();
    let above_low = rows.iter().filter(|f| f["severity"] != "low").count() as u64;
    let _ = writeln!(
        md,
        "## fsaudit anomalies: {} finding{} ({} above low) in {} events\n",
        thousands(rows.len() as u64),
        if rows.len() == 1 { "" } else { "s" },
        thousands(above_low),
        val(&doc["events"])
    );
    if rows.is_empty() {
        return;
    }
    if rows.len() > top {
        let _ = writeln!(md, "The {top} most severe:\n");
    }
    table(
        md,
        &[
            ("severity", "severity"),
            ("detector", "detector"),
            ("principal", "principal"),
            ("source IP", "source_ip"),
            ("count", "count"),
            ("start", "start"),
            ("evidence", "evidence"),
        ],
        &rows[..rows.len().min(top)],
    );
}

fn check(md: &mut String, doc: &Value) {
    let rules = doc["rules"].as_array().map(Vec::as_slice).unwrap_or_default();
    let holding = rules.iter().filter(|r| r["passed"] == true).count() as u64;
    let verdict = if doc["passed"] == true { "PASSED" } else { "FAILED" };
    let _ = writeln!(
        md,
        "## fsaudit check: {verdict}, {} of {} rule{} hold{} over {} events\n",
        thousands(holding),
        thousands(rules.len() as u64),
        if rules.len() == 1 { "" } else { "s" },
        if rules.len() == 1 { "s" } else { "" },
        val(&doc["events"])
    );
    let _ = writeln!(md, "| rule | metric | observed | threshold | result |\n|---|---|---|---|---|");
    for r in rules {
        let threshold = match (r["min"].as_f64(), r["max"].as_f64()) {
            (Some(a), Some(b)) => format!("{a} to {b}"),
            (Some(a), None) => format!("≥ {a}"),
            (None, Some(b)) => format!("≤ {b}"),
            _ => "-".to_owned(),
        };
        let result = match (r["passed"] == true, r["status"].as_str()) {
            (true, _) => "pass",
            (false, Some("no_data")) => "**FAIL** (no data)",
            (false, _) => "**FAIL**",
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {threshold} | {result} |",
            val(&r["name"]),
            val(&r["metric"]),
            val(&r["observed"])
        );
    }
    md.push('\n');
}

/// The report: its title, period and verdicts, then its parts' own sections.
fn report(md: &mut String, doc: &Value) {
    let ex = &doc["executive"];
    let _ = writeln!(md, "# {}\n", cell(doc["title"].as_str().unwrap_or("Audit report")));
    let mut verdicts = Vec::new();
    if let Some(c) = ex["compliance"].as_object() {
        let verdict = if c["passed"] == true { "PASSED" } else { "**FAILED**" };
        verdicts.push(format!("compliance {verdict} ({} of {} rules)", c["rules_passed"], c["rules"]));
    }
    if let Some(i) = ex["integrity"].as_object() {
        let status = i["status"].as_str().unwrap_or("unknown").to_uppercase();
        verdicts.push(if i["intact"] == true {
            format!("integrity {status}")
        } else {
            format!("integrity **{status}**")
        });
    }
    let _ = writeln!(
        md,
        "{} requests from {} principals, success rate {}, {} failed, mean latency {} ms{}.\n",
        val(&ex["requests"]),
        val(&ex["unique_principals"]),
        pct(&ex["success_rate"]),
        val(&ex["failed_requests"]),
        val(&ex["mean_latency_ms"]),
        if verdicts.is_empty() { String::new() } else { format!("; {}", verdicts.join(", ")) }
    );
    summary(md, &doc["summary"]);
    if !doc["check"].is_null() {
        check(md, &doc["check"]);
    }
    // the findings table as long as the page's (the heading counts them all)
    anomalies(md, &doc["anomalies"], doc["top"].as_u64().map_or(usize::MAX, |t| t as usize));
    users(md, &doc["users"]);
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn log_text_cannot_break_a_table_or_inject_markup() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(cell("*bold* [link](x)\n`c`"), "\\*bold\\* \\[link\\](x)\\n\\`c\\`");
        assert_eq!(cell("\u{1b}[31m"), "\\x1b\\[31m");
    }
}
