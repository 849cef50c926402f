//! JSON Schemas of every document a front end reads or writes, generated
//! from the Rust types that declare them (`schemas/` holds the published
//! copies; a test fails when they are stale).

use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::Value as Json;

use super::documents::{ChangeDocument, GraphDocument};
use crate::decision::{Decision, ImpactReport};
use crate::error::{ErrorDocument, ErrorReport};
use crate::source::Diagnostic;

/// The schema of what the engine reads: optional fields may be absent.
fn input<T: JsonSchema>(id: &str, title: &str) -> Json {
    schema_of::<T>(SchemaSettings::draft2020_12().for_deserialize(), id, title)
}

/// The schema of what the engine writes: every field is present, `null`
/// where it has no value.
fn output<T: JsonSchema>(id: &str, title: &str) -> Json {
    schema_of::<T>(SchemaSettings::draft2020_12().for_serialize(), id, title)
}

fn schema_of<T: JsonSchema>(settings: SchemaSettings, id: &str, title: &str) -> Json {
    let generator = SchemaGenerator::new(settings);
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
    type Make = fn(&str, &str) -> Json;
    let all: [(&'static str, &str, Make); 18] = [
        (
            "graph.schema.json",
            "changegate graph",
            input::<GraphDocument>,
        ),
        (
            "change.schema.json",
            "changegate change",
            input::<ChangeDocument>,
        ),
        (
            "decision.schema.json",
            "changegate decision",
            output::<Decision>,
        ),
        (
            "impact.schema.json",
            "changegate impact report",
            output::<ImpactReport>,
        ),
        (
            "error.schema.json",
            "changegate error",
            output::<ErrorDocument<'static>>,
        ),
        (
            "error-report.schema.json",
            "changegate error report",
            output::<ErrorReport>,
        ),
        (
            "limits.schema.json",
            "changegate limits",
            input::<crate::Limits>,
        ),
        (
            "diagnostics.schema.json",
            "changegate diagnostics",
            output::<Vec<Diagnostic>>,
        ),
        (
            "import-request.schema.json",
            "changegate import request",
            input::<super::ImportRequest>,
        ),
        (
            "imported.schema.json",
            "changegate import result",
            output::<super::Imported<super::ImportedDocument>>,
        ),
        (
            "servicenow-change-options.schema.json",
            "changegate servicenow-change options",
            input::<crate::import::servicenow::ServiceNowChangeOptions>,
        ),
        (
            "servicenow-cmdb-options.schema.json",
            "changegate servicenow-cmdb options",
            input::<crate::import::servicenow::ServiceNowCmdbOptions>,
        ),
        (
            "backstage-options.schema.json",
            "changegate backstage options",
            input::<crate::import::backstage::BackstageOptions>,
        ),
        (
            "backup-options.schema.json",
            "changegate velero and aws-backup options",
            input::<crate::import::backup::BackupOptions>,
        ),
        (
            "findings.schema.json",
            "changegate lint findings",
            output::<Vec<crate::lint::Finding>>,
        ),
        (
            "lint-request.schema.json",
            "changegate lint request",
            input::<super::LintRequestDocument>,
        ),
        (
            "test-file.schema.json",
            "changegate test file",
            input::<crate::testing::TestFile>,
        ),
        (
            "test-report.schema.json",
            "changegate test report",
            output::<crate::testing::TestReport>,
        ),
    ];
    all.into_iter()
        .map(|(file, title, make)| (file, make(file, title)))
        .collect()
}
