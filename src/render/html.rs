//! `fsaudit report`'s page: one self-contained HTML file. Inline CSS and
//! SVG only: no script, no font, no image is fetched (a Content Security
//! Policy of `default-src 'none'` says so to the browser), so the page reads
//! the same offline, in a mail attachment or saved as PDF (a print
//! stylesheet lays it out on A4).
//!
//! Built from the report's JSON document. Every text from the log is
//! escaped; numbers carry their exact value in `data-value` beside the
//! formatted one, which is what the browser test compares.

use std::fmt::Write as _;
use std::io::Write;

use serde_json::Value;

use super::table::thousands;

const CSS: &str = r#"
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dee7; --bg: #f6f7f9; --ok: #1f7a44; --bad: #b42318;
        --warn: #b54708; --accent: #2f5fb3; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
p.meta { color: var(--muted); margin: 0 0 6px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 600; margin-top: 2px; }
.card .value.muted { font-size: 14px; font-weight: 400; }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); } .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.text { word-break: break-word; }
td { overflow-wrap: anywhere; }
.sev { white-space: nowrap; display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; color: #fff; }
.sev-critical { background: #7a1111; } .sev-high { background: var(--bad); } .sev-medium { background: var(--warn); }
.sev-low { background: #8a93a3; }
.verdict { font-weight: 700; }
ul.reasons { margin: 0; padding-left: 16px; color: var(--muted); font-size: 12px; }
svg { width: 100%; height: auto; display: block; }
.legend span { display: inline-block; margin-right: 14px; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
footer { margin-top: 30px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .cards { grid-template-columns: repeat(4, 1fr); }
  section { break-inside: auto; }
  h2 { break-after: avoid-page; }
  tr, .card, svg { break-inside: avoid; }
  thead { display: table-header-group; }
}
"#;

/// Writes the page of a `report` document.
pub fn write<W: Write>(out: &mut W, doc: &Value) -> anyhow::Result<()> {
    let mut h = String::with_capacity(64 * 1024);
    let title = doc["title"].as_str().unwrap_or("Audit report");
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"fsaudit {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(title)
    );
    header(&mut h, doc, title);
    executive(&mut h, doc);
    outcomes(&mut h, &doc["summary"]);
    timeline(&mut h, &doc["timeline"]);
    if !doc["check"].is_null() {
        rules(&mut h, &doc["check"]);
    }
    if !doc["verify"].is_null() {
        integrity(&mut h, &doc["verify"]);
    }
    findings(&mut h, &doc["anomalies"], doc["top"].as_u64().map_or(usize::MAX, |t| t as usize));
    principals(&mut h, &doc["users"]);
    endpoints(&mut h, &doc["endpoints"], &doc["summary"]);
    inputs(&mut h, &doc["summary"]);
    let _ = write!(
        h,
        "<footer>Made by fsaudit {} from the JSON documents of <code>summary</code>, <code>timeline</code>, \
         <code>users</code>, <code>anomalies</code> and <code>group --by endpoint</code>{}{} over the same inputs. \
         Generated {}.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        if doc["check"].is_null() { "" } else { ", <code>check</code>" },
        if doc["verify"].is_null() { "" } else { ", <code>verify</code>" },
        esc(doc["generated"].as_str().unwrap_or("")),
    );
    out.write_all(h.as_bytes())?;
    Ok(())
}

/// Text from the log or the command line, safe in HTML text and attributes;
/// control characters are shown as escapes, not passed on.
pub fn esc(s: &str) -> String {
    // the characters a browser would act on are first made visible escapes,
    // as on a terminal (`render::safe`), then the markup characters entities
    let shown = super::safe(s);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as text: strings escaped, integers with separators, other
/// numbers as written, null as a dash.
fn val(v: &Value) -> String {
    match v {
        Value::Null => "–".to_owned(),
        Value::String(s) => esc(s),
        Value::Number(n) => match n.as_u64() {
            Some(u) => thousands(u),
            None => n.as_f64().map_or_else(String::new, |f| trim(f, 3)),
        },
        Value::Bool(b) => b.to_string(),
        other => esc(&other.to_string()),
    }
}

/// A number with at most `digits` decimals, trailing zeros dropped.
fn trim(f: f64, digits: usize) -> String {
    let s = format!("{f:.digits$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_owned() } else { s }
}

/// An RFC 3339 time as people read it: `2026-10-02 10:00:00 UTC` (the
/// exact value stays in the JSON document).
fn stamp(v: &Value) -> String {
    match v.as_str() {
        Some(t) if t.len() >= 19 && t.as_bytes()[10] == b'T' && t.is_char_boundary(19) => {
            let zone = if t.ends_with('Z') { " UTC" } else { "" };
            format!("{} {}{zone}", esc(&t[..10]), esc(&t[11..19]))
        }
        _ => val(v),
    }
}

/// A share as a percentage with one decimal.
fn pct(v: &Value) -> String {
    v.as_f64().map_or_else(|| "–".to_owned(), |f| format!("{:.1}%", f * 100.0))
}

/// The raw value of a figure, for `data-value`.
fn raw(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => esc(s),
        other => esc(&other.to_string()),
    }
}

fn header(h: &mut String, doc: &Value, title: &str) {
    let ex = &doc["executive"];
    let _ = writeln!(h, "<header>\n<h1>{}</h1>", esc(title));
    let _ = writeln!(
        h,
        "<p class=\"meta\">Period: <b data-metric=\"first\" data-value=\"{}\">{}</b> to <b data-metric=\"last\" data-value=\"{}\">{}</b></p>",
        raw(&ex["first"]),
        stamp(&ex["first"]),
        raw(&ex["last"]),
        stamp(&ex["last"])
    );
    if let Some(f) = doc["filters"].as_str().filter(|f| !f.is_empty()) {
        let _ = writeln!(h, "<p class=\"meta\">Filters: <code>{}</code></p>", esc(f));
    }
    let _ = writeln!(h, "</header>");
}

fn card(h: &mut String, label: &str, metric: &str, value: &Value, shown: String, class: &str) {
    let _ = writeln!(
        h,
        "<div class=\"card\"><div class=\"label\">{label}</div><div class=\"value {class}\" data-metric=\"{metric}\" data-value=\"{}\">{shown}</div></div>",
        raw(value)
    );
}

fn executive(h: &mut String, doc: &Value) {
    let ex = &doc["executive"];
    let _ = writeln!(h, "<section id=\"executive\">\n<h2>Executive summary</h2>\n<div class=\"cards\">");
    card(h, "Requests", "events", &ex["requests"], val(&ex["requests"]), "");
    let rate = ex["success_rate"].as_f64();
    let rate_class = match rate {
        Some(r) if r >= 0.99 => "ok",
        Some(r) if r >= 0.95 => "warn",
        Some(_) => "bad",
        None => "muted",
    };
    card(h, "Success rate", "success_rate", &ex["success_rate"], pct(&ex["success_rate"]), rate_class);
    let latency = ex["mean_latency_ms"].as_f64().map_or_else(|| "–".to_owned(), |m| format!("{} ms", trim(m, 1)));
    card(h, "Average latency", "mean_latency_ms", &ex["mean_latency_ms"], latency, "");
    let failed_class = if ex["failed_requests"].as_u64().unwrap_or(0) > 0 { "warn" } else { "ok" };
    card(h, "Failed requests", "failed_requests", &ex["failed_requests"], val(&ex["failed_requests"]), failed_class);
    card(h, "Unique principals", "principals", &ex["unique_principals"], val(&ex["unique_principals"]), "");
    card(h, "Denied", "denied", &ex["denied"], val(&ex["denied"]), "");
    match ex["compliance"].as_object() {
        Some(c) => {
            let score = c["score"].as_f64().map_or_else(|| "–".to_owned(), |s| format!("{:.0}%", s * 100.0));
            let shown =
                format!("{score} <small class=\"muted\">({} of {} rules)</small>", c["rules_passed"], c["rules"]);
            let class = if c["passed"].as_bool() == Some(true) { "ok" } else { "bad" };
            card(h, "Compliance score", "compliance_score", &c["score"], shown, class);
        }
        None => card(h, "Compliance score", "compliance_score", &Value::Null, "not checked (--rules)".into(), "muted"),
    }
    match ex["integrity"].as_object() {
        Some(i) => {
            let intact = i["intact"].as_bool() == Some(true);
            let label = integrity_label(&ex["integrity"]);
            card(h, "Integrity", "integrity", &i["status"], esc(&label), if intact { "ok" } else { "bad" });
        }
        None => card(h, "Integrity", "integrity", &Value::Null, "not checked (--verify)".into(), "muted"),
    }
    let _ = writeln!(h, "</div>");
    let findings = doc["anomalies"]["findings"].as_array().map(Vec::as_slice).unwrap_or_default();
    let serious = findings.iter().filter(|f| matches!(f["severity"].as_str(), Some("critical" | "high"))).count();
    let _ = writeln!(
        h,
        "<p>{} finding{} of the detectors, {} of them critical or high. {}</p>",
        thousands(findings.len() as u64),
        if findings.len() == 1 { "" } else { "s" },
        thousands(serious as u64),
        match (doc["check"]["passed"].as_bool(), doc["verify"]["intact"].as_bool()) {
            (Some(false), _) | (_, Some(false)) => "<span class=\"verdict bad\">A verdict below failed.</span>",
            (Some(true), Some(true)) => "<span class=\"verdict ok\">Every rule passed and the log is intact.</span>",
            (Some(true), None) => "<span class=\"verdict ok\">Every rule passed.</span>",
            (None, Some(true)) => "<span class=\"verdict ok\">The log is intact.</span>",
            (None, None) => "",
        }
    );
    let _ = writeln!(h, "</section>");
}

/// A table of `rows` with `columns` (heading, key, numeric); `cell` may
/// replace a key's rendering.
fn table(
    h: &mut String,
    columns: &[(&str, &str, bool)],
    rows: &[Value],
    cell: &dyn Fn(&str, &Value) -> Option<String>,
) {
    let _ = write!(h, "<table>\n<thead><tr>");
    for (head, _, num) in columns {
        let _ = write!(h, "<th{}>{head}</th>", if *num { " class=\"n\"" } else { "" });
    }
    let _ = writeln!(h, "</tr></thead>\n<tbody>");
    for row in rows {
        let _ = write!(h, "<tr>");
        for (_, key, num) in columns {
            let shown = cell(key, row).unwrap_or_else(|| val(&row[*key]));
            let _ = write!(h, "<td class=\"{}\">{shown}</td>", if *num { "n" } else { "text" });
        }
        let _ = writeln!(h, "</tr>");
    }
    let _ = writeln!(h, "</tbody>\n</table>");
}

fn outcomes(h: &mut String, s: &Value) {
    let _ = writeln!(h, "<section id=\"outcomes\">\n<h2>Outcomes and latency</h2>");
    let o = &s["outcomes"];
    let total = s["events"].as_u64().unwrap_or(0).max(1) as f64;
    let _ = writeln!(
        h,
        "<table>\n<thead><tr><th>Outcome class</th><th class=\"n\">Events</th><th class=\"n\">Share</th></tr></thead>\n<tbody>"
    );
    for class in ["success", "denied", "unauthenticated", "error"] {
        let n = o[class].as_u64().unwrap_or(0);
        let _ = writeln!(
            h,
            "<tr><td>{class}</td><td class=\"n\" data-metric=\"outcomes.{class}\" data-value=\"{n}\">{}</td><td class=\"n\">{:.1}%</td></tr>",
            thousands(n),
            n as f64 / total * 100.0
        );
    }
    let _ = writeln!(h, "</tbody>\n</table>");
    let l = &s["latency_ms"];
    let _ = writeln!(h, "<table>\n<thead><tr><th>Latency (ms)</th>");
    let keys = ["count", "mean", "p50", "p95", "p99", "max"];
    for k in keys {
        let _ = write!(h, "<th class=\"n\">{k}</th>");
    }
    let _ = writeln!(
        h,
        "</tr></thead>\n<tbody><tr><td>{}</td>",
        if l["exact"].as_bool() == Some(false) { "approximate" } else { "exact" }
    );
    for k in keys {
        let _ = write!(
            h,
            "<td class=\"n\" data-metric=\"latency_ms.{k}\" data-value=\"{}\">{}</td>",
            raw(&l[k]),
            val(&l[k])
        );
    }
    let _ = writeln!(h, "</tr></tbody>\n</table>\n</section>");
}

/// The timeline as bars: every event of a bucket, and over it the denied
/// and unauthenticated ones.
fn timeline(h: &mut String, t: &Value) {
    let buckets = t["buckets"].as_array().map(Vec::as_slice).unwrap_or_default();
    let _ = writeln!(
        h,
        "<section id=\"timeline\">\n<h2>Timeline <small class=\"muted\">(events per {})</small></h2>",
        esc(t["bucket"].as_str().unwrap_or("bucket"))
    );
    if buckets.is_empty() {
        let _ = writeln!(h, "<p class=\"muted\">No event has a time.</p>\n</section>");
        return;
    }
    let (width, height, left, bottom, top) = (1000.0, 230.0, 56.0, 28.0, 10.0);
    let plot_w = width - left - 8.0;
    let plot_h = height - bottom - top;
    let count = |b: &Value, k: &str| b[k].as_u64().unwrap_or(0);
    let most = buckets.iter().map(|b| count(b, "events")).max().unwrap_or(0).max(1);
    let step = plot_w / buckets.len() as f64;
    let bar = (step * 0.85).max(0.5);
    let _ =
        writeln!(h, "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Events and denials per bucket\">");
    for frac in [0.0, 0.5, 1.0] {
        let y = top + plot_h * (1.0 - frac);
        let _ = writeln!(
            h,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#d9dee7\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6475\">{}</text>",
            width - 8.0,
            left - 6.0,
            y + 4.0,
            thousands((most as f64 * frac).round() as u64)
        );
    }
    for (i, b) in buckets.iter().enumerate() {
        let events = count(b, "events");
        let bad = count(b, "denied") + count(b, "unauthenticated");
        let x = left + i as f64 * step;
        let he = plot_h * events as f64 / most as f64;
        let hb = plot_h * bad as f64 / most as f64;
        let start = stamp(&b["start"]);
        let _ = writeln!(
            h,
            "<g><title>{start}: {} events, {} denied or unauthenticated</title><rect x=\"{x:.2}\" y=\"{:.2}\" width=\"{bar:.2}\" height=\"{he:.2}\" fill=\"#2f5fb3\"/>{}</g>",
            thousands(events),
            thousands(bad),
            top + plot_h - he,
            if bad > 0 {
                format!(
                    "<rect x=\"{x:.2}\" y=\"{:.2}\" width=\"{bar:.2}\" height=\"{:.2}\" fill=\"#b42318\"/>",
                    top + plot_h - hb,
                    hb.max(1.0)
                )
            } else {
                String::new()
            }
        );
    }
    let first = stamp(&buckets[0]["start"]);
    let last = stamp(&buckets[buckets.len() - 1]["start"]);
    let _ = writeln!(
        h,
        "<text x=\"{left}\" y=\"{}\" font-size=\"11\" fill=\"#5b6475\">{first}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6475\">{last}</text>\n</svg>",
        height - 8.0,
        width - 8.0,
        height - 8.0
    );
    let _ = writeln!(
        h,
        "<p class=\"legend\"><span><i style=\"background:#2f5fb3\"></i>events</span><span><i style=\"background:#b42318\"></i>denied or unauthenticated</span><span>{} buckets, the largest {} events</span></p>\n</section>",
        thousands(buckets.len() as u64),
        thousands(most)
    );
}

fn rules(h: &mut String, c: &Value) {
    let passed = c["passed"].as_bool() == Some(true);
    let rows = c["rules"].as_array().map(Vec::as_slice).unwrap_or_default();
    // not passed though every rule held: an input could not be read whole
    let verdict = match passed {
        true => "PASSED",
        false if rows.iter().all(|r| r["passed"] == true) => "NOT PASSED (input incomplete)",
        false => "FAILED",
    };
    let _ = writeln!(
        h,
        "<section id=\"rules\">\n<h2>Compliance rules <span class=\"verdict {}\" data-metric=\"check.passed\" data-value=\"{passed}\">{verdict}</span></h2>",
        if passed { "ok" } else { "bad" },
    );
    let cell = |key: &str, r: &Value| match key {
        "status" => {
            let ok = r["passed"].as_bool() == Some(true);
            Some(format!("<span class=\"{}\">{}</span>", if ok { "ok" } else { "bad" }, val(&r["status"])))
        }
        "limit" => Some(match (r["min"].as_f64(), r["max"].as_f64()) {
            (Some(min), _) => format!("at least {}", trim(min, 6)),
            (_, Some(max)) => format!("at most {}", trim(max, 6)),
            _ => "–".into(),
        }),
        _ => None,
    };
    table(
        h,
        &[
            ("Rule", "name", false),
            ("Metric", "metric", false),
            ("Limit", "limit", false),
            ("Observed", "observed", true),
            ("Status", "status", false),
        ],
        rows,
        &cell,
    );
    let _ = writeln!(h, "</section>");
}

/// `verify`'s status in capitals, from its JSON (or the report's extract
/// of it); inputs not all read (exit 2) are NOT VERIFIED, whatever the files
/// read showed.
pub fn integrity_label(v: &Value) -> String {
    match v["incomplete"] == true {
        true => "NOT VERIFIED (input incomplete)".to_owned(),
        false => v["status"].as_str().unwrap_or("unknown").to_uppercase(),
    }
}

fn integrity(h: &mut String, v: &Value) {
    let intact = v["intact"].as_bool() == Some(true);
    let status = integrity_label(v);
    let _ = writeln!(
        h,
        "<section id=\"integrity\">\n<h2>Integrity <span class=\"verdict {}\">{}</span></h2>",
        if intact { "ok" } else { "bad" },
        esc(&status)
    );
    let _ = writeln!(
        h,
        "<p>{} of {} entries verified{}.</p>",
        val(&v["verified"]),
        val(&v["entries"]),
        match v["breaks"].as_array().map_or(0, Vec::len) {
            0 => String::new(),
            n => format!(", <b class=\"bad\">{} break{}</b>", thousands(n as u64), if n == 1 { "" } else { "s" }),
        }
    );
    let files = v["files"].as_array().map(Vec::as_slice).unwrap_or_default();
    table(
        h,
        &[
            ("File", "path", false),
            ("Entries", "entries", true),
            ("Verified", "verified", true),
            ("By", "verified_by", false),
            ("Status", "status", false),
        ],
        files,
        &|_, _| None,
    );
    let breaks = v["breaks"].as_array().map(Vec::as_slice).unwrap_or_default();
    if !breaks.is_empty() {
        let shown: Vec<Value> = breaks.iter().take(20).cloned().collect();
        let cell = |key: &str, b: &Value| match key {
            "what" => Some(esc(&b.to_string())),
            _ => None,
        };
        table(h, &[("Break", "what", false)], &shown, &cell);
    }
    let _ = writeln!(h, "</section>");
}

fn findings(h: &mut String, a: &Value, top: usize) {
    let all = a["findings"].as_array().map(Vec::as_slice).unwrap_or_default();
    let rows = &all[..all.len().min(top)];
    let _ = writeln!(
        h,
        "<section id=\"findings\">\n<h2>Findings <small class=\"muted\">(the {} most severe of {})</small></h2>",
        thousands(rows.len() as u64),
        thousands(all.len() as u64)
    );
    if rows.is_empty() {
        let _ = writeln!(h, "<p class=\"ok\">The detectors found nothing.</p>\n</section>");
        return;
    }
    let cell = |key: &str, f: &Value| match key {
        "severity" => {
            let s = f["severity"].as_str().unwrap_or("low");
            Some(format!("<span class=\"sev sev-{}\">{}</span>", esc(s), esc(s)))
        }
        "who" => Some(match (f["principal"].as_str(), f["source_ip"].as_str()) {
            (Some(p), Some(ip)) => format!("{}<br><span class=\"muted\">{}</span>", esc(p), esc(ip)),
            (Some(p), None) => esc(p),
            (None, Some(ip)) => esc(ip),
            (None, None) => "–".into(),
        }),
        "when" => Some(format!("{}<br><span class=\"muted\">to {}</span>", stamp(&f["start"]), stamp(&f["end"]))),
        _ => None,
    };
    table(
        h,
        &[
            ("Severity", "severity", false),
            ("Detector", "detector", false),
            ("Principal / address", "who", false),
            ("When", "when", false),
            ("Count", "count", true),
            ("Evidence", "evidence", false),
        ],
        rows,
        &cell,
    );
    let _ = writeln!(h, "</section>");
}

fn principals(h: &mut String, u: &Value) {
    let rows = u["principals"].as_array().map(Vec::as_slice).unwrap_or_default();
    let _ = writeln!(
        h,
        "<section id=\"principals\">\n<h2>Principals by risk <small class=\"muted\">({} of {})</small></h2>",
        thousands(rows.len() as u64),
        val(&u["principals_total"])
    );
    let cell = |key: &str, p: &Value| match key {
        "failure_rate" => Some(pct(&p["failure_rate"])),
        "risk_reasons" => {
            let reasons = p["risk_reasons"].as_array().map(Vec::as_slice).unwrap_or_default();
            if reasons.is_empty() {
                return Some(String::new());
            }
            let mut s = String::from("<ul class=\"reasons\">");
            for r in reasons {
                let _ = write!(s, "<li>{}</li>", val(r));
            }
            s.push_str("</ul>");
            Some(s)
        }
        _ => None,
    };
    table(
        h,
        &[
            ("Principal", "name", false),
            ("Risk", "risk_score", true),
            ("Events", "events", true),
            ("Denied", "denied", true),
            ("Unauth.", "unauthenticated", true),
            ("Failure rate", "failure_rate", true),
            ("Resources", "resources", true),
            ("IPs", "source_ips", true),
            ("Reasons", "risk_reasons", false),
        ],
        rows,
        &cell,
    );
    let _ = writeln!(h, "</section>");
}

fn endpoints(h: &mut String, g: &Value, s: &Value) {
    let _ = writeln!(h, "<section id=\"activity\">\n<h2>Calls by endpoint, event type and resource</h2>");
    let groups = g["groups"].as_array().map(Vec::as_slice).unwrap_or_default();
    let pct_cell = |key: &str, r: &Value| (key == "success_rate").then(|| pct(&r["success_rate"]));
    table(
        h,
        &[
            ("Endpoint", "endpoint", false),
            ("Events", "events", true),
            ("Denied", "denied", true),
            ("Success rate", "success_rate", true),
            ("p99 ms", "latency_p99_ms", true),
            ("Principals", "principals", true),
        ],
        groups,
        &pct_cell,
    );
    let types = s["event_types"].as_array().map(Vec::as_slice).unwrap_or_default();
    table(
        h,
        &[
            ("Event type", "name", false),
            ("Events", "events", true),
            ("Success", "success", true),
            ("Denied", "denied", true),
            ("Unauth.", "unauthenticated", true),
            ("Error", "error", true),
        ],
        types,
        &|_, _| None,
    );
    let resources = s["top_resources"].as_array().map(Vec::as_slice).unwrap_or_default();
    if resources.is_empty() {
        let _ = writeln!(h, "<p class=\"muted\">No event names a resource.</p>");
    } else {
        table(
            h,
            &[("Resource", "name", false), ("Events", "events", true), ("Denied", "denied", true)],
            resources,
            &|_, _| None,
        );
    }
    let _ = writeln!(h, "</section>");
}

fn inputs(h: &mut String, s: &Value) {
    let _ = writeln!(h, "<section id=\"inputs\">\n<h2>Inputs</h2>");
    let rows = s["inputs"].as_array().map(Vec::as_slice).unwrap_or_default();
    table(
        h,
        &[
            ("Input", "path", false),
            ("Bytes", "bytes", true),
            ("Lines", "lines", true),
            ("Events", "events", true),
            ("Malformed", "malformed", true),
        ],
        rows,
        &|_, _| None,
    );
    let _ = writeln!(
        h,
        "<p>{} events, <span data-metric=\"malformed\" data-value=\"{}\">{}</span> malformed line{}, {} duplicate line{}.</p>",
        val(&s["events"]),
        raw(&s["malformed"]),
        val(&s["malformed"]),
        if s["malformed"].as_u64() == Some(1) { "" } else { "s" },
        val(&s["duplicate_lines"]),
        if s["duplicate_lines"].as_u64() == Some(1) { "" } else { "s" },
    );
    let _ = writeln!(h, "</section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_log_cannot_make_markup() {
        assert_eq!(esc("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assert_eq!(esc("a\"b&c\x1b[31m\n"), "a&quot;b&amp;c\\x1b[31m\\n");
        // a right-to-left override cannot reorder the page's text
        assert_eq!(esc("evil\u{202e}gnp.exe"), "evil\\u{202e}gnp.exe");
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(val(&serde_json::json!(1234567)), "1,234,567");
        assert_eq!(val(&serde_json::json!(10.5)), "10.5");
        assert_eq!(val(&serde_json::json!(2.0)), "2");
        assert_eq!(pct(&serde_json::json!(0.96384)), "96.4%");
        assert_eq!(val(&Value::Null), "–");
    }
}
