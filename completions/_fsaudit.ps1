
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'fsaudit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'fsaudit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'fsaudit' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'Totals, outcome classes, success rate, latency, distinct counts, top lists')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'One row per principal: activity, failures, resources, IPs, risk score and reasons (with --user: every resource the principal touched)')
            [CompletionResult]::new('views', 'views', [CompletionResultType]::ParameterValue, 'One row per resource (feature view / service): who reads it, denials, latency (with --view: every principal that touched it)')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Events per time bucket with outcome classes and p99')
            [CompletionResult]::new('anomalies', 'anomalies', [CompletionResultType]::ParameterValue, 'Findings of the detectors (brute force, denial bursts, probing, spikes, …), most severe first')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Evaluate rules (--rules FILE and/or --max/--min METRIC=VALUE); exit 1 if any fails; --format junit|github for CI systems')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check per-entry integrity chains, and with --pubkey the seal manifests; exit 1 if broken')
            [CompletionResult]::new('seal', 'seal', [CompletionResultType]::ParameterValue, 'Write a signed manifest FILE.seal.json beside each FILE (oldest first); the logs are only read')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make the Ed25519 key pair that seal signs with (--out NAME), or a pseudonym key for redact (--redact FILE)')
            [CompletionResult]::new('filter', 'filter', [CompletionResultType]::ParameterValue, 'Print the input lines that pass the filters, byte for byte, in input order; exit 1 if none')
            [CompletionResult]::new('redact', 'redact', [CompletionResultType]::ParameterValue, 'Print the events without personal data: identities and addresses as keyed pseudonyms, secrets masked')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'GROUP BY over normalized keys: events, outcome classes, success rate, p50/p95/p99, distinct principals, first and last per group (like `group --by endpoint`)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fsaudit;summary' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of the top lists')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: table (the default), json, csv, prometheus (the text format of node_exporter''s textfile collector) or markdown (GitHub-flavoured, for a CI job''s summary)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--memory-limit', '--memory-limit', [CompletionResultType]::ParameterName, 'Heap budget of the report''s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;users' {
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the rows: risk (default), events, success, denied, unauthenticated, error, failure_rate, resources, source_ips, p99, first, last or name; add :asc or :desc')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Only the first N rows (users: in --sort order; anomalies: most severe first; default: all)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: table (the default), json, csv or markdown (GitHub-flavoured, for a CI job''s summary)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules file whose [settings] set detector thresholds and sensitive globs (check: also its rules)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Width of the sliding window of authn-failures, denied-burst and resource-enumeration [default: 10m]')
            [CompletionResult]::new('--authn-failures', '--authn-failures', [CompletionResultType]::ParameterName, 'authn-failures (critical): failed logins in a window, from one address or for one principal [default: 20]')
            [CompletionResult]::new('--denied-burst', '--denied-burst', [CompletionResultType]::ParameterName, 'denied-burst (high): denied requests of one principal in a window [default: 10]')
            [CompletionResult]::new('--denied-share', '--denied-share', [CompletionResultType]::ParameterName, 'Share of a principal''s requests in the window that must be denied (denied-burst, resource-enumeration) [default: 0.5]')
            [CompletionResult]::new('--enumeration', '--enumeration', [CompletionResultType]::ParameterName, 'resource-enumeration (high): distinct resources one principal is denied on in a window [default: 3]')
            [CompletionResult]::new('--spike-factor', '--spike-factor', [CompletionResultType]::ParameterName, 'volume-spike (medium): an hour with this multiple of the principal''s median hourly volume… [default: 10]')
            [CompletionResult]::new('--spike-min', '--spike-min', [CompletionResultType]::ParameterName, '…and at least this many events [default: 50]')
            [CompletionResult]::new('--allow-role', '--allow-role', [CompletionResultType]::ParameterName, 'sensitive-access (medium): roles allowed to touch --sensitive resources (repeatable)')
            [CompletionResult]::new('--business-hours', '--business-hours', [CompletionResultType]::ParameterName, 'sensitive-access (low): business hours for --sensitive resources, Monday to Friday (like 08-19)')
            [CompletionResult]::new('--new-ip-min-span', '--new-ip-min-span', [CompletionResultType]::ParameterName, 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]')
            [CompletionResult]::new('--off-hours-min', '--off-hours-min', [CompletionResultType]::ParameterName, 'off-hours (medium): events of one principal in an hour of the day it never uses [default: 20]')
            [CompletionResult]::new('--shared-addresses', '--shared-addresses', [CompletionResultType]::ParameterName, 'credential-sharing (high): distinct source addresses of one principal in an hour [default: 5]')
            [CompletionResult]::new('--write-failures', '--write-failures', [CompletionResultType]::ParameterName, 'write-failures (critical): failed writes (WRITE_* actions, /push, /materialize) of one principal in a window [default: 1]')
            [CompletionResult]::new('--daily-denials', '--daily-denials', [CompletionResultType]::ParameterName, 'daily-denials (medium): denied requests of one principal in a day (in --tz) [default: 11]')
            [CompletionResult]::new('--alpha', '--alpha', [CompletionResultType]::ParameterName, 'The chance, corrected for every window a detector tries, below which a count is a finding; at 1e-6 and below the detector''s own severity, above it one step lower [default: 0.01]')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip, off-hours, credential-sharing, write-failures, daily-denials')
            [CompletionResult]::new('--memory-limit', '--memory-limit', [CompletionResultType]::ParameterName, 'Heap budget of the report''s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;views' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Only the N resources with the most events (default: every resource)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--memory-limit', '--memory-limit', [CompletionResultType]::ParameterName, 'Heap budget of the report''s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;timeline' {
            [CompletionResult]::new('--bucket', '--bucket', [CompletionResultType]::ParameterName, 'Bucket size: 1m, 5m, 15m, 1h, 1d or any duration (default: from the time span, at most ~200 buckets)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--memory-limit', '--memory-limit', [CompletionResultType]::ParameterName, 'Heap budget of the report''s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;anomalies' {
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Only the first N rows (users: in --sort order; anomalies: most severe first; default: all)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: table (the default), json, csv or markdown (GitHub-flavoured, for a CI job''s summary)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules file whose [settings] set detector thresholds and sensitive globs (check: also its rules)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Width of the sliding window of authn-failures, denied-burst and resource-enumeration [default: 10m]')
            [CompletionResult]::new('--authn-failures', '--authn-failures', [CompletionResultType]::ParameterName, 'authn-failures (critical): failed logins in a window, from one address or for one principal [default: 20]')
            [CompletionResult]::new('--denied-burst', '--denied-burst', [CompletionResultType]::ParameterName, 'denied-burst (high): denied requests of one principal in a window [default: 10]')
            [CompletionResult]::new('--denied-share', '--denied-share', [CompletionResultType]::ParameterName, 'Share of a principal''s requests in the window that must be denied (denied-burst, resource-enumeration) [default: 0.5]')
            [CompletionResult]::new('--enumeration', '--enumeration', [CompletionResultType]::ParameterName, 'resource-enumeration (high): distinct resources one principal is denied on in a window [default: 3]')
            [CompletionResult]::new('--spike-factor', '--spike-factor', [CompletionResultType]::ParameterName, 'volume-spike (medium): an hour with this multiple of the principal''s median hourly volume… [default: 10]')
            [CompletionResult]::new('--spike-min', '--spike-min', [CompletionResultType]::ParameterName, '…and at least this many events [default: 50]')
            [CompletionResult]::new('--allow-role', '--allow-role', [CompletionResultType]::ParameterName, 'sensitive-access (medium): roles allowed to touch --sensitive resources (repeatable)')
            [CompletionResult]::new('--business-hours', '--business-hours', [CompletionResultType]::ParameterName, 'sensitive-access (low): business hours for --sensitive resources, Monday to Friday (like 08-19)')
            [CompletionResult]::new('--new-ip-min-span', '--new-ip-min-span', [CompletionResultType]::ParameterName, 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]')
            [CompletionResult]::new('--off-hours-min', '--off-hours-min', [CompletionResultType]::ParameterName, 'off-hours (medium): events of one principal in an hour of the day it never uses [default: 20]')
            [CompletionResult]::new('--shared-addresses', '--shared-addresses', [CompletionResultType]::ParameterName, 'credential-sharing (high): distinct source addresses of one principal in an hour [default: 5]')
            [CompletionResult]::new('--write-failures', '--write-failures', [CompletionResultType]::ParameterName, 'write-failures (critical): failed writes (WRITE_* actions, /push, /materialize) of one principal in a window [default: 1]')
            [CompletionResult]::new('--daily-denials', '--daily-denials', [CompletionResultType]::ParameterName, 'daily-denials (medium): denied requests of one principal in a day (in --tz) [default: 11]')
            [CompletionResult]::new('--alpha', '--alpha', [CompletionResultType]::ParameterName, 'The chance, corrected for every window a detector tries, below which a count is a finding; at 1e-6 and below the detector''s own severity, above it one step lower [default: 0.01]')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip, off-hours, credential-sharing, write-failures, daily-denials')
            [CompletionResult]::new('--memory-limit', '--memory-limit', [CompletionResultType]::ParameterName, 'Heap budget of the report''s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;check' {
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'A rule from the command line: METRIC=VALUE must not be exceeded (repeatable; like p99_ms=100)')
            [CompletionResult]::new('--min', '--min', [CompletionResultType]::ParameterName, 'A rule from the command line: METRIC=VALUE must be reached (repeatable; like success_rate=0.99)')
            [CompletionResult]::new('--pubkey', '--pubkey', [CompletionResultType]::ParameterName, 'Public key for seal manifests: chain_breaks then covers them too (overrides [settings] pubkey)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: table (the default), json, csv, junit (JUnit XML), github (workflow annotations), prometheus (the text format of node_exporter''s textfile collector) or markdown (for a job summary)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules file whose [settings] set detector thresholds and sensitive globs (check: also its rules)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Width of the sliding window of authn-failures, denied-burst and resource-enumeration [default: 10m]')
            [CompletionResult]::new('--authn-failures', '--authn-failures', [CompletionResultType]::ParameterName, 'authn-failures (critical): failed logins in a window, from one address or for one principal [default: 20]')
            [CompletionResult]::new('--denied-burst', '--denied-burst', [CompletionResultType]::ParameterName, 'denied-burst (high): denied requests of one principal in a window [default: 10]')
            [CompletionResult]::new('--denied-share', '--denied-share', [CompletionResultType]::ParameterName, 'Share of a principal''s requests in the window that must be denied (denied-burst, resource-enumeration) [default: 0.5]')
            [CompletionResult]::new('--enumeration', '--enumeration', [CompletionResultType]::ParameterName, 'resource-enumeration (high): distinct resources one principal is denied on in a window [default: 3]')
            [CompletionResult]::new('--spike-factor', '--spike-factor', [CompletionResultType]::ParameterName, 'volume-spike (medium): an hour with this multiple of the principal''s median hourly volume… [default: 10]')
            [CompletionResult]::new('--spike-min', '--spike-min', [CompletionResultType]::ParameterName, '…and at least this many events [default: 50]')
            [CompletionResult]::new('--allow-role', '--allow-role', [CompletionResultType]::ParameterName, 'sensitive-access (medium): roles allowed to touch --sensitive resources (repeatable)')
            [CompletionResult]::new('--business-hours', '--business-hours', [CompletionResultType]::ParameterName, 'sensitive-access (low): business hours for --sensitive resources, Monday to Friday (like 08-19)')
            [CompletionResult]::new('--new-ip-min-span', '--new-ip-min-span', [CompletionResultType]::ParameterName, 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]')
            [CompletionResult]::new('--off-hours-min', '--off-hours-min', [CompletionResultType]::ParameterName, 'off-hours (medium): events of one principal in an hour of the day it never uses [default: 20]')
            [CompletionResult]::new('--shared-addresses', '--shared-addresses', [CompletionResultType]::ParameterName, 'credential-sharing (high): distinct source addresses of one principal in an hour [default: 5]')
            [CompletionResult]::new('--write-failures', '--write-failures', [CompletionResultType]::ParameterName, 'write-failures (critical): failed writes (WRITE_* actions, /push, /materialize) of one principal in a window [default: 1]')
            [CompletionResult]::new('--daily-denials', '--daily-denials', [CompletionResultType]::ParameterName, 'daily-denials (medium): denied requests of one principal in a day (in --tz) [default: 11]')
            [CompletionResult]::new('--alpha', '--alpha', [CompletionResultType]::ParameterName, 'The chance, corrected for every window a detector tries, below which a count is a finding; at 1e-6 and below the detector''s own severity, above it one step lower [default: 0.01]')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip, off-hours, credential-sharing, write-failures, daily-denials')
            [CompletionResult]::new('--memory-limit', '--memory-limit', [CompletionResultType]::ParameterName, 'Heap budget of the report''s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Rules evaluated over zero events (status no_data) pass instead of failing')
            [CompletionResult]::new('--list-metrics', '--list-metrics', [CompletionResultType]::ParameterName, 'Print the metrics a rule can name, with their units, and exit. Metrics: events, success, denied, unauthenticated, error, malformed, success_rate, failure_rate, denied_rate, p50_ms, p95_ms, p99_ms, max_ms, principals, span_days, max_gap, findings, chain_breaks')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;verify' {
            [CompletionResult]::new('--pubkey', '--pubkey', [CompletionResultType]::ParameterName, 'Also check each FILE.seal.json with this public key, and the links between them')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'The first manifest must link to this one (DIGEST or manifest file): a series verified before, continued')
            [CompletionResult]::new('--expect-latest', '--expect-latest', [CompletionResultType]::ParameterName, 'The newest manifest must have this SHA-256 (as published elsewhere): detects a rollback')
            [CompletionResult]::new('--manifest', '--manifest', [CompletionResultType]::ParameterName, 'The manifest of a renamed or recompressed file: LOG=MANIFEST (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'Entries without integrity fields count as breaks in every file (lines an intact seal covers excepted)')
            [CompletionResult]::new('--require-sealed', '--require-sealed', [CompletionResultType]::ParameterName, 'Lines appended after the newest seal count as breaks (for archived logs that must be sealed whole)')
            [CompletionResult]::new('--allow-unverified', '--allow-unverified', [CompletionResultType]::ParameterName, 'Exit 0 even when nothing vouches for a file (no integrity fields, no manifest)')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;seal' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key from `fsaudit keygen`')
            [CompletionResult]::new('--checkpoint-every', '--checkpoint-every', [CompletionResultType]::ParameterName, 'Lines between checkpoints (damage is located to within this many lines)')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Link the first file to this earlier manifest (to extend a series sealed before)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;keygen' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write NAME.key and NAME.pub (a signing key pair for `seal` and `verify`)')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Write a random 32-byte pseudonym key for `redact` to FILE (mode 0600)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: table (a sentence per file written, the default) or json')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing key')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;filter' {
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Columns of --format table|csv, comma-separated (time, principal, source_ip, event_type, endpoint, resource, outcome, status, latency_ms, roles, actions, method, request_id, resource_type, auth_type, transport, raw_outcome, schema)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print events as table rows, CSV rows or normalized JSON instead of the log''s own lines')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print only how many lines match')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print only how many lines match')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print the lines that do not match (malformed and blank lines included)')
            [CompletionResult]::new('--invert', '--invert', [CompletionResultType]::ParameterName, 'Print the lines that do not match (malformed and blank lines included)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Follow the input like tail -F: read it from its start, then print matching lines as they are written; a file renamed away or truncated is reopened, one not there yet is waited for; Ctrl-C stops')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow the input like tail -F: read it from its start, then print matching lines as they are written; a file renamed away or truncated is reopened, one not there yet is waited for; Ctrl-C stops')
            [CompletionResult]::new('--normalize', '--normalize', [CompletionResultType]::ParameterName, 'Print one canonical JSON event per matching line, the same shape for every schema')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;redact' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the pseudonym key, at least 16 bytes (`fsaudit keygen --redact FILE` makes one); FSAUDIT_REDACT_KEY may hold the key itself')
            [CompletionResult]::new('--ip-mode', '--ip-mode', [CompletionResultType]::ParameterName, 'How addresses are pseudonymised: prefix (keyed, subnets kept) or network (cut to /24 and /48)')
            [CompletionResult]::new('--redact-field', '--redact-field', [CompletionResultType]::ParameterName, 'Replace the value at this dotted path by a keyed pseudonym too (repeatable), e.g. userAgent')
            [CompletionResult]::new('--disable-detector', '--disable-detector', [CompletionResultType]::ParameterName, 'Turn one free-text detector off (repeatable; --list-detectors names them)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of --list-detectors: table (the default), json or csv (redact itself writes events)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--list-detectors', '--list-detectors', [CompletionResultType]::ParameterName, 'Print the free-text detectors and what each finds, and exit')
            [CompletionResult]::new('--keep-malformed', '--keep-malformed', [CompletionResultType]::ParameterName, 'Keep malformed lines (scrubbed like any free text) instead of dropping them')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;group' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Keys to group by, separated by commas: principal, source_ip, event_type, endpoint, method, status, resource, resource_type, action, outcome, auth_type, transport, role, schema, hour, day, weekday (hour, day and weekday in --tz)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the rows: events (default), success, denied, unauthenticated, error, success_rate, p50, p95, p99, principals, first, last or a key; add :asc or :desc')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Only the first N groups in that order (default: every group)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: table (the default), json, csv, prometheus (the text format of node_exporter''s textfile collector) or markdown (GitHub-flavoured, for a CI job''s summary)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout, atomically: a temporary file in the same directory, renamed over FILE once complete (what node_exporter''s textfile collector needs)')
            [CompletionResult]::new('--memory-limit', '--memory-limit', [CompletionResultType]::ParameterName, 'Heap budget of the report''s per-key state, like 512M or 2G (default: a quarter of physical memory); past it, the state spills to temporary files')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, epoch seconds, or a duration back from now: 90m, 24h, -24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last DURATION of the input''s own time range (like 24h; reads the input twice)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of times written without an offset, dates, hours, days and business hours (IANA name) [default: UTC]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line (with --map, the mapped fields override the schema''s own)')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Where a field is: FIELD=dotted.path (principal, time, event_type, resource, endpoint, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable). Overrides only the mapped fields of lines a schema reads; other lines are read by the map alone')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'What wraps each event line: detected per line (auto), or forced')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--csv-raw', '--csv-raw', [CompletionResultType]::ParameterName, 'CSV cells exactly as they are (by default a cell a spreadsheet would run as a formula gets a leading '')')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('--dedup', '--dedup', [CompletionResultType]::ParameterName, 'Analyse each distinct line once (a log shipped twice counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings or notes on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;help' {
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'Totals, outcome classes, success rate, latency, distinct counts, top lists')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'One row per principal: activity, failures, resources, IPs, risk score and reasons (with --user: every resource the principal touched)')
            [CompletionResult]::new('views', 'views', [CompletionResultType]::ParameterValue, 'One row per resource (feature view / service): who reads it, denials, latency (with --view: every principal that touched it)')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Events per time bucket with outcome classes and p99')
            [CompletionResult]::new('anomalies', 'anomalies', [CompletionResultType]::ParameterValue, 'Findings of the detectors (brute force, denial bursts, probing, spikes, …), most severe first')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Evaluate rules (--rules FILE and/or --max/--min METRIC=VALUE); exit 1 if any fails; --format junit|github for CI systems')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check per-entry integrity chains, and with --pubkey the seal manifests; exit 1 if broken')
            [CompletionResult]::new('seal', 'seal', [CompletionResultType]::ParameterValue, 'Write a signed manifest FILE.seal.json beside each FILE (oldest first); the logs are only read')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make the Ed25519 key pair that seal signs with (--out NAME), or a pseudonym key for redact (--redact FILE)')
            [CompletionResult]::new('filter', 'filter', [CompletionResultType]::ParameterValue, 'Print the input lines that pass the filters, byte for byte, in input order; exit 1 if none')
            [CompletionResult]::new('redact', 'redact', [CompletionResultType]::ParameterValue, 'Print the events without personal data: identities and addresses as keyed pseudonyms, secrets masked')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'GROUP BY over normalized keys: events, outcome classes, success rate, p50/p95/p99, distinct principals, first and last per group (like `group --by endpoint`)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fsaudit;help;summary' {
            break
        }
        'fsaudit;help;users' {
            break
        }
        'fsaudit;help;views' {
            break
        }
        'fsaudit;help;timeline' {
            break
        }
        'fsaudit;help;anomalies' {
            break
        }
        'fsaudit;help;check' {
            break
        }
        'fsaudit;help;verify' {
            break
        }
        'fsaudit;help;seal' {
            break
        }
        'fsaudit;help;keygen' {
            break
        }
        'fsaudit;help;filter' {
            break
        }
        'fsaudit;help;redact' {
            break
        }
        'fsaudit;help;group' {
            break
        }
        'fsaudit;help;completions' {
            break
        }
        'fsaudit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
