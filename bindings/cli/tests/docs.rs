//! Runs the worked examples of the docs as they are written, so that a page
//! whose commands, inputs or outputs no longer match the program fails:
//! every page of `docs/sources/` and the sections *Formatting policies*,
//! *Linting policies* and *Records of other tools* of this crate's README.
//!
//! In a fenced block, `$ cd DIR` (from the repository's root) sets the
//! folder of the commands after it on the page, and `$ changegate ARGS` is
//! run there. Its expected output is the rest of its block, or, when there
//! is none, the next fenced block: JSON is compared as JSON (a page may lay
//! it out compactly), text byte for byte with what a terminal shows
//! (stderr's notes, then stdout). A file shown before a command under a
//! line such as `` `change_request.json`: `` must be that file of the
//! command's folder (as JSON, or byte for byte).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a failing test should stop loudly; clippy's test allowances skip the helper functions"
)]

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

mod common;
use common::*;

/// A fenced block: its first line's number and its lines.
struct Block {
    line: usize,
    lines: Vec<String>,
    /// The paragraph line just before it (for `` `FILE`: ``).
    caption: String,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    let mut last_text = String::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => {
                    current = Some(Block {
                        line: i + 1,
                        lines: Vec::new(),
                        caption: std::mem::take(&mut last_text),
                    });
                }
            }
        } else if let Some(block) = &mut current {
            block.lines.push(line.to_owned());
        } else if !line.trim().is_empty() {
            line.trim().clone_into(&mut last_text);
        }
    }
    out
}

/// Splits a command line as a POSIX shell would for these examples: single
/// and double quotes, backslash escapes in double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        c => word.push(c),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// A file shown under `` `NAME`: `` (or `` `NAME` (…): ``), if NAME looks
/// like a file.
fn shown_file(caption: &str) -> Option<&str> {
    let rest = caption.strip_prefix('`')?;
    let name = &rest[..rest.find('`')?];
    let is_file = [".json", ".yaml", ".yml", ".gate", ".toml"]
        .iter()
        .any(|e| name.ends_with(e));
    (is_file && caption.ends_with(':') && !name.contains(' ')).then_some(name)
}

fn same(expected: &str, got: &str) -> bool {
    match (
        serde_json::from_str::<Value>(expected),
        serde_json::from_str::<Value>(got),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => expected.trim_end() == got.trim_end(),
    }
}

/// Runs the examples of `text` (named `page`); returns how many commands
/// ran, and the failures.
fn run_page(page: &str, text: &str) -> (usize, Vec<String>) {
    let blocks = blocks(text);
    let mut failures = Vec::new();
    let mut dir = repo();
    let mut ran = 0;
    let mut shown: Vec<(usize, String, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        i += 1;
        if let Some(name) = shown_file(&block.caption) {
            shown.push((block.line, name.to_owned(), block.lines.clone()));
        }
        // Join continued lines.
        let mut lines: Vec<String> = Vec::new();
        for line in &block.lines {
            match lines.last_mut() {
                Some(last) if last.ends_with('\\') => {
                    last.pop();
                    last.push_str(line.trim_start());
                }
                _ => lines.push(line.clone()),
            }
        }
        let mut j = 0;
        while j < lines.len() {
            let Some(command) = lines[j].strip_prefix("$ ") else {
                j += 1;
                continue;
            };
            j += 1;
            let mut command = command.to_owned();
            if let Some(rest) = command.strip_prefix("cd ") {
                let (target, then) = match rest.split_once(" && ") {
                    Some((t, then)) => (t.trim().to_owned(), Some(then.to_owned())),
                    None => (rest.trim().to_owned(), None),
                };
                dir = repo().join(target);
                match then {
                    Some(then) => command = then,
                    None => continue,
                }
            }
            let args = words(&command);
            if args.first().map(String::as_str) != Some("changegate") {
                continue;
            }
            // The files shown before it are the files it reads.
            for (line, name, content) in shown.drain(..) {
                let actual = std::fs::read_to_string(dir.join(&name)).unwrap_or_default();
                if !same(&(content.join("\n") + "\n"), &actual) {
                    failures.push(format!(
                        "{page}:{line}: `{name}` is not {}",
                        dir.join(&name).display()
                    ));
                }
            }
            // Its output: the rest of the block, or the next block.
            let mut expected: Vec<String> = Vec::new();
            while j < lines.len() && !lines[j].starts_with("$ ") {
                expected.push(lines[j].clone());
                j += 1;
            }
            if expected.iter().all(|l| l.trim().is_empty()) {
                match blocks.get(i) {
                    Some(next) => {
                        expected.clone_from(&next.lines);
                        i += 1;
                    }
                    None => {
                        failures.push(format!("{page}:{}: no output shown", block.line));
                        continue;
                    }
                }
            }
            let expected = expected.join("\n") + "\n";
            let out = Command::new(BIN)
                .current_dir(&dir)
                .args(&args[1..])
                .env_remove("CLICOLOR_FORCE")
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .output()
                .unwrap();
            ran += 1;
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let as_json = serde_json::from_str::<Value>(&expected).is_ok();
            let got = if as_json {
                stdout.to_string()
            } else {
                format!("{stderr}{stdout}")
            };
            if !same(&expected, &got) {
                failures.push(format!(
                    "{page}:{}: `{command}` (in {}) printed\n{got}{}\n--- the page shows\n{expected}",
                    block.line,
                    dir.display(),
                    if as_json { format!("--- stderr\n{stderr}") } else { String::new() },
                ));
            }
        }
    }
    for (line, name, _) in shown {
        failures.push(format!(
            "{page}:{line}: `{name}` is shown, but no command after it reads it"
        ));
    }
    (ran, failures)
}

#[test]
fn the_source_pages_worked_examples_run_as_written() {
    let dir = repo().join("docs/sources");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 3, "docs/sources/ not found");
    let mut failures = Vec::new();
    for page in pages {
        let name = page.strip_prefix(repo()).unwrap().display().to_string();
        let (ran, mut failed) = run_page(&name, &std::fs::read_to_string(&page).unwrap());
        if ran == 0 {
            failed.push(format!("{name}: no `$ changegate` example was run"));
        }
        failures.extend(failed);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_readmes_examples_of_records_run_as_written() {
    let readme = std::fs::read_to_string(repo().join("bindings/cli/README.md")).unwrap();
    let start = readme
        .find("\n## Records of other tools")
        .expect("the README's section *Records of other tools*");
    let section = &readme[start + 1..];
    let end = section.find("\n## ").map_or(section.len(), |e| e + 1);
    let (ran, failures) = run_page("bindings/cli/README.md", &section[..end]);
    assert!(ran >= 2, "the README's import examples were not found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_readmes_formatting_example_runs_as_written() {
    let readme = std::fs::read_to_string(repo().join("bindings/cli/README.md")).unwrap();
    let start = readme
        .find("\n## Formatting policies")
        .expect("the README's section *Formatting policies*");
    let section = &readme[start + 1..];
    let end = section.find("\n## ").map_or(section.len(), |e| e + 1);
    let (ran, failures) = run_page("bindings/cli/README.md", &section[..end]);
    assert_eq!(ran, 1, "the README's fmt example was not found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_readmes_lint_example_runs_as_written() {
    let readme = std::fs::read_to_string(repo().join("bindings/cli/README.md")).unwrap();
    let start = readme
        .find("\n## Linting policies")
        .expect("the README's section *Linting policies*");
    let section = &readme[start + 1..];
    let end = section.find("\n## ").map_or(section.len(), |e| e + 1);
    let (ran, failures) = run_page("bindings/cli/README.md", &section[..end]);
    assert_eq!(ran, 3, "the README's lint examples were not all found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_testing_examples_run_as_written() {
    let readme = std::fs::read_to_string(repo().join("bindings/cli/README.md")).unwrap();
    let start = readme
        .find("\n## Testing policies")
        .expect("the README's section *Testing policies*");
    let section = &readme[start + 1..];
    let end = section.find("\n## ").map_or(section.len(), |e| e + 1);
    let (ran, failures) = run_page("bindings/cli/README.md", &section[..end]);
    assert!(ran >= 1, "the README's test example was not found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let page = std::fs::read_to_string(repo().join("docs/testing.md")).unwrap();
    let (ran, failures) = run_page("docs/testing.md", &page);
    assert!(ran >= 1, "docs/testing.md's examples were not found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn words_split_as_a_shell_does() {
    assert_eq!(
        words(r#"changegate import x --options '{"a": 1}' "b \"c\"" d"#),
        [
            "changegate",
            "import",
            "x",
            "--options",
            r#"{"a": 1}"#,
            r#"b "c""#,
            "d"
        ]
    );
}
