//! fsaudit: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// The exit code of a run stopped by SIGINT (128 + 2), as shells expect.
const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    fsaudit::memory::configure();
    // the first Ctrl-C stops reading and ends the run cleanly; a second one ends it now
    let _ = ctrlc::set_handler(|| {
        if fsaudit::engine::interrupted() {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
        fsaudit::engine::interrupt();
    });
    let cli = fsaudit::cli::Cli::parse();
    let result = fsaudit::app::run(cli);
    if fsaudit::engine::interrupted() {
        eprintln!("fsaudit: interrupted");
        return ExitCode::from(EXIT_INTERRUPTED);
    }
    match result {
        Ok(code) => code,
        Err(e) if fsaudit::app::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fsaudit: {}", fsaudit::render::safe(&format!("{e:#}")));
            ExitCode::from(fsaudit::app::EXIT_ERROR)
        }
    }
}
