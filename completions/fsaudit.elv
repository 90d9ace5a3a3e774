
use builtin;
use str;

set edit:completion:arg-completer[fsaudit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'fsaudit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'fsaudit'= {
            cand --since 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)'
            cand --until 'Only events before T (same forms as --since)'
            cand --user 'Only events of principal P (repeatable; `*` globs)'
            cand --view 'Only events naming a resource that matches V (repeatable; globs)'
            cand --event-type 'Only events of type E (repeatable; globs)'
            cand --outcome 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)'
            cand --ip 'Only events from source address A (an address or a CIDR block; repeatable)'
            cand --format 'Output format'
            cand --top 'Length of top lists (summary: 10; users, views: all rows)'
            cand --color 'Colour in tables (auto: only on a terminal, never with NO_COLOR)'
            cand --progress 'Progress bar on stderr (auto: only when stderr is a terminal)'
            cand --sensitive 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores'
            cand --schema 'Read every line as this schema instead of detecting it per line'
            cand --map 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)'
            cand --max-line-bytes 'Longest line read; longer lines are malformed'
            cand --threads 'Worker threads (default: all cores)'
            cand --buffer-size 'Size of the read buffers (chunks handed to workers)'
            cand -q 'No warnings on stderr'
            cand --quiet 'No warnings on stderr'
            cand --strict 'Exit 2 at the first malformed line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand summary 'Totals, outcome classes, success rate, latency, distinct counts, top lists'
            cand users 'One row per principal: activity, failures, resources, IPs, risk score and reasons (with --user: every resource the principal touched)'
            cand views 'One row per resource (feature view / service): who reads it, denials, latency (with --view: every principal that touched it)'
            cand timeline 'Events per time bucket with outcome classes and p99'
            cand completions 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'fsaudit;summary'= {
            cand --since 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)'
            cand --until 'Only events before T (same forms as --since)'
            cand --user 'Only events of principal P (repeatable; `*` globs)'
            cand --view 'Only events naming a resource that matches V (repeatable; globs)'
            cand --event-type 'Only events of type E (repeatable; globs)'
            cand --outcome 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)'
            cand --ip 'Only events from source address A (an address or a CIDR block; repeatable)'
            cand --format 'Output format'
            cand --top 'Length of top lists (summary: 10; users, views: all rows)'
            cand --color 'Colour in tables (auto: only on a terminal, never with NO_COLOR)'
            cand --progress 'Progress bar on stderr (auto: only when stderr is a terminal)'
            cand --sensitive 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores'
            cand --schema 'Read every line as this schema instead of detecting it per line'
            cand --map 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)'
            cand --max-line-bytes 'Longest line read; longer lines are malformed'
            cand --threads 'Worker threads (default: all cores)'
            cand --buffer-size 'Size of the read buffers (chunks handed to workers)'
            cand -q 'No warnings on stderr'
            cand --quiet 'No warnings on stderr'
            cand --strict 'Exit 2 at the first malformed line'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fsaudit;users'= {
            cand --since 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)'
            cand --until 'Only events before T (same forms as --since)'
            cand --user 'Only events of principal P (repeatable; `*` globs)'
            cand --view 'Only events naming a resource that matches V (repeatable; globs)'
            cand --event-type 'Only events of type E (repeatable; globs)'
            cand --outcome 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)'
            cand --ip 'Only events from source address A (an address or a CIDR block; repeatable)'
            cand --format 'Output format'
            cand --top 'Length of top lists (summary: 10; users, views: all rows)'
            cand --color 'Colour in tables (auto: only on a terminal, never with NO_COLOR)'
            cand --progress 'Progress bar on stderr (auto: only when stderr is a terminal)'
            cand --sensitive 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores'
            cand --schema 'Read every line as this schema instead of detecting it per line'
            cand --map 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)'
            cand --max-line-bytes 'Longest line read; longer lines are malformed'
            cand --threads 'Worker threads (default: all cores)'
            cand --buffer-size 'Size of the read buffers (chunks handed to workers)'
            cand -q 'No warnings on stderr'
            cand --quiet 'No warnings on stderr'
            cand --strict 'Exit 2 at the first malformed line'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fsaudit;views'= {
            cand --since 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)'
            cand --until 'Only events before T (same forms as --since)'
            cand --user 'Only events of principal P (repeatable; `*` globs)'
            cand --view 'Only events naming a resource that matches V (repeatable; globs)'
            cand --event-type 'Only events of type E (repeatable; globs)'
            cand --outcome 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)'
            cand --ip 'Only events from source address A (an address or a CIDR block; repeatable)'
            cand --format 'Output format'
            cand --top 'Length of top lists (summary: 10; users, views: all rows)'
            cand --color 'Colour in tables (auto: only on a terminal, never with NO_COLOR)'
            cand --progress 'Progress bar on stderr (auto: only when stderr is a terminal)'
            cand --sensitive 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores'
            cand --schema 'Read every line as this schema instead of detecting it per line'
            cand --map 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)'
            cand --max-line-bytes 'Longest line read; longer lines are malformed'
            cand --threads 'Worker threads (default: all cores)'
            cand --buffer-size 'Size of the read buffers (chunks handed to workers)'
            cand -q 'No warnings on stderr'
            cand --quiet 'No warnings on stderr'
            cand --strict 'Exit 2 at the first malformed line'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fsaudit;timeline'= {
            cand --bucket 'Bucket size: 1m, 5m, 15m, 1h, 1d or any duration (default: from the time span, at most ~200 buckets)'
            cand --since 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)'
            cand --until 'Only events before T (same forms as --since)'
            cand --user 'Only events of principal P (repeatable; `*` globs)'
            cand --view 'Only events naming a resource that matches V (repeatable; globs)'
            cand --event-type 'Only events of type E (repeatable; globs)'
            cand --outcome 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)'
            cand --ip 'Only events from source address A (an address or a CIDR block; repeatable)'
            cand --format 'Output format'
            cand --top 'Length of top lists (summary: 10; users, views: all rows)'
            cand --color 'Colour in tables (auto: only on a terminal, never with NO_COLOR)'
            cand --progress 'Progress bar on stderr (auto: only when stderr is a terminal)'
            cand --sensitive 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores'
            cand --schema 'Read every line as this schema instead of detecting it per line'
            cand --map 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)'
            cand --max-line-bytes 'Longest line read; longer lines are malformed'
            cand --threads 'Worker threads (default: all cores)'
            cand --buffer-size 'Size of the read buffers (chunks handed to workers)'
            cand -q 'No warnings on stderr'
            cand --quiet 'No warnings on stderr'
            cand --strict 'Exit 2 at the first malformed line'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fsaudit;completions'= {
            cand --since 'Only events at or after T (RFC 3339, YYYY-MM-DD, or a duration back from now: 90m, 24h, 7d)'
            cand --until 'Only events before T (same forms as --since)'
            cand --user 'Only events of principal P (repeatable; `*` globs)'
            cand --view 'Only events naming a resource that matches V (repeatable; globs)'
            cand --event-type 'Only events of type E (repeatable; globs)'
            cand --outcome 'Only events of outcome class C: success, denied, unauthenticated, error (repeatable)'
            cand --ip 'Only events from source address A (an address or a CIDR block; repeatable)'
            cand --format 'Output format'
            cand --top 'Length of top lists (summary: 10; users, views: all rows)'
            cand --color 'Colour in tables (auto: only on a terminal, never with NO_COLOR)'
            cand --progress 'Progress bar on stderr (auto: only when stderr is a terminal)'
            cand --sensitive 'Resources that matter most (repeatable; globs like ''credit_*''): denials on them raise risk scores'
            cand --schema 'Read every line as this schema instead of detecting it per line'
            cand --map 'Read another JSONL log: FIELD=dotted.path (principal, time, event_type, resource, latency_ms, outcome, status, source_ip, roles, actions, request_id; repeatable)'
            cand --max-line-bytes 'Longest line read; longer lines are malformed'
            cand --threads 'Worker threads (default: all cores)'
            cand --buffer-size 'Size of the read buffers (chunks handed to workers)'
            cand -q 'No warnings on stderr'
            cand --quiet 'No warnings on stderr'
            cand --strict 'Exit 2 at the first malformed line'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'fsaudit;help'= {
            cand summary 'Totals, outcome classes, success rate, latency, distinct counts, top lists'
            cand users 'One row per principal: activity, failures, resources, IPs, risk score and reasons (with --user: every resource the principal touched)'
            cand views 'One row per resource (feature view / service): who reads it, denials, latency (with --view: every principal that touched it)'
            cand timeline 'Events per time bucket with outcome classes and p99'
            cand completions 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'fsaudit;help;summary'= {
        }
        &'fsaudit;help;users'= {
        }
        &'fsaudit;help;views'= {
        }
        &'fsaudit;help;timeline'= {
        }
        &'fsaudit;help;completions'= {
        }
        &'fsaudit;help;help'= {
        }
    ]
    $completions[$command]
}
