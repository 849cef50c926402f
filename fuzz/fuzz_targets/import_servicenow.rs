//! Arbitrary bytes as ServiceNow Table API exports. The first byte picks the
//! adapter (`servicenow-change` or `servicenow-cmdb`) and its options; the
//! rest, split at NUL bytes, is the input files in role order (change,
//! approvals, affected; or cis, relationships). The import must give a
//! document or an input error whose path names a file or an option, never
//! panic or hang; and what it makes must load: a change as a change, a
//! graph as a graph.
#![no_main]

use changegate::import::{self, Adapter, ImportedDocument, Inputs};
use changegate::{Error, Limits, Source, api};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (adapter, roles) = if first & 1 == 0 {
        (Adapter::ServicenowChange, &["change", "approvals", "affected"][..])
    } else {
        (Adapter::ServicenowCmdb, &["cis", "relationships"][..])
    };
    let options = match (adapter, (first >> 1) & 3) {
        (_, 0) => serde_json::Value::Null,
        (Adapter::ServicenowChange, 1) => json!({"time_zone": "Europe/Berlin"}),
        (Adapter::ServicenowChange, 2) => json!({"ci_ids": "sys_id", "approval_group": "cab"}),
        (Adapter::ServicenowChange, _) => json!({"time_zone": "Australia/Lord_Howe", "fields": ["u_x", "sys_id"]}),
        (_, 1) => json!({"unknown_types": "note", "missing_cis": "note"}),
        (_, 2) => json!({"ci_ids": "sys_id", "owner_field": "owned_by", "tier_field": "u_tier", "tier_base": 0}),
        (_, _) => json!({"relationship_types": {"Feeds::Fed by": "both", "Depends on::Used by": "none"}}),
    };
    let mut inputs = Inputs::new();
    for (i, part) in text.split('\0').enumerate() {
        let Some(role) = roles.get(i) else { break };
        inputs.insert(
            (*role).to_owned(),
            vec![Source {
                name: format!("{role}.json"),
                text: part.to_owned(),
            }],
        );
    }
    let limits = Limits::default();
    match import::import(adapter, &inputs, &options, &limits) {
        Ok(imported) => match &imported.document {
            ImportedDocument::Change(c) => {
                let v = serde_json::to_value(c).expect("a change serializes");
                if let Err(e) = api::read_change(api::ChangeInput::Value(&v), &limits) {
                    panic!("the engine refuses the imported change: {e}\n{v}");
                }
            }
            ImportedDocument::Graph(g) => {
                let v = serde_json::to_value(g).expect("a graph serializes");
                if let Err(e) = api::load_graph_value(&v, &limits) {
                    panic!("the engine refuses the imported graph: {e}\n{v}");
                }
            }
            ImportedDocument::Backups(_) => panic!("a ServiceNow import made backups"),
        },
        Err(Error::Input { error, .. }) => {
            assert!(!error.message.is_empty(), "an error without a message");
            assert!(
                error.path.is_empty()
                    || error.path.starts_with("options")
                    || roles.iter().any(|r| error.path.starts_with(&format!("{r}.json"))),
                "an error path that names no file: {:?}",
                error.path
            );
        }
        Err(e) => panic!("not an input error: {e}"),
    }
});
