//! JSON Schemas of every document a front end reads or writes, generated
//! from the Rust types that declare them (`schemas/` holds the published
//! copies; a test fails when they are stale).

use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::Value as Json;

use super::documents::{ChangeDocument, GraphDocument};
use crate::decision::{Decision, ImpactReport};
use crate::error::{ErrorDocument, ErrorReport};
use crate::source::Diagnostic;

fn schema_of<T: JsonSchema>(id: &str, title: &str) -> Json {
    let generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    if let Json::Object(map) = &mut schema {
        map.insert(
            "$id".to_owned(),
            Json::String(format!("https://changegate.dev/schemas/{id}")),
        );
        map.insert("title".to_owned(), Json::String(title.to_owned()));
    }
    schema
}

/// Every schema as `(file name, schema)`, in a fixed order.
pub fn schemas() -> Vec<(&'static str, Json)> {
    vec![
        (
            "graph.schema.json",
            schema_of::<GraphDocument>("graph.schema.json", "changegate graph"),
        ),
        (
            "change.schema.json",
            schema_of::<ChangeDocument>("change.schema.json", "changegate change"),
        ),
        (
            "decision.schema.json",
            schema_of::<Decision>("decision.schema.json", "changegate decision"),
        ),
        (
            "impact.schema.json",
            schema_of::<ImpactReport>("impact.schema.json", "changegate impact report"),
        ),
        (
            "error.schema.json",
            schema_of::<ErrorDocument<'static>>("error.schema.json", "changegate error"),
        ),
        (
            "error-report.schema.json",
            schema_of::<ErrorReport>("error-report.schema.json", "changegate error report"),
        ),
        (
            "diagnostics.schema.json",
            schema_of::<Vec<Diagnostic>>("diagnostics.schema.json", "changegate diagnostics"),
        ),
    ]
}
