//! Arbitrary bytes as a Backstage catalog. The first byte picks how the rest
//! is read, and with which options: its low bit, as a `.json` API export or
//! as a `catalog-info.yaml`; its next two bits, what a dangling reference
//! does; the next, whether part-of links are edges. The import must give a
//! graph or an input error naming the file, never panic, overflow the stack,
//! hang or blow up (YAML aliases are bounded); and a graph it gives must
//! load as changegate's graph JSON.
#![no_main]

use changegate::import::{self, Adapter, ImportedDocument, Inputs};
use changegate::{Error, Limits, Source, api};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = if mode & 1 == 1 { "entities.json" } else { "catalog-info.yaml" };
    let dangling = ["error", "report", "placeholder", "error"][usize::from((mode >> 1) & 3)];
    let options = json!({"dangling": dangling, "part_of_edges": mode & 8 == 8});
    let mut inputs = Inputs::new();
    inputs.insert(
        "catalog".to_owned(),
        vec![Source {
            name: name.to_owned(),
            text: text.to_owned(),
        }],
    );
    let limits = Limits::default();
    match import::import(Adapter::Backstage, &inputs, &options, &limits) {
        Ok(imported) => {
            let ImportedDocument::Graph(g) = imported.document else {
                panic!("the backstage adapter made something other than a graph");
            };
            let v = serde_json::to_value(&g).expect("a graph document serializes");
            if let Err(e) = api::load_graph_value(&v, &limits) {
                panic!("the engine refuses the imported graph: {e}");
            }
        }
        Err(Error::Input { error, .. }) => {
            assert!(!error.message.is_empty(), "an error without a message");
            assert!(
                error.path.starts_with(name),
                "an error whose path does not name the file: {error:?}"
            );
        }
        Err(e) => panic!("not an input error: {e}"),
    }
});
