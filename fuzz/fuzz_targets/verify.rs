//! No line, however odd, panics `verify`'s checks; and a line checked or
//! hashed by what was learnt from the lines before it (a skeleton for a
//! line without integrity fields, a template for a chained entry) gets the
//! verdict, reason and hash it gets without them (the input's lines go
//! through one kept checker and hasher, each also through fresh ones).
#![no_main]

use fsaudit::integrity::bare::JsonCheck;
use fsaudit::integrity::chained::ChainHash;
use fsaudit::integrity::fast::hash_entry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (mut check, mut chained) = (JsonCheck::default(), ChainHash::default());
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for line in data.split(|&b| b == b'\n') {
        let shown = || format!("{:?} in {:?}", String::from_utf8_lossy(line), String::from_utf8_lossy(data));
        assert_eq!(check.check(line), JsonCheck::default().check(line), "{}", shown());
        assert_eq!(chained.hash_entry(line, &mut a), hash_entry(line, &mut b), "{}", shown());
    }
});
