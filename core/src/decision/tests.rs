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

/// `Decision::to_json` writes what the derived `Serialize` writes through
/// serde_json's pretty printer: the same fields in the same order, and an
/// impact report with ids that need escaping, several targets and depths.
#[test]
fn decision_json_matches_serde_json() {
    let policy = crate::Policy::from_sources([(
        "p.gate",
        "window w = between 2026-01-01T00:00 and 2026-01-02T00:00\n\
         rule r { require approval \"cab\" count 2 }\n\
         rule f { deny during w }\n\
         rule b { require backup of targets kind \"snapshot\" within 1d }\n\
         rule c { require change.plan != null else \"a plan\" }",
    )])
    .unwrap();
    let graph = crate::Graph::from_json(
        r#"{"nodes": [{"id": "a\"q"}, {"id": "b\\s", "depends_on": ["a\"q"]},
            {"id": "c\u0001é", "depends_on": ["b\\s", "d"]}, {"id": "d"},
            {"id": "e", "depends_on": ["c\u0001é"]}]}"#,
    )
    .unwrap();
    for targets in [r#"["a\"q", "d"]"#, r#"["e"]"#] {
        let change = crate::Change::from_json(&format!(
            r#"{{"id": "C\n1", "type": "normal", "targets": {targets}, "requested_by": "me",
                "approvals": [{{"group": "cab", "by": "x"}}],
                "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z"}}"#
        ))
        .unwrap();
        let decision = policy.evaluate(&change, &graph).unwrap();
        let theirs = serde_json::to_string_pretty(&decision).unwrap() + "\n";
        assert_eq!(decision.to_json(), theirs);
        // The report on its own, as `api::impact_json` writes it.
        let alone = serde_json::to_string_pretty(&decision.impact).unwrap() + "\n";
        assert_eq!(decision.impact.to_json(), alone);
    }
}

/// An instant of a decision reads back as the instant it is, and is written
/// as the RFC 3339 UTC text decisions have always carried.
#[test]
fn times_are_written_as_rfc3339_utc() {
    let t: jiff::Timestamp = "2026-12-20T05:30:00+05:00".parse().unwrap();
    let time = super::Time::from(t);
    assert_eq!(time.to_string(), "2026-12-20T00:30:00Z");
    assert_eq!(
        serde_json::to_string(&time).unwrap(),
        "\"2026-12-20T00:30:00Z\""
    );
    let back: super::Time = serde_json::from_str("\"2026-12-20T00:30:00Z\"").unwrap();
    assert_eq!(back, time);
    assert!(time == "2026-12-20T00:30:00Z" && time != "2026-12-20T00:30:00+00:00");
    assert!(serde_json::from_str::<super::Time>("\"tomorrow\"").is_err());
}
