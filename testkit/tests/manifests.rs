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

/// `core/tests/import/manifest.json` lists exactly the adapters' case
/// folders, with their files as they are now. `CHANGEGATE_BLESS=1` rewrites it.
#[test]
fn import_manifest_is_fresh() {
    let repo = corpus::repo();
    let cases = changegate_testkit::imports::discover(&repo).unwrap();
    let want = changegate_testkit::imports::manifest(&cases);
    let path = repo.join(changegate_testkit::imports::MANIFEST);
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var_os("CHANGEGATE_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    assert!(
        have == want,
        "{} is stale: rerun with CHANGEGATE_BLESS=1 to rewrite it",
        changegate_testkit::imports::MANIFEST
    );
}

/// `text` with each lone-surrogate escape (`\ud800`, which JavaScript and
/// Python read but serde_json does not) made `\ufffd`.
fn without_lone_surrogates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let escape = &rest[i..];
        let unit = escape
            .strip_prefix("\\u")
            .and_then(|h| h.get(..4))
            .and_then(|h| u16::from_str_radix(h, 16).ok());
        // After a backslash comes `u` and four digits, or one ASCII character.
        let len = if unit.is_some() { 6 } else { 2 };
        match unit {
            Some(u) if (0xD800..0xE000).contains(&u) => out.push_str("\\ufffd"),
            _ => out.push_str(&escape[..len]),
        }
        rest = &escape[len..];
    }
    out.push_str(rest);
    out
}

/// The hostile-input list expands, and written out for the harnesses that
/// are not in Rust it says the same: every document's file holds its bytes,
/// its text is there when the file is not that text, and each front end's
/// expectation is the one the list gives.
#[test]
fn hostile_list_writes_what_it_holds() {
    use changegate_testkit::hostile::{self, FRONT_ENDS};
    use serde_json::Value;

    let list = hostile::load(&corpus::repo()).unwrap();
    assert!(list.cases.len() > 90, "{} cases", list.cases.len());
    let dir = std::env::temp_dir().join(format!("changegate-hostile-{}", std::process::id()));
    hostile::write(&list, &dir).unwrap();
    let text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let written: Value = serde_json::from_str(&without_lone_surrogates(&text)).unwrap();
    let cases = written["cases"].as_array().unwrap();
    assert_eq!(cases.len(), list.cases.len());
    for (case, w) in std::iter::once(&list.base)
        .chain(&list.cases)
        .zip(std::iter::once(&written["base"]).chain(cases))
    {
        assert_eq!(w["name"], case.name.as_str());
        let docs: Vec<&Value> = w["policy"]
            .as_array()
            .unwrap()
            .iter()
            .chain([&w["graph"], &w["change"]])
            .collect();
        for (doc, w) in case
            .policy
            .iter()
            .chain([&case.graph, &case.change])
            .zip(docs)
        {
            let bytes = std::fs::read(dir.join(w["file"].as_str().unwrap())).unwrap();
            assert!(bytes == *doc.bytes, "{}: {}", case.name, doc.name);
            assert_eq!(w["raw"], doc.raw, "{}: {}", case.name, doc.name);
            let host: Option<Vec<u16>> = w["text"].as_str().map(|t| t.encode_utf16().collect());
            if doc
                .host
                .as_ref()
                .is_some_and(|u| u.iter().all(|&c| !(0xD800..0xE000).contains(&c)))
            {
                assert_eq!(
                    host.as_ref(),
                    doc.host.as_deref(),
                    "{}: {}",
                    case.name,
                    doc.name
                );
            }
            assert_eq!(
                w["text"].is_null(),
                doc.host.is_none(),
                "{}: {}",
                case.name,
                doc.name
            );
        }
        for fe in FRONT_ENDS {
            assert_eq!(&w["expect"][fe], case.expect(fe), "{}: {fe}", case.name);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
