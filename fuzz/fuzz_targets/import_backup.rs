//! Arbitrary bytes as a backup tool's records, read by the `velero` or the
//! `aws-backup` adapter (the first byte chooses) against a fixed graph.
//! Importing must give backups or an error, never panic, overflow the stack
//! or hang; and every backup made must name a node of the graph and load,
//! as a change's `backups`, exactly as the engine reads a change.
#![no_main]

use changegate::Limits;
use changegate::import::{self, Adapter, ImportedDocument, Inputs};
use changegate::source::Source;
use libfuzzer_sys::fuzz_target;

const GRAPH: &str = r#"{"nodes": [
  {"id": "pay", "attributes": {"backup_id": ["velero:payments", "velero:ops"]}},
  {"id": "db", "attributes": {"backup_id": ["rds:orders-db",
    "arn:aws:rds:eu-west-1:123456789012:db:orders-db"]}},
  {"id": "vol", "attributes": {"backup_id": "ebs:vol-0a1b2c3d4e5f67890"}},
  {"id": "web"}
]}"#;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let adapter = if first % 2 == 0 {
        Adapter::Velero
    } else {
        Adapter::AwsBackup
    };
    let mut inputs = Inputs::new();
    inputs.insert("records".to_owned(), vec![source("records.json", text)]);
    inputs.insert("graph".to_owned(), vec![source("graph.json", GRAPH)]);
    let Ok(imported) = import::import(
        adapter,
        &inputs,
        &serde_json::Value::Null,
        &Limits::default(),
    ) else {
        return;
    };
    let ImportedDocument::Backups(backups) = imported.document else {
        panic!("a backup adapter made something else");
    };
    for b in &backups {
        assert!(
            ["pay", "db", "vol"].contains(&b.resource.as_str()),
            "a backup of `{}`, which lists no backup id",
            b.resource
        );
    }
    let change = serde_json::json!({
        "id": "CHG1", "type": "normal", "targets": ["web"],
        "start": "2026-12-22T14:00:00Z", "end": "2026-12-22T15:00:00Z",
        "backups": backups,
    });
    let c = changegate::Change::from_value(&change).expect("the backups made load in a change");
    assert_eq!(c.backups.len(), backups.len());
});

fn source(name: &str, text: &str) -> Source {
    Source {
        name: name.to_owned(),
        text: text.to_owned(),
    }
}
