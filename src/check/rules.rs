//! The rules of `fsaudit check`: read from a TOML file (`--rules`) and from
//! inline `--max/--min METRIC=VALUE`, checked before any input is read. Every
//! mistake in the file is reported as `file:line:col: what was expected`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::metric::Metric;
use crate::detect::Severity;
use crate::filter::{Filter, FilterSpec};
use crate::time::{MICROS_PER_SEC, Micros, parse_duration};

/// What a rule is checked for: every `per` bucket, or `each` subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Each {
    Principal,
    Resource,
    SourceIp,
}

impl Each {
    fn parse(s: &str) -> Option<Each> {
        match s {
            "principal" => Some(Each::Principal),
            "resource" => Some(Each::Resource),
            "source_ip" => Some(Each::SourceIp),
            _ => None,
        }
    }
}

/// A checked rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub metric: Metric,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// `findings`: count findings at or above this severity.
    pub severity: Severity,
    pub filter: Filter,
    /// The raw `where`, for the findings metric (which filters findings, not events).
    pub filter_spec: FilterSpec,
    pub per: Option<Micros>,
    pub each: Option<Each>,
    /// `on_empty = "pass"`: the rule passes when it has no data.
    pub pass_on_empty: bool,
}

impl Rule {
    pub fn holds(&self, v: f64) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
}

/// Detector settings and sensitive globs a rules file may set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub sensitive: Vec<String>,
    /// Public key for seal manifests (`chain_breaks` then covers them too),
    /// relative to the rules file.
    pub pubkey: Option<PathBuf>,
    pub window: Option<String>,
    pub authn_failures: Option<u64>,
    pub denied_burst: Option<u64>,
    pub denied_share: Option<f64>,
    pub enumeration: Option<usize>,
    pub spike_factor: Option<f64>,
    pub spike_min: Option<u64>,
    #[serde(default)]
    pub allow_role: Vec<String>,
    pub business_hours: Option<String>,
    pub tz: Option<String>,
    pub new_ip_min_span: Option<String>,
    pub off_hours_min: Option<u64>,
    pub shared_addresses: Option<u64>,
    pub write_failures: Option<u64>,
    pub daily_denials: Option<u64>,
    pub alpha: Option<f64>,
    #[serde(default)]
    pub disable: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    settings: Option<Settings>,
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: Spanned<String>,
    metric: Spanned<String>,
    max: Option<Spanned<Threshold>>,
    min: Option<Spanned<Threshold>>,
    severity: Option<Spanned<String>>,
    #[serde(rename = "where")]
    filter: Option<Spanned<WhereSpec>>,
    per: Option<Spanned<String>>,
    each: Option<Spanned<String>>,
    on_empty: Option<Spanned<String>>,
}

/// A number, or a duration like `"2h"` (for `max_gap` and `span_days`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Threshold {
    Int(i64),
    Float(f64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WhereSpec {
    #[serde(default)]
    user: OneOrMany,
    #[serde(default)]
    view: OneOrMany,
    #[serde(default)]
    event_type: OneOrMany,
    #[serde(default)]
    outcome: OneOrMany,
    #[serde(default)]
    ip: OneOrMany,
    since: Option<String>,
    until: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The rules and settings of a run.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub settings: Settings,
}

/// `file:line:col: message`, from a byte offset into the file's text.
fn at(path: &Path, text: &str, span: Option<Range<usize>>, message: &str) -> String {
    let offset = span.map_or(0, |s| s.start).min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{}:{line}:{col}: {message}", path.display())
}

impl RuleSet {
    /// Reads a rules file; errors carry `file:line:col`.
    pub fn load(path: &Path, now: Micros) -> Result<RuleSet, String> {
        let text = crate::input::read_small_text(path).map_err(|e| format!("{}: {e}", path.display()))?;
        RuleSet::parse(path, &text, now)
    }

    /// Parses the text of a rules file read from `path`.
    pub fn parse(path: &Path, text: &str, now: Micros) -> Result<RuleSet, String> {
        let file: RulesFile =
            toml::from_str(text).map_err(|e| at(path, text, e.span(), e.message().trim_end_matches('\n')))?;
        let mut set = RuleSet { settings: file.settings.unwrap_or_default(), rules: Vec::new() };
        if let Some(key) = &set.settings.pubkey {
            if key.is_relative() {
                let base = path.parent().unwrap_or(Path::new("."));
                set.settings.pubkey = Some(base.join(key));
            }
        }
        for spec in file.rule {
            let rule = build(spec, now).map_err(|(span, msg)| at(path, text, Some(span), &msg))?;
            set.rules.push(rule);
        }
        Ok(set)
    }

    /// Adds the inline `--max/--min METRIC=VALUE` rules, one per metric.
    /// Adds the rules of `--max`/`--min` items, `(flag, METRIC=VALUE)` in the
    /// order they were given; a metric named twice is one rule, where it was
    /// first named.
    pub fn add_inline(&mut self, items: &[(&str, &str)]) -> Result<(), String> {
        // per metric, in the order named: (min, max)
        type Bounds = (Option<f64>, Option<f64>);
        let mut bounds: Vec<(String, Bounds)> = Vec::new();
        {
            for &(flag, item) in items {
                let (metric, value) = item
                    .split_once('=')
                    .ok_or_else(|| format!("{flag} {item}: expected METRIC=VALUE, like {flag} p99_ms=100"))?;
                let m = Metric::parse(metric.trim()).map_err(|e| format!("{flag} {item}: {e}"))?;
                let v = threshold(m, &Threshold::Text(value.trim().to_owned()))
                    .map_err(|e| format!("{flag} {item}: {e}"))?;
                let name = metric.trim().to_owned();
                let at = match bounds.iter().position(|(n, _)| *n == name) {
                    Some(at) => at,
                    None => {
                        bounds.push((name, (None, None)));
                        bounds.len() - 1
                    }
                };
                let entry = &mut bounds[at].1;
                if flag == "--max" {
                    entry.1 = Some(v);
                } else {
                    entry.0 = Some(v);
                }
            }
        }
        for (metric, (min, max)) in bounds {
            let m = Metric::parse(&metric)?;
            self.rules.push(Rule {
                name: metric,
                metric: m,
                min,
                max,
                severity: Severity::Low,
                filter: Filter::default(),
                filter_spec: FilterSpec::default(),
                per: None,
                each: None,
                pass_on_empty: false,
            });
        }
        Ok(())
    }
}

fn threshold(metric: Metric, t: &Threshold) -> Result<f64, String> {
    let duration_secs = |s: &str| parse_duration(s).map(|us| us as f64 / MICROS_PER_SEC as f64);
    match (t, metric) {
        (Threshold::Int(i), _) => Ok(*i as f64),
        (Threshold::Float(f), _) => Ok(*f),
        (Threshold::Text(s), Metric::MaxGap) => {
            duration_secs(s).or_else(|_| {
                s.parse::<f64>().map_err(|_| {
            format!("invalid duration '{s}' (expected a number of seconds or a duration like \"90m\", \"2h\", \"1d\")")
        })
            })
        }
        (Threshold::Text(s), Metric::SpanDays) => duration_secs(s).map(|secs| secs / 86_400.0).or_else(|_| {
            s.parse::<f64>()
                .map_err(|_| format!("invalid span '{s}' (expected a number of days or a duration like \"90d\")"))
        }),
        (Threshold::Text(s), _) => {
            s.parse::<f64>().map_err(|_| format!("invalid number '{s}' for {} (expected a number)", metric.name()))
        }
    }
}

type Located = (Range<usize>, String);

fn build(spec: RuleSpec, now: Micros) -> Result<Rule, Located> {
    let metric = Metric::parse(spec.metric.get_ref()).map_err(|e| (spec.metric.span(), e))?;
    let bound = |b: &Option<Spanned<Threshold>>| -> Result<Option<f64>, Located> {
        b.as_ref().map(|s| threshold(metric, s.get_ref()).map_err(|e| (s.span(), e))).transpose()
    };
    let (min, max) = (bound(&spec.min)?, bound(&spec.max)?);
    if min.is_none() && max.is_none() {
        return Err((spec.name.span(), "the rule needs `max`, `min` or both".into()));
    }
    let severity = match &spec.severity {
        None => Severity::Low,
        Some(s) if metric == Metric::Findings => Severity::parse(s.get_ref()).map_err(|e| (s.span(), e))?,
        Some(s) => return Err((s.span(), "`severity` applies to the findings metric only".into())),
    };
    let per = spec
        .per
        .as_ref()
        .map(|p| match parse_duration(p.get_ref()) {
            Ok(d) if d >= 60 * MICROS_PER_SEC => Ok(d),
            _ => Err((
                p.span(),
                format!("invalid bucket '{}' (expected a duration of at least 1m, like \"1h\" or \"1d\")", p.get_ref()),
            )),
        })
        .transpose()?;
    let each = spec
        .each
        .as_ref()
        .map(|e| {
            Each::parse(e.get_ref()).ok_or_else(|| {
                (e.span(), format!("invalid each '{}' (expected principal, resource or source_ip)", e.get_ref()))
            })
        })
        .transpose()?;
    if (per.is_some() || each.is_some()) && matches!(metric, Metric::Malformed | Metric::ChainBreaks) {
        let span = spec.per.as_ref().or(spec.each.as_ref()).map(Spanned::span).unwrap_or_else(|| spec.metric.span());
        return Err((span, format!("{} is counted for the whole input: it takes no `per` or `each`", metric.name())));
    }
    let (filter_spec, where_span) = match spec.filter {
        None => (FilterSpec::default(), 0..0),
        Some(w) => {
            let span = w.span();
            let w = w.into_inner();
            let spec = FilterSpec {
                since: w.since,
                until: w.until,
                users: w.user.into_vec(),
                views: w.view.into_vec(),
                event_types: w.event_type.into_vec(),
                outcomes: w.outcome.into_vec(),
                ips: w.ip.into_vec(),
                tz: None,
            };
            (spec, span)
        }
    };
    if metric == Metric::Findings && !(filter_spec.event_types.is_empty() && filter_spec.outcomes.is_empty()) {
        return Err((where_span, "findings can be narrowed by user, view, ip, since and until only".into()));
    }
    let filter = Filter::new(&filter_spec, now).map_err(|e| (where_span.clone(), e))?;
    let pass_on_empty = match &spec.on_empty {
        None => false,
        Some(v) => match v.get_ref().as_str() {
            "pass" => true,
            "fail" => false,
            other => {
                return Err((
                    v.span(),
                    format!("invalid on_empty '{other}' (expected \"fail\", the default, or \"pass\")"),
                ));
            }
        },
    };
    Ok(Rule { name: spec.name.into_inner(), metric, min, max, severity, filter, filter_spec, per, each, pass_on_empty })
}
