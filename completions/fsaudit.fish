# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_fsaudit_global_optspecs
    string join \n color= q/quiet h/help V/version
end

function __fish_fsaudit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_fsaudit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_fsaudit_using_subcommand
    set -l cmd (__fish_fsaudit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c fsaudit -n "__fish_fsaudit_needs_command" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_needs_command" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "summary" -d 'Totals, outcome classes, success rate, latency, distinct counts, top lists'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "users" -d 'One row per principal: activity, failures, resources, IPs, risk score and reasons (with --user: every resource the principal touched)'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "views" -d 'One row per resource (feature view / service): who reads it, denials, latency (with --view: every principal that touched it)'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "timeline" -d 'Events per time bucket with outcome classes and p99'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "anomalies" -d 'Findings of the detectors (brute force, denial bursts, probing, spikes, …), most severe first'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "check" -d 'Evaluate rules (--rules FILE and/or --max/--min METRIC=VALUE); exit 1 if any fails; --format junit|github for CI systems'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "verify" -d 'Check per-entry integrity chains, and with --pubkey the seal manifests; exit 1 if broken'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "seal" -d 'Write a signed manifest FILE.seal.json beside each FILE (oldest first); the logs are only read'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "keygen" -d 'Make the Ed25519 key pair that seal signs with (--out NAME), or a pseudonym key for redact (--redact FILE)'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "filter" -d 'Print the input lines that pass the filters, byte for byte, in input order; exit 1 if none'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "redact" -d 'Print the events without personal data: identities and addresses as keyed pseudonyms, secrets masked'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "report" -d 'One self-contained HTML report for auditors (--output FILE.html): executive summary, timeline chart, principals, findings; --rules and --verify/--pubkey add the verdicts'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "group" -d 'GROUP BY over normalized keys: events, outcome classes, success rate, p50/p95/p99, distinct principals, first and last per group (like `group --by endpoint`)'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "export" -d 'Write the normalized events for other engines: Parquet (DuckDB, Spark, Trino/Athena, BigQuery), OCSF or ECS JSON Lines (SIEMs), or the normalized table as JSON Lines'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "merge" -d 'Combine states saved with --save-state (many machines, many days) into the report, identical to one run over all their inputs'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c fsaudit -n "__fish_fsaudit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l top -d 'Length of the top lists' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l format -d 'Output format: table (the default), json, csv, prometheus (the text format of node_exporter\'s textfile collector) or markdown (GitHub-flavoured, for a CI job\'s summary)' -r -f -a "table\t''
json\t''
csv\t''
prometheus\t''
markdown\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l save-state -d 'Also write the report\'s state to FILE (versioned, with the inputs and settings it covers), for `fsaudit merge` to combine with others exactly' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l every -d 'With --follow: how often to report (a duration: 10s, 1m; default 10s)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -s f -l follow -d 'Follow the input as it grows, like tail -F (one file, or stdin): a report every --every, and a last one when Ctrl-C stops the run; a file renamed away or truncated is reopened'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand summary" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l sort -d 'Order of the rows: risk (default), events, success, denied, unauthenticated, error, failure_rate, resources, source_ips, p99, first, last or name; add :asc or :desc' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l top -d 'Only the first N rows (users: in --sort order; anomalies: most severe first; default: all)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l format -d 'Output format: table (the default), json, csv or markdown (GitHub-flavoured, for a CI job\'s summary)' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l sensitive -d 'Resources that matter most (repeatable; globs like \'credit_*\'): denials on them raise risk scores' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l rules -d 'Rules file whose [settings] set detector thresholds and sensitive globs (check: also its rules)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l window -d 'Width of the sliding window of authn-failures, denied-burst and resource-enumeration [default: 10m]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l authn-failures -d 'authn-failures (critical): failed logins in a window, from one address or for one principal [default: 20]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l denied-burst -d 'denied-burst (high): denied requests of one principal in a window [default: 10]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l denied-share -d 'Share of a principal\'s requests in the window that must be denied (denied-burst, resource-enumeration) [default: 0.5]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l enumeration -d 'resource-enumeration (high): distinct resources one principal is denied on in a window [default: 3]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l spike-factor -d 'volume-spike (medium): an hour with this multiple of the principal\'s median hourly volume… [default: 10]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l spike-min -d '…and at least this many events [default: 50]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l allow-role -d 'sensitive-access (medium): roles allowed to touch --sensitive resources (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l business-hours -d 'sensitive-access (low): business hours for --sensitive resources, Monday to Friday (like 08-19)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l new-ip-min-span -d 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l off-hours-min -d 'off-hours (medium): events of one principal in an hour of the day it never uses [default: 20]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l shared-addresses -d 'credential-sharing (high): distinct source addresses of one principal in an hour [default: 5]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l write-failures -d 'write-failures (critical): failed writes (WRITE_* actions, /push, /materialize) of one principal in a window [default: 1]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l daily-denials -d 'daily-denials (medium): denied requests of one principal in a day (in --tz) [default: 11]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l alpha -d 'The chance, corrected for every window a detector tries, below which a count is a finding; at 1e-6 and below the detector\'s own severity, above it one step lower [default: 0.01]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l disable -d 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip, off-hours, credential-sharing, write-failures, daily-denials' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l save-state -d 'Also write the report\'s state to FILE (versioned, with the inputs and settings it covers), for `fsaudit merge` to combine with others exactly' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand users" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l top -d 'Only the N resources with the most events (default: every resource)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l format -d 'Output format [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l sensitive -d 'Resources that matter most (repeatable; globs like \'credit_*\'): denials on them raise risk scores' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l save-state -d 'Also write the report\'s state to FILE (versioned, with the inputs and settings it covers), for `fsaudit merge` to combine with others exactly' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand views" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l bucket -d 'Bucket size: 1m, 5m, 15m, 1h, 1d or any duration (default: from the time span, at most ~200 buckets)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l format -d 'Output format [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l save-state -d 'Also write the report\'s state to FILE (versioned, with the inputs and settings it covers), for `fsaudit merge` to combine with others exactly' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l every -d 'With --follow: how often to report (a duration: 10s, 1m; default 10s)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -s f -l follow -d 'Follow the input as it grows, like tail -F (one file, or stdin): a report every --every, and a last one when Ctrl-C stops the run; a file renamed away or truncated is reopened'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand timeline" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l every -d 'With --follow: how often to report (a duration: 10s, 1m; default 10s)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l top -d 'Only the first N rows (users: in --sort order; anomalies: most severe first; default: all)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l format -d 'Output format: table (the default), json, csv or markdown (GitHub-flavoured, for a CI job\'s summary)' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l sensitive -d 'Resources that matter most (repeatable; globs like \'credit_*\'): denials on them raise risk scores' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l rules -d 'Rules file whose [settings] set detector thresholds and sensitive globs (check: also its rules)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l window -d 'Width of the sliding window of authn-failures, denied-burst and resource-enumeration [default: 10m]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l authn-failures -d 'authn-failures (critical): failed logins in a window, from one address or for one principal [default: 20]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l denied-burst -d 'denied-burst (high): denied requests of one principal in a window [default: 10]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l denied-share -d 'Share of a principal\'s requests in the window that must be denied (denied-burst, resource-enumeration) [default: 0.5]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l enumeration -d 'resource-enumeration (high): distinct resources one principal is denied on in a window [default: 3]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l spike-factor -d 'volume-spike (medium): an hour with this multiple of the principal\'s median hourly volume… [default: 10]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l spike-min -d '…and at least this many events [default: 50]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l allow-role -d 'sensitive-access (medium): roles allowed to touch --sensitive resources (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l business-hours -d 'sensitive-access (low): business hours for --sensitive resources, Monday to Friday (like 08-19)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l new-ip-min-span -d 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l off-hours-min -d 'off-hours (medium): events of one principal in an hour of the day it never uses [default: 20]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l shared-addresses -d 'credential-sharing (high): distinct source addresses of one principal in an hour [default: 5]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l write-failures -d 'write-failures (critical): failed writes (WRITE_* actions, /push, /materialize) of one principal in a window [default: 1]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l daily-denials -d 'daily-denials (medium): denied requests of one principal in a day (in --tz) [default: 11]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l alpha -d 'The chance, corrected for every window a detector tries, below which a count is a finding; at 1e-6 and below the detector\'s own severity, above it one step lower [default: 0.01]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l disable -d 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip, off-hours, credential-sharing, write-failures, daily-denials' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l save-state -d 'Also write the report\'s state to FILE (versioned, with the inputs and settings it covers), for `fsaudit merge` to combine with others exactly' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -s f -l follow -d 'Follow the input as it grows, like tail -F (one file, or stdin): a report every --every, and a last one when Ctrl-C stops the run; a file renamed away or truncated is reopened'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand anomalies" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l max -d 'A rule from the command line: METRIC=VALUE must not be exceeded (repeatable; like p99_ms=100)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l min -d 'A rule from the command line: METRIC=VALUE must be reached (repeatable; like success_rate=0.99)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l pubkey -d 'Public key for seal manifests: chain_breaks then covers them too (overrides [settings] pubkey)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l format -d 'Output format: table (the default), json, csv, junit (JUnit XML), github (workflow annotations), prometheus (the text format of node_exporter\'s textfile collector) or markdown (for a job summary)' -r -f -a "table\t''
json\t''
csv\t''
junit\t''
github\t''
prometheus\t''
markdown\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l sensitive -d 'Resources that matter most (repeatable; globs like \'credit_*\'): denials on them raise risk scores' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l rules -d 'Rules file whose [settings] set detector thresholds and sensitive globs (check: also its rules)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l window -d 'Width of the sliding window of authn-failures, denied-burst and resource-enumeration [default: 10m]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l authn-failures -d 'authn-failures (critical): failed logins in a window, from one address or for one principal [default: 20]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l denied-burst -d 'denied-burst (high): denied requests of one principal in a window [default: 10]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l denied-share -d 'Share of a principal\'s requests in the window that must be denied (denied-burst, resource-enumeration) [default: 0.5]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l enumeration -d 'resource-enumeration (high): distinct resources one principal is denied on in a window [default: 3]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l spike-factor -d 'volume-spike (medium): an hour with this multiple of the principal\'s median hourly volume… [default: 10]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l spike-min -d '…and at least this many events [default: 50]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l allow-role -d 'sensitive-access (medium): roles allowed to touch --sensitive resources (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l business-hours -d 'sensitive-access (low): business hours for --sensitive resources, Monday to Friday (like 08-19)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l new-ip-min-span -d 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l off-hours-min -d 'off-hours (medium): events of one principal in an hour of the day it never uses [default: 20]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l shared-addresses -d 'credential-sharing (high): distinct source addresses of one principal in an hour [default: 5]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l write-failures -d 'write-failures (critical): failed writes (WRITE_* actions, /push, /materialize) of one principal in a window [default: 1]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l daily-denials -d 'daily-denials (medium): denied requests of one principal in a day (in --tz) [default: 11]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l alpha -d 'The chance, corrected for every window a detector tries, below which a count is a finding; at 1e-6 and below the detector\'s own severity, above it one step lower [default: 0.01]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l disable -d 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip, off-hours, credential-sharing, write-failures, daily-denials' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l save-state -d 'Also write the report\'s state to FILE (versioned, with the inputs and settings it covers), for `fsaudit merge` to combine with others exactly' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l every -d 'With --follow: how often to report (a duration: 10s, 1m; default 10s)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l allow-empty -d 'Rules evaluated over zero events (status no_data) pass instead of failing'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l list-metrics -d 'Print the metrics a rule can name, with their units, and exit. Metrics: events, success, denied, unauthenticated, error, malformed, success_rate, failure_rate, denied_rate, p50_ms, p95_ms, p99_ms, max_ms, principals, span_days, max_gap, findings, chain_breaks'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -s f -l follow -d 'Follow the input as it grows, like tail -F (one file, or stdin): a report every --every, and a last one when Ctrl-C stops the run; a file renamed away or truncated is reopened'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand check" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l pubkey -d 'Also check each FILE.seal.json with this public key, and the links between them' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l after -d 'The first manifest must link to this one (DIGEST or manifest file): a series verified before, continued' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l expect-latest -d 'The newest manifest must have this SHA-256 (as published elsewhere): detects a rollback' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l manifest -d 'The manifest of a renamed or recompressed file: LOG=MANIFEST (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l envelope -d 'What wraps each line: detected per line (auto), or forced; the chain is checked on the entry inside (a seal covers the lines as written)' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l format -d 'Output format [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l require -d 'Entries without integrity fields count as breaks in every file (lines an intact seal covers excepted)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l require-sealed -d 'Lines appended after the newest seal count as breaks (for archived logs that must be sealed whole)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l allow-unverified -d 'Exit 0 even when nothing vouches for a file (no integrity fields, no manifest)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand verify" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -l key -d 'The private key from `fsaudit keygen`' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -l checkpoint-every -d 'Lines between checkpoints (damage is located to within this many lines) [default: 10000, or the interval of a file\'s manifest when it is sealed again]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -l after -d 'Link the first file to this earlier manifest (to extend a series sealed before)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -l format -d 'Output format [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -s h -l help -d 'Print help'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand seal" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand keygen" -l out -d 'Write NAME.key and NAME.pub (a signing key pair for `seal` and `verify`)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand keygen" -l redact -d 'Write a random 32-byte pseudonym key for `redact` to FILE (mode 0600)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand keygen" -l format -d 'Output format: table (a sentence per file written, the default) or json' -r -f -a "table\t''
json\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand keygen" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand keygen" -l force -d 'Replace an existing key'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand keygen" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand keygen" -s h -l help -d 'Print help'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand keygen" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l fields -d 'Columns of --format table|csv, comma-separated (time, principal, source_ip, event_type, endpoint, resource, outcome, status, latency_ms, roles, actions, method, request_id, resource_type, auth_type, transport, raw_outcome, schema)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l format -d 'Print events as table rows, CSV rows or normalized JSON instead of the log\'s own lines' -r -f -a "table\t''
json\t''
csv\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -s c -l count -d 'Print only how many lines match'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -s v -l invert -d 'Print the lines that do not match (malformed and blank lines included)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -s f -l follow -d 'Follow the input like tail -F: read it from its start, then print matching lines as they are written; a file renamed away or truncated is reopened, one not there yet is waited for; Ctrl-C stops'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l normalize -d 'Print one canonical JSON event per matching line, the same shape for every schema'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand filter" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l key-file -d 'File holding the pseudonym key, at least 16 bytes (`fsaudit keygen --redact FILE` makes one); FSAUDIT_REDACT_KEY may hold the key itself' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l ip-mode -d 'How addresses are pseudonymised: prefix (keyed, subnets kept) or network (cut to /24 and /48)' -r -f -a "prefix\t'Keyed and prefix-preserving (Crypto-PAn): subnets and distinct addresses survive, the addresses do not'
network\t'Cut to the network: IPv4 /24, IPv6 /48 (distinct hosts merge)'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l redact-field -d 'Replace the value at this dotted path by a keyed pseudonym too (repeatable), e.g. userAgent' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l disable-detector -d 'Turn one free-text detector off (repeatable; --list-detectors names them)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l format -d 'Format of --list-detectors: table (the default), json or csv (redact itself writes events)' -r -f -a "table\t''
json\t''
csv\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l list-detectors -d 'Print the free-text detectors and what each finds, and exit'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l keep-malformed -d 'Keep malformed lines (scrubbed like any free text) instead of dropping them'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand redact" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l title -d 'The report\'s title (default: "Feature store audit report")' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l pubkey -d 'Public key for seal manifests (implies --verify; overrides [settings] pubkey)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l bucket -d 'Time bucket of the timeline chart: 1m, 5m, 15m, 1h, 1d or any duration (default: from the span)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l top -d 'Rows in each ranked table (principals, endpoints, resources, findings)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l format -d 'Output format: html (the default: one self-contained page), markdown (for a job summary) or json' -r -f -a "html\t''
markdown\t''
json\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l sensitive -d 'Resources that matter most (repeatable; globs like \'credit_*\'): denials on them raise risk scores' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l rules -d 'Rules file whose [settings] set detector thresholds and sensitive globs (check: also its rules)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l window -d 'Width of the sliding window of authn-failures, denied-burst and resource-enumeration [default: 10m]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l authn-failures -d 'authn-failures (critical): failed logins in a window, from one address or for one principal [default: 20]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l denied-burst -d 'denied-burst (high): denied requests of one principal in a window [default: 10]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l denied-share -d 'Share of a principal\'s requests in the window that must be denied (denied-burst, resource-enumeration) [default: 0.5]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l enumeration -d 'resource-enumeration (high): distinct resources one principal is denied on in a window [default: 3]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l spike-factor -d 'volume-spike (medium): an hour with this multiple of the principal\'s median hourly volume… [default: 10]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l spike-min -d '…and at least this many events [default: 50]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l allow-role -d 'sensitive-access (medium): roles allowed to touch --sensitive resources (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l business-hours -d 'sensitive-access (low): business hours for --sensitive resources, Monday to Friday (like 08-19)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l new-ip-min-span -d 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l off-hours-min -d 'off-hours (medium): events of one principal in an hour of the day it never uses [default: 20]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l shared-addresses -d 'credential-sharing (high): distinct source addresses of one principal in an hour [default: 5]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l write-failures -d 'write-failures (critical): failed writes (WRITE_* actions, /push, /materialize) of one principal in a window [default: 1]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l daily-denials -d 'daily-denials (medium): denied requests of one principal in a day (in --tz) [default: 11]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l alpha -d 'The chance, corrected for every window a detector tries, below which a count is a finding; at 1e-6 and below the detector\'s own severity, above it one step lower [default: 0.01]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l disable -d 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip, off-hours, credential-sharing, write-failures, daily-denials' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l verify -d 'Check the inputs\' integrity (per-entry chains; with --pubkey, seal manifests too) and show the verdict'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand report" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l by -d 'Keys to group by, separated by commas: principal, source_ip, event_type, endpoint, method, status, resource, resource_type, action, outcome, auth_type, transport, role, schema, hour, day, weekday (hour, day and weekday in --tz)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l sort -d 'Order of the rows: events (default), success, denied, unauthenticated, error, success_rate, p50, p95, p99, principals, first, last or a key; add :asc or :desc' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l top -d 'Only the first N groups in that order (default: every group)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l format -d 'Output format: table (the default), json, csv, prometheus (the text format of node_exporter\'s textfile collector) or markdown (GitHub-flavoured, for a CI job\'s summary)' -r -f -a "table\t''
json\t''
csv\t''
prometheus\t''
markdown\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l save-state -d 'Also write the report\'s state to FILE (versioned, with the inputs and settings it covers), for `fsaudit merge` to combine with others exactly' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l csv-raw -d 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading \')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand group" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l to -d 'What to write' -r -f -a "parquet\t'The normalized event table, zstd-compressed Parquet'
ocsf\t'OCSF 1.6 JSON Lines: API Activity (6003), Authentication (3002) for logins'
ecs\t'Elastic Common Schema NDJSON'
jsonl\t'The normalized event table as JSON Lines (the Parquet columns)'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -s o -l output -d 'Where: a file, or with --partition-by a directory (parquet needs one; the JSON forms print to stdout without it). Files are renamed into place once complete' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l partition-by -d 'Split the output into one file per day, in Hive\'s layout (engines prune by date)' -r -f -a "day\t'One file per UTC day: DIR/day=YYYY-MM-DD/part-0.EXT (Hive\'s layout)'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l row-group-rows -d 'Rows per Parquet row group (the unit a scanner reads in parallel)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l since -d 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l until -d 'Only events before T (same forms as --since)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l last -d 'Only the last DURATION of the input\'s own time range (like 24h; reads the input twice)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l tz -d 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l user -d 'Only events of principal P (repeatable; `*` globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l view -d 'Only events naming a resource that matches V (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l event-type -d 'Only events of type E (repeatable; globs)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l outcome -d 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l ip -d 'Only events from source address A (an address or a CIDR block; repeatable)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l schema -d 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema\'s own)' -r -f -a "feast\t''
feast-sox\t''
flat\t''
soc2\t''
cloudtrail\t''
gcp-audit\t''
databricks\t''
tecton\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l map -d 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id, trace_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l envelope -d 'What wraps each event line: detected per line (auto), or forced' -r -f -a "auto\t'Detect each line\'s envelope, if any'
none\t'Lines are bare JSON'
python-logging\t'Python logging: `2026-08-21 10:00:00,123 feast.audit INFO: {…}`'
cri\t'Kubernetes CRI container logs: `<time> stdout F {…}`'
docker\t'Docker\'s json-file driver: `{"log":"{…}\\n","stream":"stdout","time":…}`'
syslog\t'Syslog, RFC 5424 or RFC 3164'"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l max-line-bytes -d 'Longest line read; longer lines are malformed' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l threads -d 'Worker threads (default: all cores)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l buffer-size -d 'Size of the read buffers (chunks handed to workers)' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l progress -d 'Progress bar on stderr (auto: only when stderr is a terminal)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l force -d 'Replace files that exist'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l strict -d 'Exit 2 at the first malformed line'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l dedup -d 'Analyse each distinct line once (a log shipped twice counts once)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -l mmap -d 'Map plain files into memory instead of reading them (a little faster); a file truncated while it is read ends the run with exit 2'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand export" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -l format -d 'Output format [default: the saved run\'s]' -r -f -a "table\t''
json\t''
csv\t''
junit\t''
github\t''
prometheus\t''
markdown\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -l top -d 'Length of the top lists or rows [default: the saved run\'s]' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -l output -d 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter\'s textfile collector needs)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -l save-state -d 'Save the merged state too (a tree of merges: machines, then days)' -r -F
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -l memory-limit -d 'Heap budget of the report\'s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files' -r
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -s h -l help -d 'Print help'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand merge" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand completions" -l color -d 'Colour in tables (auto: only on a terminal, never with NO_COLOR)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fsaudit -n "__fish_fsaudit_using_subcommand completions" -s q -l quiet -d 'No warnings or notes on stderr'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand completions" -s V -l version -d 'Print version'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "summary" -d 'Totals, outcome classes, success rate, latency, distinct counts, top lists'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "users" -d 'One row per principal: activity, failures, resources, IPs, risk score and reasons (with --user: every resource the principal touched)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "views" -d 'One row per resource (feature view / service): who reads it, denials, latency (with --view: every principal that touched it)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "timeline" -d 'Events per time bucket with outcome classes and p99'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "anomalies" -d 'Findings of the detectors (brute force, denial bursts, probing, spikes, …), most severe first'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "check" -d 'Evaluate rules (--rules FILE and/or --max/--min METRIC=VALUE); exit 1 if any fails; --format junit|github for CI systems'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "verify" -d 'Check per-entry integrity chains, and with --pubkey the seal manifests; exit 1 if broken'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "seal" -d 'Write a signed manifest FILE.seal.json beside each FILE (oldest first); the logs are only read'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "keygen" -d 'Make the Ed25519 key pair that seal signs with (--out NAME), or a pseudonym key for redact (--redact FILE)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "filter" -d 'Print the input lines that pass the filters, byte for byte, in input order; exit 1 if none'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "redact" -d 'Print the events without personal data: identities and addresses as keyed pseudonyms, secrets masked'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "report" -d 'One self-contained HTML report for auditors (--output FILE.html): executive summary, timeline chart, principals, findings; --rules and --verify/--pubkey add the verdicts'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "group" -d 'GROUP BY over normalized keys: events, outcome classes, success rate, p50/p95/p99, distinct principals, first and last per group (like `group --by endpoint`)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "export" -d 'Write the normalized events for other engines: Parquet (DuckDB, Spark, Trino/Athena, BigQuery), OCSF or ECS JSON Lines (SIEMs), or the normalized table as JSON Lines'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "merge" -d 'Combine states saved with --save-state (many machines, many days) into the report, identical to one run over all their inputs'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c fsaudit -n "__fish_fsaudit_using_subcommand help; and not __fish_seen_subcommand_from summary users views timeline anomalies check verify seal keygen filter redact report group export merge completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
