//! Arbitrary bytes as a policy file: compiling must return a policy or
//! diagnostics, never panic, overflow the stack or hang; every diagnostic
//! must point inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match changegate::Policy::from_sources([("fuzz.gate", text)]) {
        Ok(policy) => {
            let _ = policy.digest();
        }
        Err(err) => {
            let lines = text.split('\n').count() as u32;
            for d in err.diagnostics() {
                assert!(
                    d.line >= 1 && d.line <= lines.max(1),
                    "diagnostic outside the file: {d}"
                );
                assert!(!d.message.is_empty());
            }
            let _ = err.render(false);
        }
    }
});
