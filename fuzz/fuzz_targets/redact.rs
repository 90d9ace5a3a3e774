//! No line, however odd, panics `redact`'s rewrite; and a line rewritten
//! by a shape learnt from the lines before it is rewritten exactly as a
//! full walk rewrites it, or refused for the same reason (the input's
//! lines go through one worker's scratch, each also through a fresh one).
#![no_main]

use std::sync::LazyLock;

use fsaudit::pipe::redact::detectors::Detectors;
use fsaudit::pipe::redact::fields::Table;
use fsaudit::pipe::redact::{IpMode, Redactor, Scratch};
use libfuzzer_sys::fuzz_target;

static REDACTOR: LazyLock<Redactor> = LazyLock::new(|| {
    let detectors = Detectors::new(&[]).expect("every detector");
    let mut r = Redactor::new(b"a fuzzing key, thirty-two bytes.", IpMode::Prefix, detectors, Table::new(&[]));
    r.set_names(["jdoe".to_owned(), "svc-batch_040".to_owned(), "user0241@corp.example".to_owned()]);
    r
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let r = &*REDACTOR;
    let mut kept = Scratch::default();
    for line in text.split('\n') {
        let (mut ours, mut fresh) = (Vec::new(), Vec::new());
        let a = r.event(line, &mut kept, &mut ours).map_err(|e| e.0);
        let b = r.event(line, &mut Scratch::default(), &mut fresh).map_err(|e| e.0);
        assert_eq!(a, b, "{line:?} in {text:?}");
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&fresh), "{line:?} in {text:?}");
    }
});
