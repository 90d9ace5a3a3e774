//! fsaudit: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = fsaudit::cli::Cli::parse();
    match fsaudit::app::run(cli) {
        Ok(code) => code,
        Err(e) if fsaudit::app::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fsaudit: {e:#}");
            ExitCode::from(fsaudit::app::EXIT_ERROR)
        }
    }
}
