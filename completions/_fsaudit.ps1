
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
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
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
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make the Ed25519 key pair that seal signs with: NAME.key (private, mode 0600) and NAME.pub')
            [CompletionResult]::new('filter', 'filter', [CompletionResultType]::ParameterValue, 'Print the input lines that pass the filters, byte for byte, in input order; exit 1 if none')
            [CompletionResult]::new('redact', 'redact', [CompletionResultType]::ParameterValue, 'Print the events with principals pseudonymised, addresses cut to networks, e-mails and tokens masked')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'fsaudit;summary' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;users' {
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
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of --business-hours (IANA name, like Europe/Berlin) [default: UTC]')
            [CompletionResult]::new('--new-ip-min-span', '--new-ip-min-span', [CompletionResultType]::ParameterName, 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;views' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;timeline' {
            [CompletionResult]::new('--bucket', '--bucket', [CompletionResultType]::ParameterName, 'Bucket size: 1m, 5m, 15m, 1h, 1d or any duration (default: from the time span, at most ~200 buckets)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;anomalies' {
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
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of --business-hours (IANA name, like Europe/Berlin) [default: UTC]')
            [CompletionResult]::new('--new-ip-min-span', '--new-ip-min-span', [CompletionResultType]::ParameterName, 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
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
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of --business-hours (IANA name, like Europe/Berlin) [default: UTC]')
            [CompletionResult]::new('--new-ip-min-span', '--new-ip-min-span', [CompletionResultType]::ParameterName, 'new-source-ip (low): the shortest log span in which a "new" address means anything [default: 2d]')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Turn a detector off (repeatable): authn-failures, denied-burst, resource-enumeration, volume-spike, sensitive-access, new-source-ip')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;verify' {
            [CompletionResult]::new('--pubkey', '--pubkey', [CompletionResultType]::ParameterName, 'Also check each FILE.seal.json with this public key, and the links between them')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'Entries without integrity fields count as breaks')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;seal' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key from `fsaudit keygen`')
            [CompletionResult]::new('--checkpoint-every', '--checkpoint-every', [CompletionResultType]::ParameterName, 'Lines between checkpoints (damage is located to within this many lines)')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Link the first file to this earlier manifest (to extend a series sealed before)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;keygen' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write NAME.key and NAME.pub')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing key pair')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;filter' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print only how many lines match')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print only how many lines match')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print the lines that do not match (malformed and blank lines included)')
            [CompletionResult]::new('--invert', '--invert', [CompletionResultType]::ParameterName, 'Print the lines that do not match (malformed and blank lines included)')
            [CompletionResult]::new('--normalize', '--normalize', [CompletionResultType]::ParameterName, 'Print one canonical JSON event per matching line, the same shape for every schema')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;redact' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the pseudonym key (the same key gives the same pseudonyms across files and runs)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('--keep-malformed', '--keep-malformed', [CompletionResultType]::ParameterName, 'Keep malformed lines (with e-mails, tokens and addresses masked) instead of dropping them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'fsaudit;completions' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before T (same forms as --since)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events of principal P (repeatable; `*` globs)')
            [CompletionResult]::new('--view', '--view', [CompletionResultType]::ParameterName, 'Only events naming a resource that matches V (repeatable; globs)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'Only events of type E (repeatable; globs)')
            [CompletionResult]::new('--outcome', '--outcome', [CompletionResultType]::ParameterName, 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only events from source address A (an address or a CIDR block; repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Length of top lists (summary: 10; users, views: all rows)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour in tables (auto: only on a terminal, never with NO_COLOR)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bar on stderr (auto: only when stderr is a terminal)')
            [CompletionResult]::new('--sensitive', '--sensitive', [CompletionResultType]::ParameterName, 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Read every line as this schema instead of detecting it per line')
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest line read; longer lines are malformed')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Size of the read buffers (chunks handed to workers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No warnings on stderr')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 2 at the first malformed line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
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
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make the Ed25519 key pair that seal signs with: NAME.key (private, mode 0600) and NAME.pub')
            [CompletionResult]::new('filter', 'filter', [CompletionResultType]::ParameterValue, 'Print the input lines that pass the filters, byte for byte, in input order; exit 1 if none')
            [CompletionResult]::new('redact', 'redact', [CompletionResultType]::ParameterValue, 'Print the events with principals pseudonymised, addresses cut to networks, e-mails and tokens masked')
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
