//! No manifest panics the reader or the signature check.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((manifest, _)) = fsaudit::integrity::seal::parse_manifest(data.to_vec()) {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]).verifying_key();
        assert!(!manifest.verify(&key) || manifest.signature.is_some());
    }
});
