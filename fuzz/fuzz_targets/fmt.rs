//! Arbitrary bytes as a policy file for the formatter: a file that parses
//! formats, the result parses to the same items, keeps every token and
//! every comment at its place among them, and formatting it again changes
//! nothing; a file that does not parse is refused, never formatted
//! (`changegate_testkit::fmt::check`, which the property tests use too).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = changegate_testkit::fmt::check(text) {
        panic!("{e}");
    }
});
