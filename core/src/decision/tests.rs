//! Tests of the decision's JSON writer.

use serde::Serialize as _;

/// `Pretty` writes exactly what serde_json's pretty printer writes,
/// nesting deeper than its one-piece indentation included.
#[test]
fn pretty_matches_serde_json() {
    let mut deep = serde_json::json!({"leaf": [1, "two", null, [], {}]});
    for i in 0..40 {
        deep = serde_json::json!({"level": i, "empty": [], "nested": [deep, {"a": {}}]});
    }
    let mut ours = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut ours, super::json::Pretty::default());
    deep.serialize(&mut ser).unwrap();
    let theirs = serde_json::to_string_pretty(&deep).unwrap();
    assert_eq!(String::from_utf8(ours).unwrap(), theirs);
}
