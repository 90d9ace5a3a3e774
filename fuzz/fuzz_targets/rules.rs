//! No rules file panics the loader: it is read, or refused with a position.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = fsaudit::check::rules::RuleSet::parse(std::path::Path::new("fuzz.toml"), text, 0) {
        assert!(e.starts_with("fuzz.toml:"), "{e}");
    }
});
