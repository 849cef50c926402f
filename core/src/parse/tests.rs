use super::literal::parse_duration;
use super::*;
use crate::ast::EffectKind;
use crate::ast::{BinOp, ExprKind};
use crate::source::SourceMap;

fn parse(text: &str) -> (Vec<Item>, Vec<String>) {
    let (items, errors) = parse_file(0, text, &Limits::default());
    let map = SourceMap::new(vec![crate::source::Source {
        name: "t.gate".into(),
        text: text.into(),
    }]);
    let errs = errors
        .into_iter()
        .map(|(span, e)| map.diagnostic(span, e.to_string(), e.help()).to_string())
        .collect();
    (items, errs)
}

const SPEC_EXAMPLE: &str = r#"
# named time windows
window holiday_freeze = between 2026-12-20T00:00 and 2027-01-04T00:00 in "America/New_York"
window quarter_close  = cron "0 0 25 3,6,9,12 *" for 7d in "UTC"
window maintenance    = cron "0 22 * * SAT" for 6h in "Europe/Berlin"

let critical = impacted where node.tier <= 1

rule tier0_needs_cab {
  when any(impacted, node.tier == 0)
  require approval "cab" count 2
  because "tier-0 systems are in the blast radius"
}

rule schema_backup {
  when change.category == "database" and "schema" in change.tags
  require verified backup of targets where node.kind == "database" kind "snapshot" within 24h
}

rule freeze {
  unless change.type == "emergency"
  deny during holiday_freeze, quarter_close
  override by "cto", "vp-eng"
}

rule owners_sign_off {
  when count(critical) > 0
  require approval owner of critical
}

rule customer_facing_in_window {
  when any(targets, "customer-facing" in node.tags)
  deny outside maintenance
}

rule backout_plan {
  require change.backout_plan != null else "a backout plan is required"
}
"#;

#[test]
fn the_spec_example_parses() {
    let (items, errs) = parse(SPEC_EXAMPLE);
    assert_eq!(errs, Vec::<String>::new());
    assert_eq!(items.len(), 10);
    let Item::Rule(r) = &items[5] else {
        panic!("not a rule")
    };
    assert_eq!(r.name.name, "schema_backup");
    let EffectKind::Backup {
        verified,
        kind,
        within,
        ..
    } = &r.effects[0].kind
    else {
        panic!("not a backup")
    };
    assert!(verified);
    assert_eq!(kind.as_ref().map(|k| k.value.as_str()), Some("snapshot"));
    assert_eq!(within.value.as_secs(), 86_400);
    let Item::Rule(freeze) = &items[6] else {
        panic!()
    };
    assert_eq!(freeze.override_by.as_ref().map(Vec::len), Some(2));
}

#[test]
fn precedence_is_not_then_comparison_then_and_then_or() {
    let (items, errs) =
        parse("rule r { when not change.a == 1 or change.b and change.c require approval \"x\" }");
    assert!(errs.is_empty(), "{errs:?}");
    let Item::Rule(r) = &items[0] else { panic!() };
    let ExprKind::Logic {
        op: BinOp::Or,
        operands,
    } = &r.when[0].kind
    else {
        panic!("{:?}", r.when[0])
    };
    let ExprKind::Binary {
        op: BinOp::Eq,
        lhs: not,
        ..
    } = &operands[0].kind
    else {
        panic!()
    };
    assert!(matches!(not.kind, ExprKind::Not(_)));
    assert!(matches!(
        operands[1].kind,
        ExprKind::Logic { op: BinOp::And, .. }
    ));
}

#[test]
fn every_broken_item_is_reported_and_good_ones_kept() {
    let text = "rule a {\n  when change.x ==\n  require approval \"cab\"\n}\n\nwindow w = cron \"* * * * *\" for 1h\n\nrule b {\n  requir approval \"x\"\n}\n";
    let (items, errs) = parse(text);
    assert_eq!(items.len(), 1, "{errs:?}");
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with("t.gate:3:3: expected an expression"),
        "{}",
        errs[0]
    );
    assert!(errs[1].starts_with("t.gate:9:3:"), "{}", errs[1]);
}

#[test]
fn chained_comparisons_are_rejected_but_parenthesized_ones_parse() {
    let (_, errs) = parse("rule r { when change.a == 1 == true deny \"x\" }");
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("comparisons cannot be chained"),
        "{}",
        errs[0]
    );
    let (_, errs) = parse("rule r { when (change.a == 1) == true deny \"x\" }");
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "rule r {{ when {}true{} deny \"x\" }}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let (_, errs) = parse(&deep);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("nesting is deeper than the limit of 64"),
        "{}",
        errs[0]
    );
    let nots = format!(
        "rule r {{ when {}true deny \"x\" }}",
        "not ".repeat(100_000)
    );
    let (_, errs) = parse(&nots);
    assert!(errs[0].contains("nesting"), "{}", errs[0]);
}

#[test]
fn long_flat_chains_parse() {
    let chain = vec!["change.a == 1"; 100_000].join(" or ");
    let (items, errs) = parse(&format!("rule r {{ when {chain} deny \"x\" }}"));
    assert!(errs.is_empty());
    let Item::Rule(r) = &items[0] else { panic!() };
    let ExprKind::Logic { operands, .. } = &r.when[0].kind else {
        panic!()
    };
    assert_eq!(operands.len(), 100_000);
}

#[test]
fn literals() {
    assert_eq!(parse_duration("2h30m").map(|d| d.as_secs()), Some(9_000));
    assert_eq!(parse_duration("1w").map(|d| d.as_secs()), Some(604_800));
    assert_eq!(parse_duration("99999999999999999999d"), None);
    let (_, errs) = parse("window w = between 2026-02-30T00:00 and 2026-03-01T00:00");
    assert!(
        errs[0].contains("`2026-02-30T00:00` is not a valid datetime"),
        "{errs:?}"
    );
    let (_, errs) = parse(r#"rule r { deny "a \q b" }"#);
    assert!(errs[0].contains("unknown escape"), "{errs:?}");
    let (items, errs) = parse("window w = between 2026-03-01T00:00:30+02:00 and 2026-03-02T00:00Z");
    assert!(errs.is_empty(), "{errs:?}");
    let Item::Window(w) = &items[0] else { panic!() };
    let crate::ast::WindowSpec::Between { start, end } = &w.spec else {
        panic!()
    };
    assert_eq!(start.offset.map(|o| o.seconds()), Some(7200));
    assert_eq!(end.offset.map(|o| o.seconds()), Some(0));
}

#[test]
fn keywords_are_not_names() {
    let (_, errs) = parse("rule deny { deny \"x\" }");
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("expected a name, found `deny`"),
        "{errs:?}"
    );
}

/// The `keyword` rule, grouped by first letter, reserves exactly the words
/// of the flat list it replaced: each is refused as a name, and a word that
/// only starts or ends like one is a name.
#[test]
fn exactly_the_reserved_words_are_keywords() {
    const RESERVED: [&str; 43] = [
        "window",
        "let",
        "rule",
        "when",
        "unless",
        "require",
        "deny",
        "approval",
        "backup",
        "owner",
        "of",
        "verified",
        "kind",
        "within",
        "count",
        "else",
        "during",
        "outside",
        "because",
        "override",
        "by",
        "between",
        "and",
        "or",
        "not",
        "in",
        "cron",
        "for",
        "targets",
        "impacted",
        "dependents",
        "dependencies",
        "where",
        "depth",
        "any",
        "all",
        "max",
        "min",
        "true",
        "false",
        "null",
        "change",
        "node",
    ];
    for kw in RESERVED {
        let (items, errs) = parse(&format!("rule {kw} {{ deny \"x\" }}"));
        assert!(items.is_empty() && errs.len() == 1, "{kw}: {errs:?}");
        let cut = &kw[..kw.len() - 1];
        for name in [
            format!("{kw}x"),
            format!("{kw}_"),
            format!("{kw}1"),
            format!("x{kw}"),
            cut.to_owned(),
        ] {
            let (items, errs) = parse(&format!("rule {name} {{ deny \"x\" }}"));
            assert!(items.len() == 1 && errs.is_empty(), "{name}: {errs:?}");
        }
    }
}

/// Fuzz regression: each syntax error costs pest a scan of its whole input,
/// so the parser is given one item at a time, not the rest of the file (a
/// policy of 40,000 broken rules took 7 s, quadratic in its size). Ten
/// times the items must cost about ten times as much, not a hundred: the
/// two sizes are timed back to back, so a busy machine slows both.
#[test]
fn syntax_errors_cost_their_item_not_the_rest_of_the_file() {
    let timed = |n: usize| {
        let text: String = (0..n).map(|i| format!("rule r{i} {{ deny }}\n")).collect();
        let started = std::time::Instant::now();
        let (_, errs) = parse(&text);
        assert_eq!(errs.len(), n);
        started.elapsed()
    };
    let small = (0..3).map(|_| timed(2_000)).min().unwrap_or_default();
    let large = timed(20_000);
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-9);
    assert!(
        ratio < 40.0,
        "2,000 items: {small:?}, 20,000: {large:?} ({ratio:.0}×)"
    );
}

/// What bounds an item for the parser never cuts a valid one: `rule`,
/// `let` and `window` as path fields or inside strings and comments, `}`
/// inside strings, several items on one line.
#[test]
fn item_extent_never_cuts_an_item() {
    let text = r#"let s = targets where node.rule == "x}" and node.cost-window != null # rule }
rule r { when change.let == "rule { window }" deny "}" } window w = cron "0 0 * * *" for 1h
rule q {
  when
    change.x == 1
  deny during w
}"#;
    let (items, errs) = parse(text);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(items.len(), 4);
    // A missing `}` is reported at the next item, as before.
    let (items, errs) = parse("rule a { deny \"x\"\nrule b { deny \"y\" }\n");
    assert_eq!(items.len(), 1);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("2:1") && errs[0].contains("found `rule`"),
        "{errs:?}"
    );
}
