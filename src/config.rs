//! Raw command-line values → one checked configuration, before any work
//! starts: every bad value is reported here, with what is accepted.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::check::rules::{RuleSet, Settings};
use crate::cli::{Command, DetectorArgs, GlobalArgs, InputArgs, ParseArgs, ScanArgs, SchemaArg, SelectArgs, When};
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
    /// `--output FILE`: the report goes there, atomically, instead of stdout.
    pub output: Option<std::path::PathBuf>,
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
    /// `--save-state FILE`: where the report's state goes, and what it covers.
    pub save_state: Option<std::sync::Arc<crate::app::state::SaveTo>>,
    /// `merge`: the saved states the report is made of, instead of inputs.
    pub merged: Option<std::sync::Arc<Vec<crate::app::state::Saved>>>,
}

/// A zone name → the zone; the error says what is accepted.
fn parse_tz(flag: &str, name: &str) -> Result<chrono_tz::Tz, String> {
    name.parse()
        .map_err(|_| format!("{flag}: unknown time zone '{name}' (expected an IANA name like Europe/Berlin or UTC)"))
}

/// The options a command was given, with the defaults of those it does
/// not take (each command takes only the options that mean something to it).
#[derive(Default)]
pub struct Options<'a> {
    pub select: Option<&'a SelectArgs>,
    pub parse: Option<&'a ParseArgs>,
    pub scan: Option<&'a ScanArgs>,
    pub format: Option<Format>,
    pub csv_raw: bool,
    /// `--output FILE`.
    pub output: Option<&'a std::path::Path>,
    /// `--follow`.
    pub follow: bool,
    pub top: Option<usize>,
    /// `Some` for a report that spills: its `--memory-limit`, if given.
    pub memory_limit: Option<Option<&'a str>>,
    pub sensitive: &'a [String],
    /// `--envelope` of a command that reads lines without parsing events (`verify`).
    pub envelope: Option<crate::schema::Envelope>,
}

impl<'a> Options<'a> {
    fn input(input: &'a InputArgs) -> Self {
        Options {
            select: Some(&input.select),
            parse: Some(&input.parse),
            scan: Some(&input.scan),
            ..Options::default()
        }
    }

    fn output(mut self, o: &'a impl crate::cli::OutputOptions) -> Self {
        (self.format, self.csv_raw, self.output) = o.parts();
        self
    }

    fn memory(mut self, m: &'a crate::cli::MemoryArgs) -> Self {
        self.memory_limit = Some(m.memory_limit.as_deref());
        self
    }
}

impl Command {
    /// The shared options this command was given.
    pub fn options(&self) -> Options<'_> {
        match self {
            Command::Summary(a) => Options {
                top: Some(a.top),
                follow: a.follow.follow,
                ..Options::input(&a.input).output(&a.output).memory(&a.memory)
            },
            Command::Anomalies(crate::cli::AnomaliesArgs { report: a, follow }) => Options {
                top: a.top,
                sensitive: &a.sensitive.sensitive,
                follow: follow.follow,
                ..Options::input(&a.input).output(&a.output).memory(&a.memory)
            },
            Command::Users(crate::cli::UsersArgs { report: a, .. }) => Options {
                top: a.top,
                sensitive: &a.sensitive.sensitive,
                ..Options::input(&a.input).output(&a.output).memory(&a.memory)
            },
            Command::Views(a) => Options {
                top: a.top,
                sensitive: &a.sensitive.sensitive,
                ..Options::input(&a.input).output(&a.output).memory(&a.memory)
            },
            Command::Group(a) => Options { top: a.top, ..Options::input(&a.input).output(&a.output).memory(&a.memory) },
            Command::Timeline(a) => {
                Options { follow: a.follow.follow, ..Options::input(&a.input).output(&a.output).memory(&a.memory) }
            }
            Command::Check(a) => Options {
                format: a.format,
                csv_raw: a.csv_raw,
                output: a.file.output.as_deref(),
                sensitive: &a.sensitive.sensitive,
                follow: a.follow.follow,
                ..Options::input(&a.input).memory(&a.memory)
            },
            Command::Report(a) => Options {
                format: a.format,
                output: a.file.output.as_deref(),
                top: Some(a.top),
                sensitive: &a.sensitive.sensitive,
                ..Options::input(&a.input).memory(&a.memory)
            },
            Command::Filter(a) => {
                Options { format: a.format, csv_raw: a.csv_raw, follow: a.follow, ..Options::input(&a.input) }
            }
            Command::Redact(a) => Options { format: a.format, ..Options::input(&a.input) },
            Command::Verify(a) => {
                Options { scan: Some(&a.scan), envelope: Some(a.envelope), ..Options::default().output(&a.output) }
            }
            Command::Seal(a) => Options::default().output(&a.output),
            Command::Keygen(a) => Options { format: a.format, ..Options::default() },
            Command::Export(a) => Options::input(&a.input),
            Command::Merge(a) => Options {
                format: a.format,
                output: a.file.output.as_deref(),
                top: a.top,
                ..Options::default().memory(&a.memory)
            },
            Command::Completions(_) => Options::default(),
        }
    }
}

impl Config {
    pub fn new(global: &GlobalArgs, o: &Options) -> Result<Config, String> {
        crate::render::set_csv_raw(o.csv_raw);
        let (select, parse, scan) = (SelectArgs::default(), ParseArgs::default(), ScanArgs::default());
        let g = o.select.unwrap_or(&select);
        let p = o.parse.unwrap_or(&parse);
        let envelope = o.envelope.unwrap_or(p.envelope);
        let sc = o.scan.unwrap_or(&scan);
        let quiet = global.quiet;
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
        let schema = p.schema.map(|s| match s {
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
        for spec in &p.map {
            map.add(spec)?;
        }
        let mode = match (schema, p.map.is_empty()) {
            (Some(s), true) => SchemaMode::Forced(s),
            (Some(s), false) => SchemaMode::Extended(s, map),
            (None, true) => SchemaMode::Auto,
            (None, false) => {
                let classed = [MapTarget::Outcome, MapTarget::Status].iter().any(|t| map.path(*t).is_some());
                if !classed && !quiet {
                    crate::render::say(format_args!(
                        "warning: --map maps neither outcome nor status: every event of a line that no \
                         built-in schema reads will be classed error (add --map outcome=PATH or --map status=PATH, \
                         or --schema NAME to extend a schema)"
                    ));
                }
                SchemaMode::Custom(map)
            }
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // more workers than this only cost memory and start-up time
        let most = (cores * 4).max(8);
        let threads = match sc.threads {
            Some(0) => return Err("--threads: expected a number of threads of at least 1".into()),
            Some(n) if n > most => {
                if !quiet {
                    crate::render::say(format_args!("warning: --threads {n} is more than 4 per core; using {most}"));
                }
                most
            }
            Some(n) => n,
            None => cores,
        };
        // the work after a scan (merging the workers' states, judging each
        // principal) runs on rayon's pool: as many threads as the scan
        // (only the first run of a process sets it; a test may make several)
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("fsaudit-after-{i}"))
            .build_global();
        let memory_limit = match o.memory_limit {
            Some(Some(s)) => Some(crate::memory::parse_size(s).map_err(|e| format!("--memory-limit: {e}"))?),
            Some(None) => Some(crate::memory::default_limit()),
            None => None,
        };
        if sc.max_line_bytes == 0 || sc.buffer_size == 0 {
            return Err("--max-line-bytes and --buffer-size must be at least 1".into());
        }
        let terminal = std::io::stdout().is_terminal();
        let color = match global.color {
            When::Always => true,
            When::Never => false,
            When::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal,
        };
        Ok(Config {
            parser: LineParser::new(mode).with_envelope(envelope, tz.unwrap_or(chrono_tz::Tz::UTC)),
            filter,
            scan: ScanOptions {
                threads,
                buffer_size: sc.buffer_size,
                max_line: sc.max_line_bytes,
                strict: p.strict,
                samples: MALFORMED_SHOWN,
                dedup: p.dedup,
                count_duplicates: false,
                keep_line_hashes: false,
                memory_limit,
                envelope,
                follow: o.follow,
                mmap: sc.mmap,
            },
            format: o.format.unwrap_or(Format::Table),
            format_given: o.format.is_some(),
            output: o.output.map(std::path::Path::to_path_buf),
            top: o.top,
            risk: RiskPolicy { sensitive: globs("sensitive", o.sensitive)? },
            sensitive_patterns: o.sensitive.to_vec(),
            user_detail: !g.user.is_empty(),
            view_detail: !g.view.is_empty(),
            style: Style { color, terminal },
            progress: sc.progress,
            quiet,
            last,
            tz: g.tz.clone(),
            filter_text: words.join(" "),
            save_state: None,
            merged: None,
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
        let alpha = a.alpha.or(f.alpha).unwrap_or(d.alpha);
        if !(alpha > 0.0 && alpha <= 1.0) {
            return Err(format!("--alpha: invalid {alpha} (expected a chance above 0 and at most 1, like 0.01)"));
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
            alpha,
            off_hours_min: a.off_hours_min.or(f.off_hours_min).unwrap_or(d.off_hours_min).max(1),
            shared_addresses: a.shared_addresses.or(f.shared_addresses).unwrap_or(d.shared_addresses).max(2),
            write_failures: a.write_failures.or(f.write_failures).unwrap_or(d.write_failures).max(1),
            daily_denials: a.daily_denials.or(f.daily_denials).unwrap_or(d.daily_denials).max(1),
            disabled: disable
                .iter()
                .map(|d| Detector::parse(d).map_err(|e| format!("--disable: {e}")))
                .collect::<Result<_, _>>()?,
            failures_only: false,
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
            // `-q` asks for a quiet stderr: no bar unless `--progress always`
            When::Auto => std::io::stderr().is_terminal() && !self.quiet,
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
