//! The formatter's cases, read by every front end: each folder below
//! `core/tests/fmt/` holds `input.gate` and either `output.gate`, what
//! formatting gives (formatting it again must give it unchanged), or
//! `error.json`, the error. `CHANGEGATE_BLESS=1` rewrites the expected files.

use std::path::Path;

use changegate::Source;
use changegate::api;

#[test]
fn every_fmt_case_gives_its_expected_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fmt");
    let bless = std::env::var_os("CHANGEGATE_BLESS").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "the fmt cases are missing");
    let mut failures = Vec::new();
    for case in cases {
        let source = Source {
            name: "input.gate".to_owned(),
            text: std::fs::read_to_string(case.join("input.gate")).unwrap(),
        };
        let (file, got) = match api::format(&source) {
            Ok(text) => {
                let again = api::format(&Source {
                    name: source.name.clone(),
                    text: text.clone(),
                });
                let again = again.unwrap_or_else(|e| panic!("{}: {e}", case.display()));
                assert_eq!(again, text, "{}: not idempotent", case.display());
                ("output.gate", text)
            }
            Err(e) => ("error.json", e.to_json()),
        };
        let other = if file == "output.gate" {
            "error.json"
        } else {
            "output.gate"
        };
        if bless {
            std::fs::write(case.join(file), &got).unwrap();
            let _ = std::fs::remove_file(case.join(other));
            continue;
        }
        match std::fs::read_to_string(case.join(file)) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{}: {file} differs\n--- want\n{want}\n--- got\n{got}",
                case.display()
            )),
            Err(_) => failures.push(format!(
                "{}: gives {file}, which is missing",
                case.display()
            )),
        }
    }
    if !failures.is_empty() {
        panic!(
            "{}\n(CHANGEGATE_BLESS=1 rewrites them)",
            failures.join("\n\n")
        );
    }
}
