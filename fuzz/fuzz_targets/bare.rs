//! No line, however odd, panics `verify`'s check of a line without
//! integrity fields; and a line that a skeleton learnt from the lines
//! before it passes is one the check without skeletons passes too, every
//! verdict and reason the same (the input's lines go through one kept
//! checker, each also through a fresh one).
#![no_main]

use fsaudit::integrity::bare::JsonCheck;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut kept = JsonCheck::default();
    for line in data.split(|&b| b == b'\n') {
        let a = kept.check(line);
        let b = JsonCheck::default().check(line);
        assert_eq!(a, b, "{:?} in {:?}", String::from_utf8_lossy(line), String::from_utf8_lossy(data));
    }
});
