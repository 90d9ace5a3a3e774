//! `--format prometheus`: a report as the Prometheus text exposition format,
//! for node_exporter's textfile collector (`--output` writes the file
//! atomically). No sample carries a timestamp: the collector refuses them.
//!
//! Built from the report's JSON document, so the metrics say exactly what
//! `--format json` says.

use std::fmt::Write as _;
use std::io::Write;

use serde_json::Value;

/// The metrics of a `summary`, `group` or `check` document.
pub fn write<W: Write>(out: &mut W, doc: &Value) -> anyhow::Result<()> {
    let mut m = Metrics::default();
    match doc["command"].as_str() {
        Some("summary") => summary(&mut m, doc),
        Some("group") => group(&mut m, doc),
        Some("check") => check(&mut m, doc),
        other => anyhow::bail!("--format prometheus is for summary, group and check, not {}", other.unwrap_or("this")),
    }
    out.write_all(m.text.as_bytes())?;
    Ok(())
}

const CLASSES: [&str; 4] = ["success", "denied", "unauthenticated", "error"];

#[derive(Default)]
struct Metrics {
    text: String,
}

impl Metrics {
    /// Starts a metric family with its help and type.
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.text, "# HELP {name} {}", help.replace('\\', "\\\\").replace('\n', "\\n"));
        let _ = writeln!(self.text, "# TYPE {name} {kind}");
    }

    /// One sample; `None` values (no latency, say) are left out.
    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: Option<f64>) {
        let Some(v) = value.filter(|v| v.is_finite()) else { return };
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (k, val)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                let _ = write!(self.text, "{k}=\"{}\"", escape(val));
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {}", number(v));
    }
}

/// A label value as the text format wants it: backslash, double quote and
/// line feed escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Integers without a fraction, other numbers as Rust prints them (shortest round trip).
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Seconds since the epoch of an RFC 3339 time in the document.
fn seconds(v: &Value) -> Option<f64> {
    let t = crate::time::parse_rfc3339(v.as_str()?)?;
    Some(t as f64 / crate::time::MICROS_PER_SEC as f64)
}

fn summary(m: &mut Metrics, doc: &Value) {
    m.family("fsaudit_events_total", "counter", "Events that passed the filters, by event type and outcome class.");
    for t in doc["event_types"].as_array().into_iter().flatten() {
        let name = t["name"].as_str().unwrap_or("");
        for class in CLASSES {
            m.sample("fsaudit_events_total", &[("event_type", name), ("outcome", class)], f(&t[class]));
        }
    }
    m.family("fsaudit_denied_total", "counter", "Events of class denied.");
    m.sample("fsaudit_denied_total", &[], f(&doc["outcomes"]["denied"]));
    m.family("fsaudit_scanned_total", "counter", "Well-formed events read, before the filters.");
    m.sample("fsaudit_scanned_total", &[], f(&doc["scanned"]));
    m.family("fsaudit_malformed_lines_total", "counter", "Lines that are not a well-formed event.");
    m.sample("fsaudit_malformed_lines_total", &[], f(&doc["malformed"]));
    m.family("fsaudit_duplicate_lines_total", "counter", "Lines that repeat an earlier line byte for byte.");
    m.sample("fsaudit_duplicate_lines_total", &[], f(&doc["duplicate_lines"]));
    m.family("fsaudit_success_ratio", "gauge", "Events of class success over all events.");
    m.sample("fsaudit_success_ratio", &[], f(&doc["success_rate"]));
    let lat = &doc["latency_ms"];
    m.family("fsaudit_latency_ms", "summary", "Request latency in milliseconds (exact nearest-rank quantiles).");
    for (q, key) in [("0.5", "p50"), ("0.95", "p95"), ("0.99", "p99")] {
        m.sample("fsaudit_latency_ms", &[("quantile", q)], f(&lat[key]));
    }
    let count = f(&lat["count"]);
    m.sample("fsaudit_latency_ms_sum", &[], count.zip(f(&lat["mean"])).map(|(c, mean)| c * mean));
    m.sample("fsaudit_latency_ms_count", &[], count);
    m.family("fsaudit_latency_max_ms", "gauge", "The longest request latency in milliseconds.");
    m.sample("fsaudit_latency_max_ms", &[], f(&lat["max"]));
    m.family("fsaudit_distinct", "gauge", "Distinct principals, source addresses, resources and endpoints.");
    for (k, v) in doc["distinct"].as_object().into_iter().flatten() {
        m.sample("fsaudit_distinct", &[("kind", k)], f(v));
    }
    m.family("fsaudit_first_event_timestamp_seconds", "gauge", "Time of the first event (Unix seconds).");
    m.sample("fsaudit_first_event_timestamp_seconds", &[], seconds(&doc["time_range"]["first"]));
    m.family("fsaudit_last_event_timestamp_seconds", "gauge", "Time of the last event (Unix seconds).");
    m.sample("fsaudit_last_event_timestamp_seconds", &[], seconds(&doc["time_range"]["last"]));
}

fn group(m: &mut Metrics, doc: &Value) {
    let keys: Vec<&str> = doc["by"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let groups = doc["groups"].as_array().map(Vec::as_slice).unwrap_or_default();
    // each group's keys as labels, and one more label
    let labelled = |g: &Value, extra: Option<(&'static str, &'static str)>| -> Vec<(String, String)> {
        let value = |k: &str| g[k].as_str().map_or_else(|| g[k].to_string(), str::to_owned);
        keys.iter()
            .map(|k| ((*k).to_owned(), value(k)))
            .chain(extra.map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect()
    };
    let sample = |m: &mut Metrics, name: &str, labels: Vec<(String, String)>, v: Option<f64>| {
        let pairs: Vec<(&str, &str)> = labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        m.sample(name, &pairs, v);
    };
    m.family("fsaudit_group_events_total", "counter", "Events of each group, by outcome class.");
    for g in groups {
        if keys.contains(&"outcome") {
            // grouped by outcome already: one class a group
            sample(m, "fsaudit_group_events_total", labelled(g, None), f(&g["events"]));
            continue;
        }
        for class in CLASSES {
            sample(m, "fsaudit_group_events_total", labelled(g, Some(("outcome", class))), f(&g[class]));
        }
    }
    m.family(
        "fsaudit_group_latency_ms",
        "gauge",
        "Latency quantiles of each group in milliseconds (exact nearest-rank).",
    );
    for g in groups {
        for (q, key) in [("0.5", "latency_p50_ms"), ("0.95", "latency_p95_ms"), ("0.99", "latency_p99_ms")] {
            sample(m, "fsaudit_group_latency_ms", labelled(g, Some(("quantile", q))), f(&g[key]));
        }
    }
    m.family("fsaudit_group_principals", "gauge", "Distinct principals of each group.");
    for g in groups {
        sample(m, "fsaudit_group_principals", labelled(g, None), f(&g["principals"]));
    }
}

fn check(m: &mut Metrics, doc: &Value) {
    let flag = |v: &Value| Some(if v.as_bool() == Some(true) { 1.0 } else { 0.0 });
    m.family("fsaudit_check_passed", "gauge", "1 when every rule holds, else 0.");
    m.sample("fsaudit_check_passed", &[], flag(&doc["passed"]));
    let rules = doc["rules"].as_array().map(Vec::as_slice).unwrap_or_default();
    m.family("fsaudit_rule_passed", "gauge", "1 when the rule holds, else 0 (a rule without data fails closed).");
    for r in rules {
        let (name, metric) = (r["name"].as_str().unwrap_or(""), r["metric"].as_str().unwrap_or(""));
        m.sample("fsaudit_rule_passed", &[("rule", name), ("metric", metric)], flag(&r["passed"]));
    }
    m.family(
        "fsaudit_rule_observed",
        "gauge",
        "The rule's observed value (the worst bucket or subject of a per/each rule).",
    );
    for r in rules {
        let (name, metric) = (r["name"].as_str().unwrap_or(""), r["metric"].as_str().unwrap_or(""));
        m.sample("fsaudit_rule_observed", &[("rule", name), ("metric", metric)], f(&r["observed"]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_numbers_plain() {
        let mut m = Metrics::default();
        m.sample("x", &[("principal", "a\"b\\c\nd")], Some(3.0));
        m.sample("y", &[], Some(0.25));
        m.sample("z", &[], None);
        m.sample("w", &[], Some(f64::NAN));
        assert_eq!(m.text, "x{principal=\"a\\\"b\\\\c\\nd\"} 3\ny 0.25\n");
    }
}
