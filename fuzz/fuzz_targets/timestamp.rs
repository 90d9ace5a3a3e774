//! The fast timestamp parser never panics and agrees with chrono wherever
//! both read a time.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let fast = fsaudit::time::parse_rfc3339(text);
    if let Some(t) = fast {
        let _ = fsaudit::time::format_millis(t);
    }
    let _ = fsaudit::time::parse_time_arg(text, 0, chrono_tz::Tz::UTC);
    if let (Some(f), Ok(dt)) = (fast, chrono::DateTime::parse_from_rfc3339(text)) {
        if !text.contains(":60") {
            assert_eq!(f, dt.timestamp_micros(), "{text}");
        }
    }
});
