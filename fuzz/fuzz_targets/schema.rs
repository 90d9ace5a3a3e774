//! No line, however odd, panics the readers or the envelopes; what they
//! accept is an event.
#![no_main]

use fsaudit::event::Schema;
use fsaudit::schema::{Envelope, LineParser, LineReader, SchemaMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut modes = vec![SchemaMode::Auto];
    modes.extend(Schema::BUILT_IN.into_iter().map(SchemaMode::Forced));
    for mode in modes {
        let parser = LineParser::new(mode);
        let mut scratch = Vec::new();
        if let Ok(ev) = parser.parse(data, &mut scratch) {
            assert!(!ev.principal.is_empty());
            let _ = (ev.roles(), ev.actions());
        }
    }
    for envelope in [Envelope::Auto, Envelope::PythonLogging, Envelope::Cri, Envelope::Docker, Envelope::Syslog] {
        let parser = LineParser::new(SchemaMode::Auto).with_envelope(envelope, chrono_tz::Tz::UTC);
        let mut reader = LineReader::default();
        let mut scratch = Vec::new();
        let physical = parser.each_line(&mut reader, data, |line| {
            if let Ok(ev) = line.parse(&parser, &mut scratch) {
                assert!(!ev.principal.is_empty());
            }
        });
        assert_eq!(physical as usize, data.split(|b| *b == b'\n').count() - usize::from(data.ends_with(b"\n") || data.is_empty()));
    }
});
