//! Raw command-line values → one checked configuration, before any work
//! starts: every bad value is reported here, with what is accepted.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::check::rules::{RuleSet, Settings};
use crate::cli::{DetectorArgs, GlobalArgs, SchemaArg, When};
use crate::detect::{Detector, DetectorConfig};
use crate::engine::ScanOptions;
use crate::event::Schema;
use crate::filter::{Filter, FilterSpec, globs};
use crate::render::Format;
use crate::render::table::Style;
use crate::report::risk::RiskPolicy;
use crate::schema::{FieldMap, LineParser, MapTarget, SchemaMode};
use crate::time::{MICROS_PER_SEC, Micros, parse_duration};

/// Malformed lines shown on stderr.
const MALFORMED_SHOWN: usize = 5;

/// Everything a command needs, checked.
pub struct Config {
    pub parser: LineParser,
    pub filter: Filter,
    pub scan: ScanOptions,
    pub format: Format,
    /// `--format` was on the command line (filter prints raw lines without it).
    pub format_given: bool,
    pub top: Option<usize>,
    pub risk: RiskPolicy,
    /// The `--sensitive` globs as given.
    pub sensitive_patterns: Vec<String>,
    /// `--user` was given: list each principal's resources.
    pub user_detail: bool,
    /// `--view` was given: list each resource's principals.
    pub view_detail: bool,
    pub style: Style,
    pub progress: When,
    pub quiet: bool,
    /// `--last`: keep only this much of the end of the input's own time range.
    pub last: Option<Micros>,
    /// `--tz` as given (the detectors read it too).
    pub tz: Option<String>,
    /// The filters as given, for messages (`--since 24h --user alice`).
    pub filter_text: String,
}

/// A zone name → the zone; the error says what is accepted.
fn parse_tz(flag: &str, name: &str) -> Result<chrono_tz::Tz, String> {
    name.parse()
        .map_err(|_| format!("{flag}: unknown time zone '{name}' (expected an IANA name like Europe/Berlin or UTC)"))
}

impl Config {
    pub fn new(g: &GlobalArgs) -> Result<Config, String> {
        crate::render::set_csv_raw(g.csv_raw);
        let tz = g.tz.as_deref().map(|z| parse_tz("--tz", z)).transpose()?;
        let spec = FilterSpec {
            since: g.since.clone(),
            until: g.until.clone(),
            users: g.user.clone(),
            views: g.view.clone(),
            event_types: g.event_type.clone(),
            outcomes: g.outcome.clone(),
            ips: g.ip.clone(),
            tz,
        };
        let filter = Filter::new(&spec, crate::time::now())?;
        let last = g.last.as_deref().map(|d| parse_duration(d).map_err(|e| format!("--last: {e}"))).transpose()?;
        let mut words = Vec::new();
        let mut add = |flag: &str, values: &[String]| values.iter().for_each(|v| words.push(format!("--{flag} {v}")));
        add("since", g.since.as_slice());
        add("until", g.until.as_slice());
        add("last", g.last.as_slice());
        add("user", &g.user);
        add("view", &g.view);
        add("event-type", &g.event_type);
        add("outcome", &g.outcome);
        add("ip", &g.ip);
        let schema = g.schema.map(|s| match s {
            SchemaArg::Feast => Schema::Feast,
            SchemaArg::FeastSox => Schema::FeastSox,
            SchemaArg::Flat => Schema::Flat,
            SchemaArg::Soc2 => Schema::Soc2,
            SchemaArg::Cloudtrail => Schema::Cloudtrail,
            SchemaArg::GcpAudit => Schema::GcpAudit,
            SchemaArg::Databricks => Schema::Databricks,
            SchemaArg::Tecton => Schema::Tecton,
        });
        let mut map = FieldMap::default();
        for spec in &g.map {
            map.add(spec)?;
        }
        let mode = match (schema, g.map.is_empty()) {
            (Some(s), true) => SchemaMode::Forced(s),
            (Some(s), false) => SchemaMode::Extended(s, map),
            (None, true) => SchemaMode::Auto,
            (None, false) => {
                let classed = [MapTarget::Outcome, MapTarget::Status].iter().any(|t| map.path(*t).is_some());
                if !classed && !g.quiet {
                    eprintln!(
                        "fsaudit: warning: --map maps neither outcome nor status: every event of a line that no \
                         built-in schema reads will be classed error (add --map outcome=PATH or --map status=PATH, \
                         or --schema NAME to extend a schema)"
                    );
                }
                SchemaMode::Custom(map)
            }
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // more workers than this only cost memory and start-up time
        let most = (cores * 4).max(8);
        let threads = match g.threads {
            Some(0) => return Err("--threads: expected a number of threads of at least 1".into()),
            Some(n) if n > most => {
                if !g.quiet {
                    eprintln!("fsaudit: warning: --threads {n} is more than 4 per core; using {most}");
                }
                most
            }
            Some(n) => n,
            None => cores,
        };
        let memory_limit = match &g.memory_limit {
            Some(s) => crate::memory::parse_size(s).map_err(|e| format!("--memory-limit: {e}"))?,
            None => crate::memory::default_limit(),
        };
        if g.max_line_bytes == 0 || g.buffer_size == 0 {
            return Err("--max-line-bytes and --buffer-size must be at least 1".into());
        }
        let terminal = std::io::stdout().is_terminal();
        let color = match g.color {
            When::Always => true,
            When::Never => false,
            When::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal,
        };
        Ok(Config {
            parser: LineParser::new(mode).with_envelope(g.envelope, tz.unwrap_or(chrono_tz::Tz::UTC)),
            filter,
            scan: ScanOptions {
                threads,
                buffer_size: g.buffer_size,
                max_line: g.max_line_bytes,
                strict: g.strict,
                samples: MALFORMED_SHOWN,
                dedup: g.dedup,
                count_duplicates: false,
                memory_limit: Some(memory_limit),
                envelope: g.envelope,
            },
            format: g.format.unwrap_or(Format::Table),
            format_given: g.format.is_some(),
            top: g.top,
            risk: RiskPolicy { sensitive: globs("sensitive", &g.sensitive)? },
            sensitive_patterns: g.sensitive.clone(),
            user_detail: !g.user.is_empty(),
            view_detail: !g.view.is_empty(),
            style: Style { color, terminal },
            progress: g.progress,
            quiet: g.quiet,
            last,
            tz: g.tz.clone(),
            filter_text: words.join(" "),
        })
    }

    /// The detectors' settings: a flag wins over the rules file's
    /// `[settings]`, which wins over the default; `--sensitive` globs and
    /// the file's `sensitive` are both used.
    pub fn detectors(&self, a: &DetectorArgs, file: Option<&Settings>) -> Result<DetectorConfig, String> {
        let d = DetectorConfig::default();
        let empty = Settings::default();
        let f = file.unwrap_or(&empty);
        let duration = |flag: &str, v: Option<&String>, default: Micros| {
            v.map_or(Ok(default), |v| parse_duration(v).map_err(|e| format!("--{flag}: {e}")))
        };
        let window = duration("window", a.window.as_ref().or(f.window.as_ref()), d.window)?;
        if window < 60 * MICROS_PER_SEC {
            return Err("--window: expected at least 1m".into());
        }
        let denied_share = a.denied_share.or(f.denied_share).unwrap_or(d.denied_share);
        if !(0.0..=1.0).contains(&denied_share) {
            return Err(format!("--denied-share: invalid {denied_share} (expected a ratio from 0 to 1, like 0.5)"));
        }
        let spike_factor = a.spike_factor.or(f.spike_factor).unwrap_or(d.spike_factor);
        if spike_factor.is_nan() || spike_factor < 1.0 {
            return Err(format!("--spike-factor: invalid {spike_factor} (expected at least 1)"));
        }
        let tz = match self.tz.as_ref().or(f.tz.as_ref()) {
            None => d.tz,
            Some(name) => parse_tz("--tz", name)?,
        };
        let mut sensitive = self.sensitive_patterns.clone();
        sensitive.extend(f.sensitive.iter().cloned());
        let allow = if a.allow_role.is_empty() { &f.allow_role } else { &a.allow_role };
        let disable = if a.disable.is_empty() { &f.disable } else { &a.disable };
        Ok(DetectorConfig {
            window,
            authn_failures: a.authn_failures.or(f.authn_failures).unwrap_or(d.authn_failures).max(1),
            denied_burst: a.denied_burst.or(f.denied_burst).unwrap_or(d.denied_burst).max(1),
            denied_share,
            enumeration: a.enumeration.or(f.enumeration).unwrap_or(d.enumeration).max(1),
            spike_factor,
            spike_min: a.spike_min.or(f.spike_min).unwrap_or(d.spike_min),
            sensitive: globs("sensitive", &sensitive)?,
            allow_roles: allow.clone(),
            business_hours: a
                .business_hours
                .as_ref()
                .or(f.business_hours.as_ref())
                .map(|h| DetectorConfig::parse_hours(h))
                .transpose()?,
            tz,
            new_ip_min_span: duration(
                "new-ip-min-span",
                a.new_ip_min_span.as_ref().or(f.new_ip_min_span.as_ref()),
                d.new_ip_min_span,
            )?,
            disabled: disable
                .iter()
                .map(|d| Detector::parse(d).map_err(|e| format!("--disable: {e}")))
                .collect::<Result<_, _>>()?,
        })
    }

    /// `[settings]` of `--rules`, for the commands that only read settings.
    pub fn settings(a: &DetectorArgs) -> Result<Option<RuleSet>, String> {
        a.rules.as_deref().map(|p| RuleSet::load(p, crate::time::now())).transpose()
    }

    /// A progress bar over `total` bytes on stderr, hidden unless wanted.
    pub fn progress_bar(&self, total: Option<u64>) -> ProgressBar {
        let show = match self.progress {
            When::Always => true,
            When::Never => false,
            When::Auto => std::io::stderr().is_terminal(),
        };
        if !show {
            return ProgressBar::hidden();
        }
        let target = ProgressDrawTarget::term_like_with_hz(Box::new(console::Term::buffered_stderr()), 10);
        let bar = ProgressBar::with_draw_target(total, target);
        let template = if total.is_some() {
            "{bytes}/{total_bytes} [{wide_bar}] {bytes_per_sec}, ETA {eta}"
        } else {
            "{spinner} {bytes} read, {bytes_per_sec}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }
}
