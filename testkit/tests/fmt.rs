//! The formatter's properties (docs/language.md, *Files, comments and
//! names*): over every `.gate` of the decision corpus and the policy
//! library, over the generator's policies, and over both with their layout
//! scrambled (line breaks, blanks and comments put between the tokens),
//! formatting parses to the same items, keeps every token and every comment
//! at its place among them, and formatting again changes nothing
//! (`changegate_testkit::fmt::check`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a failing test should stop loudly"
)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use changegate_testkit::fmt::{check, comments, scramble, shape};
use changegate_testkit::scenario::strategy::scenario;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn gate_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            gate_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "gate") {
            out.push(path);
        }
    }
}

/// Every `.gate` of the corpus and the library, with its text (files that
/// are not UTF-8 left out: they are read errors, not policies).
static FILES: LazyLock<Vec<(PathBuf, String)>> = LazyLock::new(|| {
    let mut paths = Vec::new();
    gate_files(&root().join("core/tests/corpus"), &mut paths);
    gate_files(&root().join("policies"), &mut paths);
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).ok()?).ok()?;
            Some((p, text))
        })
        .collect()
});

#[test]
fn every_file_of_the_corpus_and_the_library_formats_faithfully() {
    assert!(FILES.len() > 100, "the corpus was not found");
    let mut parsed = 0;
    for (path, text) in FILES.iter() {
        if let Err(e) = check(text) {
            panic!("{}: {e}", path.display());
        }
        parsed += usize::from(shape(text).is_some());
    }
    // Most parse: the rest are the corpus's syntax-error cases.
    assert!(parsed * 10 > FILES.len() * 8, "{parsed} of {}", FILES.len());
}

#[test]
fn the_policy_library_is_formatted() {
    let mut files = Vec::new();
    gate_files(&root().join("policies"), &mut files);
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let out = changegate::api::format(&changegate::Source {
            name: path.display().to_string(),
            text: text.clone(),
        })
        .unwrap();
        assert!(
            out == text,
            "{} is not formatted: run `changegate fmt policies/`",
            path.display()
        );
    }
}

#[test]
fn the_librarys_comments_are_counted() {
    // The library is mostly comments: a check that finds none is broken.
    let (_, text) = FILES
        .iter()
        .find(|(p, _)| p.ends_with("itil/baseline.gate"))
        .unwrap();
    assert!(comments(text).len() > 50);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_scrambled_file_of_the_corpus_formats_faithfully(
        file in any::<Index>(),
        choices in vec(any::<u8>(), 1..64),
    ) {
        let (path, text) = file.get(&FILES);
        let scrambled = scramble(text, &choices);
        // Scrambling keeps the tokens, so a file that parses still does.
        prop_assert_eq!(shape(text).is_some(), shape(&scrambled).is_some(), "{}\n{}", path.display(), scrambled);
        if let Err(e) = check(&scrambled) {
            return Err(TestCaseError::fail(format!("{}: {e}", path.display())));
        }
    }

    #[test]
    fn generated_policies_format_faithfully(
        sc in scenario(false),
        choices in vec(any::<u8>(), 1..64),
    ) {
        for (name, text) in sc.policy.sources(sc.files) {
            prop_assert!(shape(&text).is_some(), "{}: generated policy does not parse", name);
            if let Err(e) = check(&text) {
                return Err(TestCaseError::fail(format!("{name}: {e}")));
            }
            let scrambled = scramble(&text, &choices);
            if let Err(e) = check(&scrambled) {
                return Err(TestCaseError::fail(format!("{name} scrambled: {e}")));
            }
        }
    }
}

#[test]
fn the_checks_see_a_moved_comment_and_scrambling_adds_comments() {
    let text = "rule r {\n  when change.a == 1 # why\n  deny \"x\"\n}\n";
    assert_ne!(
        comments(text),
        comments("rule r {\n  when change.a == 1\n  # why\n  deny \"x\"\n}\n")
    );
    assert_ne!(
        comments(text),
        comments("rule r {\n  when change.a == # why\n 1\n  deny \"x\"\n}\n")
    );
    let scrambled = scramble(text, &[3]);
    assert!(comments(&scrambled).len() > 3, "{scrambled}");
    assert!(shape(&scrambled).is_some(), "{scrambled}");
    assert_eq!(shape(&scrambled), shape(text));
}
