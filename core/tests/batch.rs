//! `api::evaluate_many` against `api::evaluate`, one change at a time, on
//! the decision corpus (`corpus/manifest.json`): for each case with a
//! policy and a graph, its own change as text, the next case's change of
//! its folder as a value (often naming targets its graph lacks, or failing
//! to read), decided as one batch, must give change
//! by change and in order the bytes of the sequential decision or error,
//! on two threads. (Every pair of folder cases would be the
//! stronger test, but takes minutes unoptimised.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use changegate::api::{self, ChangeInput};
use changegate::{Decision, Error, Limits, Policy};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn shown(result: &Result<Decision, Error>) -> String {
    match result {
        Ok(decision) => decision.to_json(),
        Err(e) => e.to_json(),
    }
}

/// A case's change, as text and as a value (when the text is JSON).
struct Change {
    text: String,
    value: Option<Value>,
}

impl Change {
    fn as_value(&self) -> ChangeInput<'_> {
        match &self.value {
            Some(value) => ChangeInput::Value(value),
            None => ChangeInput::Text(&self.text),
        }
    }
}

#[test]
fn a_batch_decides_as_each_change_alone() {
    let manifest: Value = serde_json::from_str(include_str!("corpus/manifest.json")).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    // The changes of each folder of cases (`corpus/deny`, ...).
    let mut folders: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    let mut runnable = Vec::new();
    for entry in cases {
        let dir = entry["dir"].as_str().unwrap();
        let folder = Path::new(dir).parent().unwrap().display().to_string();
        let Ok((graph, text)) = changegate_testkit::corpus::documents(&repo(), entry) else {
            continue;
        };
        let value = serde_json::from_str(&text).ok();
        folders
            .entry(folder.clone())
            .or_default()
            .push(Change { text, value });
        let at = folders[&folder].len() - 1;
        runnable.push((entry, folder, at, graph));
    }
    let (mut batches, mut decided, mut errors) = (0, 0, 0);
    for (entry, folder, at, graph_text) in runnable {
        let dir = repo().join(entry["dir"].as_str().unwrap());
        let paths: Vec<&str> = entry["policy"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        let limits = Limits::default();
        let Ok(sources) = changegate::load_sources_in(&dir, &paths) else {
            continue;
        };
        let Ok(policy) = Policy::compile(sources, &limits) else {
            continue;
        };
        let Ok(graph) = api::load_graph(&graph_text, &limits) else {
            continue;
        };
        let changes = &folders[&folder];
        let (own, next) = (&changes[at], &changes[(at + 1) % changes.len()]);
        let inputs = [ChangeInput::Text(&own.text), next.as_value()];
        let alone: Vec<String> = inputs
            .iter()
            .map(|c| shown(&api::evaluate(&policy, *c, &graph)))
            .collect();
        // Two threads (this machine's cores); the scheduling over 0, 1, 2 and
        // more threads is the unit tests' (`api::batch`).
        let threads = 2;
        let batch: Vec<String> = api::evaluate_many(&policy, &inputs, &graph, threads)
            .iter()
            .map(shown)
            .collect();
        assert_eq!(batch.len(), alone.len());
        for (i, (b, a)) in batch.iter().zip(&alone).enumerate() {
            assert_eq!(
                b,
                a,
                "{}: change {i} of {folder}, {threads} threads",
                dir.display()
            );
        }
        // `evaluate_json` is `evaluate` written as JSON, so the text
        // input's sequential bytes are the reference.
        let json = api::evaluate_many_json(&policy, &[own.text.as_str()], &graph, 2);
        assert_eq!(json.len(), 1);
        let json = json.into_iter().map(|r| r.unwrap_or_else(|e| e.to_json()));
        assert!(json.eq([alone[0].clone()]), "{}: as JSON", dir.display());
        batches += 1;
        decided += alone.iter().filter(|s| !s.contains("\"error\"")).count();
        errors += alone.iter().filter(|s| s.contains("\"error\"")).count();
    }
    // The batches must be many, and hold both decisions and errors in place.
    assert!(batches > 150, "only {batches} batches ran");
    eprintln!("{batches} batches, {decided} decisions, {errors} errors");
    assert!(
        decided > 200 && errors > 50,
        "{decided} decisions, {errors} errors"
    );
}
