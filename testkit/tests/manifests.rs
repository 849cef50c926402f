//! The generated test-case lists are up to date with what they list.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failing test should stop loudly"
)]

use changegate_testkit::corpus;

/// `core/tests/corpus/manifest.json` lists exactly the case folders there
/// are, with their inputs as they are now. `CHANGEGATE_BLESS=1` rewrites it.
#[test]
fn corpus_manifest_is_fresh() {
    let repo = corpus::repo();
    let cases = corpus::discover(&repo).unwrap();
    assert!(cases.len() > 200, "only {} cases found", cases.len());
    let want = corpus::manifest(&cases);
    let path = repo.join(corpus::MANIFEST);
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os("CHANGEGATE_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let lines = |t: &str| -> Vec<String> { t.lines().map(str::to_owned).collect() };
    let (old, new) = (lines(&have), lines(&want));
    let gone: Vec<&String> = old.iter().filter(|l| !new.contains(l)).collect();
    let added: Vec<&String> = new.iter().filter(|l| !old.contains(l)).collect();
    panic!(
        "{} is stale: rerun with CHANGEGATE_BLESS=1 to rewrite it\n--- listed, but not so any more\n{}\n--- missing\n{}",
        corpus::MANIFEST,
        gone.iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        added
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
