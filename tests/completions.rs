//! The committed completion scripts must match the CLI: a new flag without
//! regenerated completions fails here.

mod common;

use common::{run, testdata};

#[test]
fn committed_completions_are_current() {
    let dir = testdata("").parent().unwrap().join("completions");
    for (shell, file) in [
        ("bash", "fsaudit.bash"),
        ("zsh", "_fsaudit"),
        ("fish", "fsaudit.fish"),
        ("elvish", "fsaudit.elv"),
        ("powershell", "_fsaudit.ps1"),
    ] {
        let r = run(["completions", shell]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let committed = std::fs::read(dir.join(file)).unwrap();
        assert!(
            r.stdout == committed,
            "completions/{file} is out of date with the CLI: run scripts/update-completions"
        );
        assert!(r.text().contains("--since"), "{shell} completion lacks the shared options");
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let r = run(["completions", "tcsh"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("possible values"), "{}", r.stderr);
}
