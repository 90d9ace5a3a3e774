//! Every `console` example of the README, run as a reader would run it and
//! compared with what the README shows.
//!
//! Each `$ ` line (with `\` continuations) runs in `bash` in one scratch
//! directory for the whole README (so a step that makes a file serves the
//! examples after it), with `testdata/` and `examples/` linked in, the
//! binary first on `PATH`, `COLUMNS=100`, `NO_COLOR` and stderr merged into
//! stdout. In the text shown, a line `...` stands for any lines and `[..]`
//! for any text within a line; SHA-256 digests (which change with the time
//! of sealing) are compared as `<sha256>`.

use std::path::Path;
use std::process::Command;

/// One `$ ` command of a console block and the output shown under it.
struct Example {
    /// Line of the README where the command starts.
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_console = false;
    let mut continued = false;
    for (i, line) in readme.lines().enumerate() {
        if let Some(info) = line.strip_prefix("```") {
            in_console = !in_console && info.trim() == "console";
            continued = false;
            continue;
        }
        if !in_console {
            continue;
        }
        if continued {
            let last = out.last_mut().expect("a continued command");
            last.command.push('\n');
            last.command.push_str(line);
            continued = line.ends_with('\\');
        } else if let Some(cmd) = line.strip_prefix("$ ") {
            out.push(Example { line: i + 1, command: cmd.to_owned(), expected: Vec::new() });
            continued = cmd.ends_with('\\');
        } else {
            let last = out.last_mut().unwrap_or_else(|| panic!("README.md:{}: output before any `$ ` command", i + 1));
            last.expected.push(line.to_owned());
        }
    }
    assert!(!in_console, "README.md: a console block is not closed");
    for e in &mut out {
        while e.expected.last().is_some_and(|l| l.trim().is_empty()) {
            e.expected.pop();
        }
    }
    out
}

/// 64 hexadecimal digits → `<sha256>`.
fn digests(line: &str) -> String {
    let b = line.as_bytes();
    let (mut out, mut i) = (String::new(), 0);
    while i < b.len() {
        let run = b[i..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        let bounded =
            (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && b.get(i + run).is_none_or(|c| !c.is_ascii_alphanumeric());
        if run == 64 && bounded {
            out.push_str("<sha256>");
            i += run;
        } else if run > 0 {
            out.push_str(&line[i..i + run]);
            i += run;
        } else {
            let c = line[i..].chars().next().expect("a character");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// One line against a line shown, where `[..]` matches any text.
fn line_matches(shown: &str, actual: &str) -> bool {
    let parts: Vec<&str> = shown.split("[..]").collect();
    if parts.len() == 1 {
        return shown == actual;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !actual.starts_with(first) || !actual[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &actual[first.len()..actual.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(at) => rest = &rest[at + p.len()..],
            None => return false,
        }
    }
    true
}

/// The lines shown against the lines printed, where a line `...` matches
/// any number of lines.
fn lines_match(shown: &[String], actual: &[String]) -> bool {
    match shown.split_first() {
        None => actual.is_empty(),
        Some((s, rest)) if s == "..." => (0..=actual.len()).any(|k| lines_match(rest, &actual[k..])),
        Some((s, rest)) => actual.split_first().is_some_and(|(a, more)| line_matches(s, a) && lines_match(rest, more)),
    }
}

#[test]
fn every_console_example_prints_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let all = examples(&readme);
    assert!(all.len() >= 30, "only {} console examples found in README.md", all.len());

    let dir = tempfile::tempdir().expect("a scratch directory");
    for d in ["testdata", "examples"] {
        std::os::unix::fs::symlink(root.join(d), dir.path().join(d)).expect("link");
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_fsaudit")).parent().expect("the binary's directory").to_owned();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH");

    let mut failures = Vec::new();
    for e in &all {
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("{{\n{}\n}} 2>&1", e.command))
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .env_remove("FSAUDIT_REDACT_KEY")
            .env_remove("FSAUDIT_REDACT_KEY_FILE")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("bash");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut actual: Vec<String> = text.lines().map(|l| digests(l.trim_end())).collect();
        while actual.last().is_some_and(|l| l.is_empty()) {
            actual.pop();
        }
        let shown: Vec<String> = e.expected.iter().map(|l| digests(l.trim_end())).collect();
        if !lines_match(&shown, &actual) {
            failures.push(format!(
                "README.md:{}: $ {}\n--- shown\n{}\n--- printed\n{}\n",
                e.line,
                e.command,
                shown.join("\n"),
                actual.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} README examples differ:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn the_matcher_can_fail() {
    let s = |v: &[&str]| v.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(lines_match(&s(&["a", "...", "d"]), &s(&["a", "b", "c", "d"])));
    assert!(lines_match(&s(&["a", "..."]), &s(&["a"])));
    assert!(!lines_match(&s(&["a", "...", "d"]), &s(&["a", "b", "c"])));
    assert!(!lines_match(&s(&["a"]), &s(&["a", "b"])));
    assert!(line_matches("took [..] s, [..] events", "took 1.2 s, 40 events"));
    assert!(!line_matches("took [..] s", "took 1.2 ms!"));
    assert_eq!(digests(&format!("sha256 {}", "ab".repeat(32))), "sha256 <sha256>");
    assert_eq!(digests(&"ab".repeat(33)), "ab".repeat(33));
}
