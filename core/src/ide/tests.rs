#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use jiff::Timestamp;

use super::*;
use crate::graph::Graph;

const A: &str = "\
window freeze = between 2026-12-19T00:00 and 2027-01-04T00:00 in \"America/New_York\"
window maint = cron \"0 22 * * SAT\" for 6h in \"Europe/Berlin\"
let dbs = impacted where node.kind == \"database\"

rule no_freeze {
  unless change.type == \"emergency\"
  deny during freeze, maint
  because \"holiday change freeze\"
  override by \"cto\"
}
";

const B: &str = "\
rule db_owners {
  when count(dbs) > 0
  require approval owner of dbs
  require verified backup of dbs kind \"snapshot\" within 24h
  require approval \"cab\" count 2
  deny outside maint
}
";

fn now() -> Timestamp {
    "2026-12-01T00:00:00Z".parse().unwrap()
}

fn ws(files: &[(&str, &str)]) -> Workspace {
    Workspace::new(
        files
            .iter()
            .map(|(n, t)| Source {
                name: (*n).to_owned(),
                text: (*t).to_owned(),
            })
            .collect(),
        &Limits::default(),
    )
}

/// The byte offset of the `nth` (from 0) occurrence of `needle` in `text`,
/// plus `plus`.
fn at(text: &str, needle: &str, nth: usize, plus: usize) -> usize {
    text.match_indices(needle).nth(nth).unwrap().0 + plus
}

#[test]
fn definition_crosses_files() {
    let w = ws(&[("a.gate", A), ("b.gate", B)]);
    let use_of_dbs = at(B, "dbs", 1, 1);
    let def = w.definition(1, use_of_dbs).unwrap();
    assert_eq!((def.file, def.start), (0, at(A, "dbs", 0, 0)));
    let use_of_maint = at(B, "maint", 0, 0);
    let def = w.definition(1, use_of_maint).unwrap();
    assert_eq!(
        (def.file, def.start, def.end),
        (0, at(A, "maint", 0, 0), at(A, "maint", 0, 5))
    );
    // A definition leads to itself; off a name, nothing.
    assert_eq!(
        w.definition(0, at(A, "no_freeze", 0, 2)).unwrap().start,
        at(A, "no_freeze", 0, 0)
    );
    assert_eq!(w.definition(0, at(A, "deny", 0, 1)), None);
}

#[test]
fn references_list_every_use_in_order() {
    let w = ws(&[("a.gate", A), ("b.gate", B)]);
    let refs = w.references(0, at(A, "maint", 0, 2), true);
    let got: Vec<(usize, usize)> = refs.iter().map(|p| (p.file, p.start)).collect();
    assert_eq!(
        got,
        vec![
            (0, at(A, "maint", 0, 0)),
            (0, at(A, "maint", 1, 0)),
            (1, at(B, "maint", 0, 0)),
        ]
    );
    let without = w.references(1, at(B, "dbs", 2, 0), false);
    assert_eq!(without.len(), 3);
    assert!(without.iter().all(|p| p.file == 1));
    // A rule is named only where it is defined.
    assert_eq!(w.references(1, at(B, "db_owners", 0, 0), true).len(), 1);
}

#[test]
fn hover_on_a_window_lists_its_next_occurrences_in_its_zone_and_utc() {
    let w = ws(&[("a.gate", A), ("b.gate", B)]);
    let h = w.hover(1, at(B, "maint", 0, 1), now()).unwrap();
    assert_eq!(h.place.file, 1);
    let md = &h.markdown;
    assert!(
        md.contains("window maint = cron \"0 22 * * SAT\" for 6h in \"Europe/Berlin\""),
        "{md}"
    );
    assert!(md.contains("Defined at `a.gate:2`."), "{md}");
    assert!(
        md.contains("Next occurrences from 2026-12-01 00:00 UTC:"),
        "{md}"
    );
    assert!(
        md.contains("- Sat 2026-12-05 22:00 → Sun 2026-12-06 04:00 Europe/Berlin (2026-12-05 21:00 → 2026-12-06 03:00 UTC)"),
        "{md}"
    );
    assert_eq!(md.matches("\n- ").count(), 5, "{md}");
    // The one occurrence of a `between` window, and none after it ended.
    let h = w.hover(0, at(A, "freeze", 0, 0), now()).unwrap();
    assert!(h.markdown.contains("- Sat 2026-12-19 00:00 → Mon 2027-01-04 00:00 America/New_York (2026-12-19 05:00 → 2027-01-04 05:00 UTC)"), "{}", h.markdown);
    let later: Timestamp = "2027-02-01T00:00:00Z".parse().unwrap();
    let h = w.hover(0, at(A, "freeze", 0, 0), later).unwrap();
    assert!(
        h.markdown
            .ends_with("No occurrence from 2027-02-01 00:00 UTC."),
        "{}",
        h.markdown
    );
}

#[test]
fn hover_on_a_rule_says_what_it_requires() {
    let w = ws(&[("a.gate", A), ("b.gate", B)]);
    let md = w
        .hover(1, at(B, "db_owners", 0, 3), now())
        .unwrap()
        .markdown;
    for line in [
        "Applies when `count(dbs) > 0`.",
        "- requires an approval from the owner group of every node of `dbs`",
        "- requires a completed, verified backup of kind `snapshot` of every node of `dbs`, taken at most 24h before the start",
        "- requires 2 approvals from distinct people of group `cab`",
        "- denies a change that does not lie wholly inside one occurrence of `maint`",
    ] {
        assert!(md.contains(line), "{line} not in:\n{md}");
    }
    let md = w
        .hover(0, at(A, "no_freeze", 0, 0), now())
        .unwrap()
        .markdown;
    for line in [
        "Applies unless `change.type == \"emergency\"`.",
        "- denies a change that overlaps an occurrence of `freeze`, `maint`",
        "Because: holiday change freeze",
        "May be overridden by `cto`.",
    ] {
        assert!(md.contains(line), "{line} not in:\n{md}");
    }
}

#[test]
fn hover_on_a_let_and_on_keywords() {
    let w = ws(&[("a.gate", A), ("b.gate", B)]);
    let md = w.hover(1, at(B, "dbs", 0, 0), now()).unwrap().markdown;
    assert!(
        md.contains("let dbs = impacted where node.kind == \"database\""),
        "{md}"
    );
    let h = w.hover(0, at(A, "during", 0, 2), now()).unwrap();
    assert!(
        h.markdown.starts_with("**during**: `deny during W1, W2`"),
        "{}",
        h.markdown
    );
    assert_eq!(h.place.end - h.place.start, "during".len());
    // The first field of a path: built in, or an attribute.
    let md = w.hover(0, at(A, "type", 0, 1), now()).unwrap().markdown;
    assert_eq!(
        md,
        "**change.type** (string): `standard`, `normal` or `emergency`"
    );
    let md = w.hover(0, at(A, "kind", 0, 0), now()).unwrap().markdown;
    assert_eq!(
        md,
        "**node.kind** (string): what the node is, e.g. `database`, or `null`"
    );
    let p = ws(&[(
        "p.gate",
        "rule r { when change.risk == \"high\" deny \"x\" }\n",
    )]);
    let md = p.hover(0, 23, now()).unwrap().markdown;
    assert!(
        md.starts_with("**change.risk**: the change's attribute `risk`"),
        "{md}"
    );
    // Not in a string or a comment.
    assert_eq!(w.hover(0, at(A, "emergency", 0, 1), now()), None);
    let c = ws(&[("c.gate", "# rule in a comment\nrule r { deny \"x\" }\n")]);
    assert_eq!(c.hover(0, 3, now()), None);
    // An undefined name says so.
    let d = ws(&[("d.gate", "rule r { deny during nowhere }\n")]);
    let h = d.hover(0, 22, now()).unwrap();
    assert_eq!(h.markdown, "`nowhere` is not defined in this policy set");
}

#[test]
fn names_are_found_in_a_file_with_syntax_errors() {
    let broken =
        "window w = cron \"0 1 * * *\" for 1h\nrule bad { when }\nrule good { deny during w }\n";
    let w = ws(&[("x.gate", broken)]);
    let d = w.diagnostics(0, &opts());
    assert!(!d.is_empty());
    assert!(
        d.iter()
            .all(|d| d.severity == IdeSeverity::Error && d.lint.is_none())
    );
    let def = w.definition(0, at(broken, "w }", 0, 0)).unwrap();
    assert_eq!(def.start, at(broken, "w =", 0, 0));
    // Formatting leaves a file with syntax errors alone.
    assert_eq!(w.format(0), None);
}

#[test]
fn diagnostics_are_compile_errors_of_the_file_or_its_findings() {
    let w = ws(&[
        ("a.gate", "rule r { deny during nope }\n"),
        (
            "b.gate",
            "rule s { deny \"x\" }\nrule s2 { deny during also_nope }\n",
        ),
    ]);
    let a = w.diagnostics(0, &opts());
    assert_eq!(a.len(), 1, "{a:?}");
    assert!(a[0].message.contains("nope"), "{a:?}");
    assert_eq!(w.diagnostics(1, &opts()).len(), 1);
    // A file without errors in a set that does not compile says why it
    // is not linted.
    let w = ws(&[
        ("a.gate", "rule r { deny during nope }\n"),
        ("b.gate", "let unused = targets\n"),
    ]);
    let b = w.diagnostics(1, &opts());
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].severity, IdeSeverity::Info);
    assert_eq!((b[0].place.start, b[0].place.end), (0, 0));
    assert_eq!(
        b[0].message,
        "the policy set does not compile, so it is not linted: 1 error in other files, the first at `a.gate:1:22`: unknown window `nope`"
    );
    let src = "let unused = targets\nrule r { deny \"x\" }\n";
    let w = ws(&[("c.gate", src)]);
    let d = w.diagnostics(0, &opts());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].lint.as_deref(), Some("unused-let"));
    assert_eq!(d[0].severity, IdeSeverity::Warning);
    assert_eq!((d[0].place.start, d[0].place.end), (4, 10));
}

#[test]
fn the_fix_allows_the_finding_and_the_lint_then_agrees() {
    let src = "rule r { deny \"x\" }\n  let unused = targets\n";
    let w = ws(&[("c.gate", src)]);
    let fixes = w.fixes(0, 27, 27, &opts());
    assert_eq!(fixes.len(), 1);
    let f = &fixes[0];
    assert_eq!(f.lint, "unused-let");
    assert_eq!(f.edit.new_text, "  # changegate: allow(unused-let)\n");
    let mut fixed = src.to_owned();
    fixed.insert_str(f.edit.place.start, &f.edit.new_text);
    assert_eq!(
        fixed,
        "rule r { deny \"x\" }\n  # changegate: allow(unused-let)\n  let unused = targets\n"
    );
    assert!(ws(&[("c.gate", &fixed)]).diagnostics(0, &opts()).is_empty());
    // Away from the finding, no fix.
    assert!(w.fixes(0, 0, 3, &opts()).is_empty());
}

#[test]
fn format_is_one_edit_of_the_whole_file() {
    let src = "rule   r {deny \"x\"}";
    let w = ws(&[("c.gate", src)]);
    let e = w.format(0).unwrap();
    assert_eq!((e.place.start, e.place.end), (0, src.len()));
    assert_eq!(e.new_text, crate::api::format(&w.sources()[0]).unwrap());
    let w = ws(&[("c.gate", &e.new_text)]);
    assert_eq!(w.format(0).unwrap().new_text, e.new_text);
}

fn labels(c: &[Completion]) -> Vec<&str> {
    c.iter().map(|c| c.label.as_str()).collect()
}

#[test]
fn completion_by_context() {
    let graph = Graph::from_json(
        r#"{"nodes": [{"id": "a", "attributes": {"region": "eu", "cost-center": "x"}}, {"id": "b", "attributes": {"region": "us", "tier": 1}}]}"#,
    )
    .unwrap();
    let src = "window w1 = cron \"0 1 * * *\" for 1h\nwindow w2 = cron \"0 2 * * *\" for 1h\nlet s = targets\nrule r {\n  when change.ty\n  when any(s, node.\n  deny during w1, \n  deny outside w\n}\nr";
    let w = ws(&[("c.gate", src)]);
    let c = w.completions(0, at(src, "change.ty", 0, 9), None);
    assert_eq!(labels(&c), ["type"]);
    assert_eq!(c[0].kind, CompletionKind::Field);
    let c = w.completions(0, at(src, "node.", 0, 5), Some(&graph));
    assert_eq!(
        labels(&c),
        [
            "cost-center",
            "depth",
            "id",
            "kind",
            "owner",
            "region",
            "tags",
            "tier"
        ]
    );
    let c = w.completions(0, at(src, "w1, ", 0, 4), None);
    assert_eq!(labels(&c), ["w1", "w2"]);
    let c = w.completions(0, at(src, "outside w", 0, 9), None);
    assert_eq!(labels(&c), ["w1", "w2"]);
    // At the margin outside a rule: the item keywords.
    assert_eq!(labels(&w.completions(0, src.len(), None)), ["rule"]);
    // Elsewhere: names, then keywords.
    let c = w.completions(0, at(src, "when any", 0, 2), None);
    assert_eq!(labels(&c), ["when", "where"]);
    let c = w.completions(0, at(src, "any(s", 0, 4), None);
    assert!(
        labels(&c).starts_with(&["w1", "w2", "s", "all", "and", "any"]),
        "{:?}",
        labels(&c)
    );
}

#[test]
fn queries_never_fail_on_offsets_out_of_range() {
    let text = "rule r { deny \"é\" }";
    let w = ws(&[("c.gate", text)]);
    for offset in [0, 15, 16, text.len(), text.len() + 1, usize::MAX] {
        let _ = w.hover(0, offset, now());
        let _ = w.definition(0, offset);
        let _ = w.references(0, offset, true);
        let _ = w.completions(0, offset, None);
        let _ = w.fixes(0, offset, offset, &opts());
    }
    assert_eq!(w.hover(7, 0, now()), None);
    assert!(w.diagnostics(7, &opts()).is_empty());
    assert_eq!(w.format(7), None);
}

/// Lint options as the server gives them: the window lints from `now()`.
fn opts() -> crate::lint::LintOptions<'static> {
    crate::lint::LintOptions {
        at: Some(now()),
        ..Default::default()
    }
}

#[test]
fn an_unused_allow_is_fixed_by_removing_its_name_or_its_comment() {
    let text = "\
let a = targets # changegate: allow(unused-let, empty-else-message)
# changegate: allow(empty-else-message)
rule r {
  require approval \"cab\"
}
";
    let w = ws(&[("a.gate", text)]);
    let apply = |at: usize| {
        let fixes = w.fixes(0, at, at, &opts());
        assert_eq!(fixes.len(), 1, "{fixes:?}");
        let e = &fixes[0].edit;
        assert_eq!(fixes[0].lint, "unused-allow");
        let mut out = text.to_owned();
        out.replace_range(e.place.start..e.place.end, &e.new_text);
        out
    };
    let second = text.find("empty-else-message)").unwrap();
    assert_eq!(
        apply(second).lines().next(),
        Some("let a = targets # changegate: allow(unused-let)")
    );
    let own_line = text.rfind("empty-else-message").unwrap();
    let fixed = apply(own_line);
    assert!(
        !fixed.contains("# changegate: allow(empty-else-message)\n"),
        "{fixed}"
    );
    assert!(fixed.contains("\nrule r {"));
    // Both applied, nothing is left to find.
    let both = apply(own_line).replace(", empty-else-message", "");
    assert!(ws(&[("a.gate", &both)]).diagnostics(0, &opts()).is_empty());
}
