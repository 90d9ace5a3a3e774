//! The committed man pages must match the CLI: a new flag without
//! regenerated pages fails here (scripts/update-completions writes them).

use clap::CommandFactory;

fn render(cmd: clap::Command) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf).unwrap();
    buf
}

#[test]
fn committed_man_pages_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let root = fsaudit::cli::Cli::command();
    let mut pages = vec![("fsaudit".to_owned(), render(root.clone()))];
    for sub in root.get_subcommands() {
        let name = format!("fsaudit-{}", sub.get_name());
        pages.push((name.clone(), render(sub.clone().name(&*Box::leak(name.clone().into_boxed_str())))));
    }
    for (name, page) in &pages {
        let committed = std::fs::read(dir.join(format!("{name}.1"))).unwrap_or_default();
        assert!(committed == *page, "man/{name}.1 is out of date with the CLI: run scripts/update-completions");
    }
    let redact = &pages.iter().find(|(n, _)| n == "fsaudit-redact").unwrap().1;
    assert!(String::from_utf8_lossy(redact).contains("key\\-file"), "the redact page names its options");
    let committed = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(committed, pages.len(), "man/ holds a page of no command");
}
