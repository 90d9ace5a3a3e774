//! `--save-state` and `merge`: a week split into five parts, each part's
//! state saved by its own run, merged: the report must be byte for byte the
//! report of one run over the five parts, for every report command.

mod common;

use std::path::{Path, PathBuf};

use common::{run, testdata};

/// The incidents week cut into five files of whole lines.
fn five_parts(dir: &Path) -> Vec<PathBuf> {
    let mut text = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(testdata("incidents-week.jsonl.gz")).unwrap()),
        &mut text,
    )
    .unwrap();
    let lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    let per = lines.len().div_ceil(5);
    lines
        .chunks(per)
        .enumerate()
        .map(|(i, chunk)| {
            let p = dir.join(format!("part-{i}.jsonl"));
            std::fs::write(&p, chunk.concat()).unwrap();
            p
        })
        .collect()
}

fn args_of(cmd: &[&str], extra: &[&str], inputs: &[&Path]) -> Vec<String> {
    let mut a: Vec<String> = cmd.iter().chain(extra).map(|s| s.to_string()).collect();
    a.extend(inputs.iter().map(|p| p.display().to_string()));
    a
}

/// Saves a state of each part, merges them, and compares with one run.
fn assert_merge_is_one_run(cmd: &[&str], format: &str, parts: &[PathBuf], states: &Path) {
    let fmt = ["--format", format, "-q"];
    let all: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    let single = run(args_of(cmd, &fmt, &all));
    let mut files = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let state = states.join(format!("{}-{i}.state", cmd[0]));
        // each part on its own thread count, as on machines of different sizes
        let threads = (i % 3 + 1).to_string();
        let extra = ["--save-state", state.to_str().unwrap(), "--threads", &threads, "-q"];
        let r = run(args_of(cmd, &extra, &[p]));
        assert!(r.code == 0 || r.code == single.code, "{cmd:?}: {}", r.stderr);
        files.push(state);
    }
    let mut m = vec!["merge".to_owned(), "--format".into(), format.into(), "-q".into()];
    m.extend(files.iter().map(|f| f.display().to_string()));
    let merged = run(&m);
    assert_eq!(merged.code, single.code, "{cmd:?}: {}", merged.stderr);
    assert!(!single.stdout.is_empty());
    assert!(
        merged.stdout == single.stdout,
        "{cmd:?} --format {format}: the merge differs from one run\n--- one run\n{}\n--- merged\n{}",
        single.text(),
        merged.text()
    );
    // a merge of merges (machines, then days) is the same report again
    let left = states.join(format!("{}-left.state", cmd[0]));
    let mut first = vec!["merge".to_owned(), "--save-state".into(), left.display().to_string(), "-q".into()];
    first.extend(files[..2].iter().map(|f| f.display().to_string()));
    assert!(run(&first).code <= 1);
    let mut tree = vec!["merge".to_owned(), "--format".into(), format.into(), "-q".into(), left.display().to_string()];
    tree.extend(files[2..].iter().map(|f| f.display().to_string()));
    assert!(run(&tree).stdout == single.stdout, "{cmd:?}: a merge of merges differs");
}

#[test]
fn every_report_merges_to_the_bytes_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let parts = five_parts(dir.path());
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/compliance.toml");
    let rules = rules.to_str().unwrap();
    for (cmd, format) in [
        (vec!["summary"], "json"),
        (vec!["summary", "--top", "3"], "table"),
        (vec!["users"], "json"),
        (vec!["users", "--sort", "events"], "csv"),
        (vec!["views", "--sensitive", "credit_*"], "json"),
        (vec!["timeline"], "json"),
        (vec!["timeline", "--bucket", "1h"], "csv"),
        (vec!["anomalies"], "json"),
        (vec!["group", "--by", "principal,endpoint"], "json"),
        (vec!["check", "--rules", rules], "json"),
        (vec!["check", "--max", "denied_rate=0.01", "--min", "events=10"], "junit"),
    ] {
        assert_merge_is_one_run(&cmd, format, &parts, dir.path());
    }
}

#[test]
fn duplicates_across_states_are_counted_as_one_run_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let parts = five_parts(dir.path());
    let (a, b) = (dir.path().join("a.state"), dir.path().join("b.state"));
    let p0 = parts[0].to_str().unwrap();
    let p1 = parts[1].to_str().unwrap();
    // part 0 twice: once alone, once with part 1 on another machine
    assert_eq!(run(["summary", "-q", "--save-state", a.to_str().unwrap(), p0]).code, 0);
    assert_eq!(run(["summary", "-q", "--save-state", b.to_str().unwrap(), p0, p1]).code, 0);
    let merged = run(["merge", "--format", "json", a.to_str().unwrap(), b.to_str().unwrap()]).json();
    let single = run(["summary", "--format", "json", p0, p0, p1]).json();
    assert_eq!(merged, single);
    let lines = std::fs::read(&parts[0]).unwrap().split(|c| *c == b'\n').filter(|l| !l.is_empty()).count();
    assert_eq!(merged["duplicate_lines"].as_u64().unwrap(), lines as u64);
}

#[test]
fn states_saved_and_merged_past_the_memory_limit_say_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let parts = five_parts(dir.path());
    for cmd in ["users", "timeline"] {
        let mut states = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            let s = dir.path().join(format!("{cmd}{i}.state"));
            // every other part's own run spills too: its state is read back from the spill to be saved
            let limit = if i % 2 == 0 { "1K" } else { "1G" };
            let args = [cmd, "-q", "--memory-limit", limit, "--save-state", s.to_str().unwrap(), p.to_str().unwrap()];
            assert_eq!(run(args).code, 0);
            states.push(s.display().to_string());
        }
        let mut m = vec!["merge".to_owned(), "--format".into(), "json".into(), "--memory-limit".into(), "1K".into()];
        m.extend(states.iter().cloned());
        let spilled = run(&m);
        assert!(spilled.stderr.contains("spilled"), "{cmd}: {}", spilled.stderr);
        let mut args = vec![cmd.to_owned(), "--format".into(), "json".into(), "-q".into()];
        args.extend(parts.iter().map(|p| p.display().to_string()));
        assert!(spilled.stdout == run(&args).stdout, "{cmd}: the spilled merge differs");
    }
}

#[test]
fn states_that_do_not_fit_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let parts = five_parts(dir.path());
    let p = parts[0].to_str().unwrap();
    let state = |name: &str, args: &[&str]| {
        let s = dir.path().join(name);
        let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        a.extend(["-q".into(), "--save-state".into(), s.display().to_string(), p.into()]);
        let r = run(&a);
        (r, s.display().to_string())
    };
    let (_, plain) = state("plain.state", &["summary"]);
    let (_, users) = state("users.state", &["users"]);
    let (_, alice) = state("alice.state", &["summary", "--user", "alice*"]);
    let (_, recent) = state("recent.state", &["summary", "--since", "2026-10-03"]);
    let r = run(["merge", &plain, &users]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a state of `users`, the first of `summary`"), "{}", r.stderr);
    let r = run(["merge", &plain, &alice]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("other options") && r.stderr.contains("alice*"), "{}", r.stderr);
    let r = run(["merge", &plain, &recent]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // what is no state, and what a state cannot carry
    let r = run(["merge", p]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a state written by --save-state"), "{}", r.stderr);
    let (r, _) = state("dedup.state", &["summary", "--dedup"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--dedup"), "{}", r.stderr);
    let (r, _) = state("follow.state", &["summary", "-f"]);
    assert_eq!(r.code, 2);
    // a damaged state is an error naming it
    let bytes = std::fs::read(&plain).unwrap();
    let damaged = dir.path().join("damaged.state");
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    let r = run(["merge", damaged.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("damaged.state"), "{}", r.stderr);
    // the rules travel in the state: the merge needs no rules file
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[[rule]]\nname = \"few denials\"\nmetric = \"denied\"\nmax = 5\n").unwrap();
    let (r, checked) = state("check.state", &["check", "--rules", rules.to_str().unwrap()]);
    std::fs::remove_file(&rules).unwrap();
    let m = run(["merge", "--format", "json", &checked]);
    assert_eq!(m.code, r.code, "{}", m.stderr);
    assert_eq!(m.json()["rules"][0]["name"], "few denials");
}
