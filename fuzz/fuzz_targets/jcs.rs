//! The fast canonical form of any JSON equals serde_jcs's.
#![no_main]

use fsaudit::integrity::fast::{Node, write_canonical};
use fsaudit::integrity::jcs::canonical;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (Ok(mut node), Ok(value)) = (serde_json::from_slice::<Node<'_>>(data), serde_json::from_slice::<serde_json::Value>(data)) else {
        return;
    };
    let mut fast = Vec::new();
    write_canonical(&mut node, &mut fast);
    assert_eq!(fast, canonical(&value));
    let mut buf = Vec::new();
    let _ = fsaudit::integrity::fast::hash_entry(data, &mut buf);
});
