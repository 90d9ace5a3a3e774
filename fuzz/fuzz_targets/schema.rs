//! No line, however odd, panics the readers or the envelopes; what they
//! accept is an event; and the hot-path reader takes exactly the lines
//! serde_json takes (less those with a key written twice), whether read in
//! full or by the shape learnt from the line before (and the event made of
//! it is the same either way).
#![no_main]

use fsaudit::event::Schema;
use fsaudit::schema::{Envelope, LineParser, LineReader, SchemaMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let ours = fsaudit::schema::scan::parse::<fsaudit::schema::raw::RawLine>(text).is_ok();
        let theirs = serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.is_object())
            && fsaudit::schema::check_shape(data).is_ok();
        assert_eq!(ours, theirs, "{text:?}");
        // the second line read by the shape learnt from the first reads as
        // the full reader reads it
        if let Some((seed, probe)) = text.split_once('\n') {
            let mut shapes = fsaudit::schema::learnt::Shapes::default();
            let mut raw = fsaudit::schema::raw::RawLine::default();
            let _ = shapes.parse_into(seed, &mut raw);
            let mut raw = fsaudit::schema::raw::RawLine::default();
            let learnt = shapes.parse_into(probe, &mut raw).map(|_| format!("{raw:?}")).map_err(|e| e.0);
            let full = fsaudit::schema::scan::parse::<fsaudit::schema::raw::RawLine>(probe)
                .map(|r| format!("{r:?}"))
                .map_err(|e| e.0);
            assert_eq!(learnt, full, "{seed:?} then {probe:?}");
            // and makes the same event, or is refused for the same reason,
            // read by the learnt shape (straight into a Feast event's parts
            // when the shape is Feast's) as read in full
            for mode in [SchemaMode::Auto, SchemaMode::Forced(Schema::Feast)] {
                let parser = LineParser::new(mode);
                let mut shapes = fsaudit::schema::learnt::Shapes::default();
                let _ = parser.parse_payload_with(&mut shapes, seed.as_bytes(), None);
                let learnt = parser.parse_payload_with(&mut shapes, probe.as_bytes(), None);
                let full =
                    parser.parse_payload_with(&mut fsaudit::schema::learnt::Shapes::default(), probe.as_bytes(), None);
                assert_eq!(
                    learnt.map(|e| format!("{e:?}")).map_err(|e| e.0),
                    full.map(|e| format!("{e:?}")).map_err(|e| e.0),
                    "{seed:?} then {probe:?}"
                );
            }
        }
    }
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
