//! The command line (clap derive): options shared by every command, and one
//! struct per command. `config` turns these raw values into checked settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::pipe::redact::IpMode;
use crate::render::Format;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "fsaudit",
    version,
    about = "Fast analyzer for the audit logs of ML feature stores",
    long_about = "Fast analyzer for the audit logs of ML feature stores (Feast first, any JSONL audit log by \
                  --map). Reads plain, gzip and zstd JSON Lines from files, directories or stdin on every core.",
    after_help = "Exit codes: 0 success, 1 a negative answer, 2 an error.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Totals, outcome classes, success rate, latency, distinct counts, top lists
    Summary(SummaryArgs),
    /// One row per principal: activity, failures, resources, IPs, risk score and reasons
    /// (with --user: every resource the principal touched)
    Users(UsersArgs),
    /// One row per resource (feature view / service): who reads it, denials, latency
    /// (with --view: every principal that touched it)
    Views(ViewsArgs),
    /// Events per time bucket with outcome classes and p99
    Timeline(TimelineArgs),
    /// Findings of the detectors (brute force, denial bursts, probing, spikes, …), most severe first
    Anomalies(AnomaliesArgs),
    /// Evaluate rules (--rules FILE and/or --max/--min METRIC=VALUE); exit 1 if any fails;
    /// --format junit|github for CI systems
    Check(CheckArgs),
    /// Check per-entry integrity chains, and with --pubkey the seal manifests; exit 1 if broken
    Verify(VerifyArgs),
    /// Write a signed manifest FILE.seal.json beside each FILE (oldest first); the logs are only read
    Seal(SealArgs),
    /// Make the Ed25519 key pair that seal signs with (--out NAME), or a pseudonym key for redact (--redact FILE)
    Keygen(KeygenArgs),
    /// Print the input lines that pass the filters, byte for byte, in input order; exit 1 if none
    Filter(FilterArgs),
    /// Print the events without personal data: identities and addresses as keyed pseudonyms, secrets masked
    Redact(RedactArgs),
    /// One self-contained HTML report for auditors (--output FILE.html): executive summary,
    /// timeline chart, principals, findings; --rules and --verify/--pubkey add the verdicts
    Report(ReportArgs),
    /// GROUP BY over normalized keys: events, outcome classes, success rate, p50/p95/p99,
    /// distinct principals, first and last per group (like `group --by endpoint`)
    Group(GroupArgs),
    /// Write the normalized events for other engines: Parquet (DuckDB, Spark, Trino/Athena, BigQuery),
    /// OCSF or ECS JSON Lines (SIEMs), or the normalized table as JSON Lines
    Export(ExportArgs),
    /// Combine states saved with --save-state (many machines, many days) into the report, identical to
    /// one run over all their inputs
    Merge(MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
}

/// A `--format` parser that accepts only `allowed` (each command lists its own).
fn formats(allowed: &'static [&'static str]) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(allowed)
        .map(|s: String| <Format as ValueEnum>::from_str(&s, false).expect("every listed format is a Format"))
}

/// `--format`, `--csv-raw` and `--output` of a report printed as a table, JSON or CSV.
#[derive(Debug, Clone, Args)]
pub struct ReportOutput {
    /// Output format [default: table]
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["table", "json", "csv"]), help_heading = "Output")]
    pub format: Option<Format>,
    #[command(flatten)]
    pub rest: CsvAndFile,
}

/// `--format`, `--csv-raw` and `--output` of a report that also has a
/// Prometheus form (`summary`, `group`).
#[derive(Debug, Clone, Args)]
pub struct MetricsOutput {
    /// Output format: table (the default), json, csv, prometheus (the text format of node_exporter's
    /// textfile collector) or markdown (GitHub-flavoured, for a CI job's summary)
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["table", "json", "csv", "prometheus", "markdown"]),
          help_heading = "Output")]
    pub format: Option<Format>,
    #[command(flatten)]
    pub rest: CsvAndFile,
}

/// `--format`, `--csv-raw` and `--output` of a report that also has a
/// Markdown form (`users`, `anomalies`).
#[derive(Debug, Clone, Args)]
pub struct MarkdownOutput {
    /// Output format: table (the default), json, csv or markdown (GitHub-flavoured, for a CI job's summary)
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["table", "json", "csv", "markdown"]),
          help_heading = "Output")]
    pub format: Option<Format>,
    #[command(flatten)]
    pub rest: CsvAndFile,
}

/// `--csv-raw` and `--output`, which every report's output options share.
#[derive(Debug, Clone, Default, Args)]
pub struct CsvAndFile {
    /// CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading ')
    #[arg(long, help_heading = "Output")]
    pub csv_raw: bool,
    #[command(flatten)]
    pub file: OutputFile,
}

/// What every report's output options say, whichever formats it takes.
pub trait OutputOptions {
    fn parts(&self) -> (Option<Format>, bool, Option<&std::path::Path>);
}

impl OutputOptions for ReportOutput {
    fn parts(&self) -> (Option<Format>, bool, Option<&std::path::Path>) {
        (self.format, self.rest.csv_raw, self.rest.file.output.as_deref())
    }
}

impl OutputOptions for MetricsOutput {
    fn parts(&self) -> (Option<Format>, bool, Option<&std::path::Path>) {
        (self.format, self.rest.csv_raw, self.rest.file.output.as_deref())
    }
}

impl OutputOptions for MarkdownOutput {
    fn parts(&self) -> (Option<Format>, bool, Option<&std::path::Path>) {
        (self.format, self.rest.csv_raw, self.rest.file.output.as_deref())
    }
}

/// `--follow` and `--every` of the reports that watch a growing log.
#[derive(Debug, Clone, Default, Args)]
pub struct FollowArgs {
    /// Follow the input as it grows, like tail -F (one file, or stdin): a report every --every, and a
    /// last one when Ctrl-C stops the run; a file renamed away or truncated is reopened
    #[arg(long, short = 'f', help_heading = "Input")]
    pub follow: bool,
    /// With --follow: how often to report (a duration: 10s, 1m; default 10s)
    #[arg(long, value_name = "DURATION", requires = "follow", help_heading = "Input")]
    pub every: Option<String>,
}

/// `--output FILE`.
#[derive(Debug, Clone, Args, Default)]
pub struct OutputFile {
    /// Write the report to FILE instead of stdout, atomically: a temporary file in the same directory,
    /// renamed over FILE once complete (what node_exporter's textfile collector needs)
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
}

/// `--memory-limit` of a report that keeps per-key state.
#[derive(Debug, Clone, Args)]
pub struct MemoryArgs {
    /// Heap budget of the report's per-key state, like 512M or 2G (default: a quarter of
    /// physical memory); past it, the state spills to temporary files
    #[arg(long, value_name = "SIZE", help_heading = "Input")]
    pub memory_limit: Option<String>,
}

/// `--sensitive`, for the reports that weigh resources.
#[derive(Debug, Clone, Args)]
pub struct SensitiveArgs {
    /// Resources that matter most (repeatable; globs like 'credit_*'): denials on them raise risk scores
    #[arg(long, value_name = "GLOB", help_heading = "Analysis")]
    pub sensitive: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SummaryArgs {
    /// Length of the top lists
    #[arg(long, value_name = "N", default_value_t = 10, help_heading = "Output")]
    pub top: usize,
    #[command(flatten)]
    pub output: MetricsOutput,
    #[command(flatten)]
    pub memory: MemoryArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ViewsArgs {
    /// Only the N resources with the most events (default: every resource)
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub output: ReportOutput,
    #[command(flatten)]
    pub sensitive: SensitiveArgs,
    #[command(flatten)]
    pub memory: MemoryArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct GroupArgs {
    /// Keys to group by, separated by commas: principal, source_ip, event_type, endpoint,
    /// method, status, resource, resource_type, action, outcome, auth_type, transport, role,
    /// schema, hour, day, weekday (hour, day and weekday in --tz)
    #[arg(long, value_name = "KEY[,KEY…]", required = true)]
    pub by: String,

    /// Order of the rows: events (default), success, denied, unauthenticated, error,
    /// success_rate, p50, p95, p99, principals, first, last or a key; add :asc or :desc
    #[arg(long, value_name = "COLUMN")]
    pub sort: Option<String>,

    /// Only the first N groups in that order (default: every group)
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub output: MetricsOutput,
    #[command(flatten)]
    pub memory: MemoryArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct UsersArgs {
    /// Order of the rows: risk (default), events, success, denied, unauthenticated, error,
    /// failure_rate, resources, source_ips, p99, first, last or name; add :asc or :desc
    #[arg(long, value_name = "COLUMN")]
    pub sort: Option<String>,
    #[command(flatten)]
    pub report: DetectorReportArgs,
}

/// `users` and `anomalies`: a report with the detectors behind it.
#[derive(Debug, Clone, Args)]
pub struct AnomaliesArgs {
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub report: DetectorReportArgs,
}

#[derive(Debug, Clone, Args)]
pub struct DetectorReportArgs {
    /// Only the first N rows (users: in --sort order; anomalies: most severe first; default: all)
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub output: MarkdownOutput,
    #[command(flatten)]
    pub sensitive: SensitiveArgs,
    #[command(flatten)]
    pub detectors: DetectorArgs,
    #[command(flatten)]
    pub memory: MemoryArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Thresholds of the anomaly detectors (see the README for each one's
/// trade-offs). A flag wins over the `[settings]` of `--rules`, which wins
/// over the default.
#[derive(Debug, Clone, Args)]
pub struct DetectorArgs {
    /// Rules file whose [settings] set detector thresholds and sensitive globs (check: also its rules)
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Width of the sliding window of authn-failures, denied-burst and resource-enumeration [default: 10m]
    #[arg(long, value_name = "DURATION", help_heading = "Detectors")]
    pub window: Option<String>,

    /// authn-failures (critical): failed logins in a window, from one address or for one principal [default: 20]
    #[arg(long, value_name = "N", help_heading = "Detectors")]
    pub authn_failures: Option<u64>,

    /// denied-burst (high): denied requests of one principal in a window [default: 10]
    #[arg(long, value_name = "N", help_heading = "Detectors")]
    pub denied_burst: Option<u64>,

    /// Share of a principal's requests in the window that must be denied (denied-burst,
    /// resource-enumeration) [default: 0.5]
    #[arg(long, value_name = "RATIO", help_heading = "Detectors")]
    pub denied_share: Option<f64>,

    /// resource-enumeration (high): distinct resources one principal is denied on in a window [default: 3]
    #[arg(long, value_name = "N", help_heading = "Detectors")]
    pub enumeration: Option<usize>,

    /// volume-spike (medium): an hour with this multiple of the principal's median hourly volume… [default: 10]
    #[arg(long, value_name = "FACTOR", help_heading = "Detectors")]
    pub spike_factor: Option<f64>,

    /// …and at least this many events [default: 50]
    #[arg(long, value_name = "N", help_heading = "Detectors")]
    pub spike_min: Option<u64>,

    /// sensitive-access (medium): roles allowed to touch --sensitive resources (repeatable)
    #[arg(long, value_name = "ROLE", help_heading = "Detectors")]
    pub allow_role: Vec<String>,

    /// sensitive-access (low): business hours for --sensitive resources, Monday to Friday (like 08-19)
    #[arg(long, value_name = "HH-HH", help_heading = "Detectors")]
    pub business_hours: Option<String>,

    /// new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]
    #[arg(long, value_name = "DURATION", help_heading = "Detectors")]
    pub new_ip_min_span: Option<String>,

    /// off-hours (medium): events of one principal in an hour of the day it never uses [default: 20]
    #[arg(long, value_name = "N", help_heading = "Detectors")]
    pub off_hours_min: Option<u64>,

    /// credential-sharing (high): distinct source addresses of one principal in an hour [default: 5]
    #[arg(long, value_name = "N", help_heading = "Detectors")]
    pub shared_addresses: Option<u64>,

    /// write-failures (critical): failed writes (WRITE_* actions, /push, /materialize) of one principal in a
    /// window [default: 1]
    #[arg(long, value_name = "N", help_heading = "Detectors")]
    pub write_failures: Option<u64>,

    /// daily-denials (medium): denied requests of one principal in a day (in --tz) [default: 11]
    #[arg(long, value_name = "N", help_heading = "Detectors")]
    pub daily_denials: Option<u64>,

    /// The chance, corrected for every window a detector tries, below which a count is a finding;
    /// at 1e-6 and below the detector's own severity, above it one step lower [default: 0.01]
    #[arg(long, value_name = "P", help_heading = "Detectors")]
    pub alpha: Option<f64>,

    /// Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration,
    /// volume-spike, sensitive-access, new-source-ip, off-hours, credential-sharing, write-failures,
    /// daily-denials
    #[arg(long, value_name = "DETECTOR", help_heading = "Detectors")]
    pub disable: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// A rule from the command line: METRIC=VALUE must not be exceeded (repeatable; like p99_ms=100)
    #[arg(long, value_name = "METRIC=VALUE")]
    pub max: Vec<String>,
    /// A rule from the command line: METRIC=VALUE must be reached (repeatable; like success_rate=0.99)
    #[arg(long, value_name = "METRIC=VALUE")]
    pub min: Vec<String>,
    /// Public key for seal manifests: chain_breaks then covers them too (overrides [settings] pubkey)
    #[arg(long, value_name = "NAME.pub")]
    pub pubkey: Option<PathBuf>,
    /// Rules evaluated over zero events (status no_data) pass instead of failing
    #[arg(long)]
    pub allow_empty: bool,
    /// Print the metrics a rule can name, with their units, and exit. Metrics: events, success, denied,
    /// unauthenticated, error, malformed, success_rate, failure_rate, denied_rate, p50_ms, p95_ms, p99_ms,
    /// max_ms, principals, span_days, max_gap, findings, chain_breaks
    #[arg(long)]
    pub list_metrics: bool,
    /// Output format: table (the default), json, csv, junit (JUnit XML), github (workflow annotations),
    /// prometheus (the text format of node_exporter's textfile collector) or markdown (for a job summary)
    #[arg(long, value_name = "FORMAT",
          value_parser = formats(&["table", "json", "csv", "junit", "github", "prometheus", "markdown"]),
          help_heading = "Output")]
    pub format: Option<Format>,
    /// CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading ')
    #[arg(long, help_heading = "Output")]
    pub csv_raw: bool,
    #[command(flatten)]
    pub file: OutputFile,
    #[command(flatten)]
    pub sensitive: SensitiveArgs,
    #[command(flatten)]
    pub detectors: DetectorArgs,
    #[command(flatten)]
    pub memory: MemoryArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// Also check each FILE.seal.json with this public key, and the links between them
    #[arg(long, value_name = "NAME.pub")]
    pub pubkey: Option<PathBuf>,
    /// Entries without integrity fields count as breaks in every file (lines an intact seal covers excepted)
    #[arg(long)]
    pub require: bool,
    /// Lines appended after the newest seal count as breaks (for archived logs that must be sealed whole)
    #[arg(long)]
    pub require_sealed: bool,
    /// Exit 0 even when nothing vouches for a file (no integrity fields, no manifest)
    #[arg(long)]
    pub allow_unverified: bool,
    /// The first manifest must link to this one (DIGEST or manifest file): a series verified before, continued
    #[arg(long, value_name = "DIGEST")]
    pub after: Option<String>,
    /// The newest manifest must have this SHA-256 (as published elsewhere): detects a rollback
    #[arg(long, value_name = "DIGEST")]
    pub expect_latest: Option<String>,
    /// The manifest of a renamed or recompressed file: LOG=MANIFEST (repeatable)
    #[arg(long, value_name = "LOG=MANIFEST")]
    pub manifest: Vec<String>,
    /// What wraps each line: detected per line (auto), or forced; the chain is checked on the entry
    /// inside (a seal covers the lines as written)
    #[arg(long, value_enum, default_value_t = crate::schema::Envelope::Auto, help_heading = "Input")]
    pub envelope: crate::schema::Envelope,
    #[command(flatten)]
    pub output: ReportOutput,
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Log files or directories, oldest first (a rotated series is one chain)
    #[arg(value_name = "FILE", required = true)]
    pub inputs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct SealArgs {
    /// The private key from `fsaudit keygen`
    #[arg(long, value_name = "NAME.key")]
    pub key: PathBuf,
    /// Lines between checkpoints (damage is located to within this many lines) [default: 10000, or
    /// the interval of a file's manifest when it is sealed again]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub checkpoint_every: Option<u64>,
    /// Link the first file to this earlier manifest (to extend a series sealed before)
    #[arg(long, value_name = "MANIFEST")]
    pub after: Option<PathBuf>,
    #[command(flatten)]
    pub output: ReportOutput,
    /// Log files or directories, oldest first (a rotated series is put in logrotate's order)
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Print only how many lines match
    #[arg(long, short = 'c')]
    pub count: bool,
    /// Print the lines that do not match (malformed and blank lines included)
    #[arg(long, short = 'v', conflicts_with = "normalize")]
    pub invert: bool,
    /// Follow the input like tail -F: read it from its start, then print matching lines as they are
    /// written; a file renamed away or truncated is reopened, one not there yet is waited for; Ctrl-C stops
    #[arg(long, short = 'f', conflicts_with = "count")]
    pub follow: bool,
    /// Print one canonical JSON event per matching line, the same shape for every schema
    #[arg(long)]
    pub normalize: bool,
    /// Columns of --format table|csv, comma-separated (time, principal, source_ip, event_type, endpoint,
    /// resource, outcome, status, latency_ms, roles, actions, method, request_id, resource_type,
    /// auth_type, transport, raw_outcome, schema)
    #[arg(long, value_name = "FIELD,…", value_delimiter = ',')]
    pub fields: Vec<String>,
    /// Print events as table rows, CSV rows or normalized JSON instead of the log's own lines
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["table", "json", "csv"]), help_heading = "Output")]
    pub format: Option<Format>,
    /// CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading ')
    #[arg(long, help_heading = "Output")]
    pub csv_raw: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct RedactArgs {
    /// File holding the pseudonym key, at least 16 bytes (`fsaudit keygen --redact FILE` makes one);
    /// FSAUDIT_REDACT_KEY may hold the key itself
    #[arg(long, value_name = "FILE", env = "FSAUDIT_REDACT_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// How addresses are pseudonymised: prefix (keyed, subnets kept) or network (cut to /24 and /48)
    #[arg(long, value_enum, value_name = "MODE", default_value_t = IpMode::Prefix)]
    pub ip_mode: IpMode,
    /// Replace the value at this dotted path by a keyed pseudonym too (repeatable), e.g. userAgent
    #[arg(long, value_name = "PATH")]
    pub redact_field: Vec<String>,
    /// Turn one free-text detector off (repeatable; --list-detectors names them)
    #[arg(long, value_name = "NAME")]
    pub disable_detector: Vec<String>,
    /// Print the free-text detectors and what each finds, and exit
    #[arg(long)]
    pub list_detectors: bool,
    /// Format of --list-detectors: table (the default), json or csv (redact itself writes events)
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["table", "json", "csv"]), requires = "list_detectors",
          help_heading = "Output")]
    pub format: Option<Format>,
    /// Keep malformed lines (scrubbed like any free text) instead of dropping them
    #[arg(long)]
    pub keep_malformed: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["out", "redact"])))]
pub struct KeygenArgs {
    /// Write NAME.key and NAME.pub (a signing key pair for `seal` and `verify`)
    #[arg(long, value_name = "NAME")]
    pub out: Option<PathBuf>,
    /// Write a random 32-byte pseudonym key for `redact` to FILE (mode 0600)
    #[arg(long, value_name = "FILE")]
    pub redact: Option<PathBuf>,
    /// Replace an existing key
    #[arg(long)]
    pub force: bool,
    /// Output format: table (a sentence per file written, the default) or json
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["table", "json"]), help_heading = "Output")]
    pub format: Option<Format>,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The report's title (default: "Feature store audit report")
    #[arg(long, value_name = "TEXT", help_heading = "Output")]
    pub title: Option<String>,
    /// Check the inputs' integrity (per-entry chains; with --pubkey, seal manifests too) and show the verdict
    #[arg(long)]
    pub verify: bool,
    /// Public key for seal manifests (implies --verify; overrides [settings] pubkey)
    #[arg(long, value_name = "NAME.pub")]
    pub pubkey: Option<PathBuf>,
    /// Time bucket of the timeline chart: 1m, 5m, 15m, 1h, 1d or any duration (default: from the span)
    #[arg(long, value_name = "SIZE")]
    pub bucket: Option<String>,
    /// Rows in each ranked table (principals, endpoints, resources, findings)
    #[arg(long, value_name = "N", default_value_t = 10, help_heading = "Output")]
    pub top: usize,
    /// Output format: html (the default: one self-contained page), markdown (for a job summary) or json
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["html", "markdown", "json"]), help_heading = "Output")]
    pub format: Option<Format>,
    #[command(flatten)]
    pub file: OutputFile,
    #[command(flatten)]
    pub sensitive: SensitiveArgs,
    #[command(flatten)]
    pub detectors: DetectorArgs,
    #[command(flatten)]
    pub memory: MemoryArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct TimelineArgs {
    /// Bucket size: 1m, 5m, 15m, 1h, 1d or any duration (default: from the time span, at most ~200 buckets)
    #[arg(long, value_name = "SIZE")]
    pub bucket: Option<String>,
    #[command(flatten)]
    pub output: ReportOutput,
    #[command(flatten)]
    pub memory: MemoryArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTo {
    /// The normalized event table, zstd-compressed Parquet
    Parquet,
    /// OCSF 1.6 JSON Lines: API Activity (6003), Authentication (3002) for logins
    Ocsf,
    /// Elastic Common Schema NDJSON
    Ecs,
    /// The normalized event table as JSON Lines (the Parquet columns)
    Jsonl,
}

/// How `export` splits its output into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartitionBy {
    /// One file per UTC day: DIR/day=YYYY-MM-DD/part-0.EXT (Hive's layout)
    Day,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// What to write
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: ExportTo,
    /// Where: a file, or with --partition-by a directory (parquet needs one; the JSON forms print to stdout
    /// without it). Files are renamed into place once complete
    #[arg(short = 'o', long = "output", value_name = "PATH", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Split the output into one file per day, in Hive's layout (engines prune by date)
    #[arg(long, value_enum, value_name = "KEY", help_heading = "Output")]
    pub partition_by: Option<PartitionBy>,
    /// Rows per Parquet row group (the unit a scanner reads in parallel)
    #[arg(long, value_name = "N", default_value_t = crate::export::ROW_GROUP_ROWS, help_heading = "Output")]
    pub row_group_rows: usize,
    /// Replace files that exist
    #[arg(long, help_heading = "Output")]
    pub force: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// Output format [default: the saved run's]
    #[arg(long, value_name = "FORMAT",
          value_parser = formats(&["table", "json", "csv", "junit", "github", "prometheus", "markdown"]),
          help_heading = "Output")]
    pub format: Option<Format>,
    /// Length of the top lists or rows [default: the saved run's]
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub file: OutputFile,
    /// Save the merged state too (a tree of merges: machines, then days)
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub save_state: Option<PathBuf>,
    #[command(flatten)]
    pub memory: MemoryArgs,
    /// State files written by --save-state, in the order of their inputs
    #[arg(value_name = "STATE", required = true)]
    pub states: Vec<PathBuf>,
}

/// `--save-state` of a report.
#[derive(Debug, Clone, Args)]
pub struct StateArgs {
    /// Also write the report's state to FILE (versioned, with the inputs and settings it covers), for
    /// `fsaudit merge` to combine with others exactly
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub save_state: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Inputs of a command that reads events: the filters, how lines are read,
/// and the paths.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub parse: ParseArgs,
    #[command(flatten)]
    pub scan: ScanArgs,
    /// JSONL files (plain, gzip or zstd) or directories; none or `-` reads stdin
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
}

/// Options of every command.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Colour in tables (auto: only on a terminal, never with NO_COLOR)
    #[arg(long, global = true, value_enum, default_value_t = When::Auto, help_heading = "Output")]
    pub color: When,

    /// No warnings or notes on stderr
    #[arg(short, long, global = true, help_heading = "Output")]
    pub quiet: bool,
}

/// The filters (applied before any analysis).
#[derive(Debug, Clone, Default, Args)]
pub struct SelectArgs {
    /// Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h,
    /// -24h, 7d)
    #[arg(long, value_name = "T", help_heading = "Filters", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// Only events before T (same forms as --since)
    #[arg(long, value_name = "T", help_heading = "Filters", allow_hyphen_values = true)]
    pub until: Option<String>,

    /// Only the last DURATION of the input's own time range (like 24h; reads the input twice)
    #[arg(long, value_name = "DURATION", help_heading = "Filters")]
    pub last: Option<String>,

    /// Time zone of times written without an offset, dates, hours, days and business hours (IANA name)
    /// [default: UTC]
    #[arg(long, value_name = "ZONE", help_heading = "Filters")]
    pub tz: Option<String>,

    /// Only events of principal P (repeatable; `*` globs)
    #[arg(long, value_name = "P", help_heading = "Filters")]
    pub user: Vec<String>,

    /// Only events naming a resource that matches V (repeatable; globs)
    #[arg(long, value_name = "V", help_heading = "Filters")]
    pub view: Vec<String>,

    /// Only events of type E (repeatable; globs)
    #[arg(long, value_name = "E", help_heading = "Filters")]
    pub event_type: Vec<String>,

    /// Only events of outcome class C: success, denied, unauthenticated, error (repeatable)
    #[arg(long, value_name = "C", help_heading = "Filters")]
    pub outcome: Vec<String>,

    /// Only events from source address A (an address or a CIDR block; repeatable)
    #[arg(long, value_name = "A", help_heading = "Filters")]
    pub ip: Vec<String>,
}

/// How each line is read as an event.
#[derive(Debug, Clone, Default, Args)]
pub struct ParseArgs {
    /// Read every line as this schema instead of detecting it per line (with --map, the mapped
    /// fields override the schema's own)
    #[arg(long, value_enum, help_heading = "Input")]
    pub schema: Option<SchemaArg>,

    /// Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint,
    /// latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides
    /// only the mapped fields of lines a schema reads; other lines are read by the map alone
    #[arg(long, value_name = "FIELD=PATH", help_heading = "Input")]
    pub map: Vec<String>,

    /// What wraps each event line: detected per line (auto), or forced
    #[arg(long, value_enum, default_value_t = crate::schema::Envelope::Auto, help_heading = "Input")]
    pub envelope: crate::schema::Envelope,

    /// Exit 2 at the first malformed line
    #[arg(long, help_heading = "Input")]
    pub strict: bool,

    /// Analyse each distinct line once (a log shipped twice counts once)
    #[arg(long, help_heading = "Input")]
    pub dedup: bool,
}

/// The longest line kept by default.
pub const MAX_LINE_BYTES: usize = 16 << 20;
/// The size of the read buffers by default.
pub const BUFFER_SIZE: usize = 2 << 20;

/// How the input is read: threads, buffers, progress.
#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Longest line read; longer lines are malformed
    #[arg(long, value_name = "BYTES", default_value_t = MAX_LINE_BYTES, help_heading = "Input")]
    pub max_line_bytes: usize,

    /// Worker threads (default: all cores)
    #[arg(long, value_name = "N", help_heading = "Input")]
    pub threads: Option<usize>,

    /// Size of the read buffers (chunks handed to workers)
    #[arg(long, value_name = "BYTES", default_value_t = BUFFER_SIZE, hide = true)]
    pub buffer_size: usize,

    /// Map plain files into memory instead of reading them (a little
    /// faster); a file truncated while it is read ends the run with exit 2
    #[arg(long, help_heading = "Input")]
    pub mmap: bool,

    /// Progress bar on stderr (auto: only when stderr is a terminal)
    #[arg(long, value_enum, default_value_t = When::Auto, help_heading = "Output")]
    pub progress: When,
}

impl Default for ScanArgs {
    fn default() -> Self {
        ScanArgs {
            max_line_bytes: MAX_LINE_BYTES,
            threads: None,
            buffer_size: BUFFER_SIZE,
            mmap: false,
            progress: When::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum When {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaArg {
    Feast,
    FeastSox,
    Flat,
    Soc2,
    Cloudtrail,
    GcpAudit,
    Databricks,
    Tecton,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
