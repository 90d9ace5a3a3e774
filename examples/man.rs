//! Writes the man pages (`man/fsaudit.1` and one per command) from the CLI
//! definition: `cargo run --example man` (scripts/update-completions runs it).

use clap::CommandFactory;

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    std::fs::create_dir_all(&dir)?;
    for (name, page) in fsaudit_man::pages() {
        std::fs::write(dir.join(format!("{name}.1")), page)?;
    }
    println!("man/ updated");
    Ok(())
}

mod fsaudit_man {
    use super::CommandFactory;

    /// `(name, roff)` of the root page and of each command's page.
    pub fn pages() -> Vec<(String, Vec<u8>)> {
        let root = fsaudit::cli::Cli::command();
        let mut out = vec![("fsaudit".to_owned(), render(root.clone()))];
        for sub in root.get_subcommands() {
            let name = format!("fsaudit-{}", sub.get_name());
            out.push((name.clone(), render(sub.clone().name(&*Box::leak(name.clone().into_boxed_str())))));
        }
        out
    }

    fn render(cmd: clap::Command) -> Vec<u8> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut buf).expect("rendering to memory");
        buf
    }
}
