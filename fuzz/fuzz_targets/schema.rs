//! No line, however odd, panics the readers; what they accept is an event.
#![no_main]

use fsaudit::event::Schema;
use fsaudit::schema::{LineParser, SchemaMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut modes = vec![SchemaMode::Auto];
    modes.extend(Schema::BUILT_IN.into_iter().map(SchemaMode::Forced));
    for mode in modes {
        if let Ok(ev) = LineParser::new(mode).parse(data) {
            assert!(!ev.principal.is_empty());
            let _ = (ev.roles(), ev.actions());
        }
    }
});
