//! The checks on small policies: one case per kind of finding, and the
//! choices the split into files must keep (a window that does not build is
//! reported once; the field table gives the types).

use super::names::closest;
use super::*;
use crate::limits::Limits;
use crate::source::Source;

/// The findings on `text`, as `message (help)`, in the order found.
fn findings(text: &str) -> Vec<String> {
    findings_with(text, Limits::default().max_nesting)
}

fn findings_with(text: &str, max_nesting: usize) -> Vec<String> {
    let (items, parsed) = crate::parse::parse_file(0, text, &Limits::default());
    assert!(parsed.is_empty(), "{parsed:?}");
    let map = SourceMap::new(vec![Source {
        name: "p.gate".to_owned(),
        text: text.to_owned(),
    }]);
    match check(&items, &map, max_nesting) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|(_, e)| match e.help() {
                Some(h) => format!("{e} ({h})"),
                None => e.to_string(),
            })
            .collect(),
    }
}

#[test]
fn a_valid_policy_has_no_findings() {
    let ok = r#"
        window freeze = between 2026-12-20T00:00 and 2027-01-02T00:00 in "Europe/Paris"
        window nightly = cron "0 2 * * *" for 2h
        let critical = impacted where node.tier <= 1 and "pii" in node.tags
        rule r {
          when change.type == "normal" and change.duration > 4h
          unless change.requested_by == null
          require approval owner of critical
          require approval "cab" count 2
          require verified backup of dependencies(targets, depth 2) kind "snapshot" within 24h
          require max(critical, node.depth) < 3 else "too deep"
          deny during freeze
          deny outside nightly
          override by "sre"
        }
    "#;
    assert_eq!(findings(ok), Vec::<String>::new());
}

#[test]
fn names_are_defined_once_across_kinds() {
    let found = findings("let a = targets\nwindow a = cron \"0 2 * * *\" for 1h");
    assert_eq!(
        found,
        [
            "`a` is defined twice (the first definition, a set, is at p.gate:1; \
          rules, windows and sets share one namespace, so rename one)"
        ]
    );
}

#[test]
fn unknown_names_get_a_suggestion_or_their_kind() {
    let found = findings(
        "let critical = targets\nwindow w = cron \"0 2 * * *\" for 1h\n\
         rule r { when count(critcal) > 0 require approval owner of w deny during critical }",
    );
    assert_eq!(
        found,
        [
            "unknown set `critcal` (did you mean `critical`?)",
            "unknown set `w` (`w` is a window)",
            "unknown window `critical` (`critical` is a set)",
        ]
    );
}

#[test]
fn a_window_that_does_not_build_is_reported_once() {
    let found = findings(
        "window w = cron \"0 2 * *\" for 1h in \"Europe/Pariss\"\n\
         window z = cron \"0 2 * * *\" for 0s\n\
         rule r { deny during w, z }",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    // The time zone is reported before the cron expression.
    assert!(
        found[0].starts_with("unknown time zone `Europe/Pariss`"),
        "{found:?}"
    );
    assert_eq!(
        found[1],
        "a window's duration must be at least 1s, found `0s`"
    );
}

#[test]
fn sets_built_on_themselves_or_too_deep_are_errors() {
    // One report for each cycle, at the first of its sets.
    let found = findings("let a = b where node.tier == 0\nlet b = dependents(a)");
    assert_eq!(
        found,
        ["set `a` is defined in terms of itself (a set may use other sets, but not itself)"]
    );
    let chain = "let a = targets\nlet b = a\nlet c = b\nlet d = c";
    assert_eq!(findings_with(chain, 4), Vec::<String>::new());
    assert_eq!(
        findings_with(chain, 3),
        [
            "set `d` is built on a chain of 4 sets, more than the limit of 3 \
          (flatten the chain, or raise `Limits::max_nesting`)"
        ]
    );
}

#[test]
fn built_in_fields_have_their_types_and_attributes_none() {
    let found = findings(
        "rule r {\n\
           when change.start > 4h\n\
           when change.targets == \"db\"\n\
           when change.risk > 2 and change.id.x == 1\n\
           require any(targets, node.tier == \"0\") else \"m\"\n\
         }",
    );
    assert_eq!(
        found,
        [
            "cannot compare datetime `change.start` with duration `4h` \
             (values of different types are never equal; compare with a value of the same type)",
            "cannot compare list `change.targets` with string `\"db\"` \
             (values of different types are never equal; compare with a value of the same type)",
            "cannot compare number `node.tier` with string `\"0\"` \
             (write the number without quotes: `0`)",
        ]
    );
}

#[test]
fn conditions_are_booleans_and_node_is_bound_only_in_sets() {
    let found = findings(
        "rule r {\n\
           when not change.type == \"normal\"\n\
           when node.tier == 0\n\
           when change.id or true\n\
           when 1 in change.type\n\
           deny \"no\"\n\
         }",
    );
    assert_eq!(
        found,
        [
            "`not` needs a boolean, found string `change.type` \
             (`not` binds tighter than comparisons: write `not (a == b)`, or `a != b`)",
            "`node` is only defined inside a set filter or a set function \
             (use it in `any(SET, …)`, `all(SET, …)`, `max(SET, …)`, `min(SET, …)` or `SET where …`)",
            "`or` needs a boolean, found string `change.id` \
             (compare it, e.g. `change.x == \"value\"` or `change.x != null`)",
            "`in` needs a list on its right, found string `change.type` \
             (write a list, e.g. `[\"a\", \"b\"]`, or a list field such as `node.tags`)",
        ]
    );
}

#[test]
fn counts_depths_durations_and_groups_are_in_range() {
    let found = findings(
        "rule r {\n\
           require approval \" \" count 0\n\
           require backup of dependents(targets, depth 0) within 0s\n\
           override by \"\"\n\
         }",
    );
    assert_eq!(
        found,
        [
            "group name is empty",
            "an approval count must be at least 1, found `0`",
            "a depth must be at least 1, found `0`",
            "`within` must be at least 1s, found `0s`",
            "group name is empty",
        ]
    );
}

#[test]
fn closest_suggests_only_near_names() {
    let names = ["critical", "freeze", "nightly"];
    assert_eq!(
        closest("critcal", names.iter().copied()).as_deref(),
        Some("critical")
    );
    assert_eq!(closest("weekly", names.iter().copied()), None);
    assert_eq!(closest("x", std::iter::empty()), None);
}
