use super::format;
use crate::limits::Limits;
use crate::source::Source;

fn fmt(text: &str) -> String {
    let source = Source {
        name: "t.gate".to_owned(),
        text: text.to_owned(),
    };
    let out = format(&source, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let again = format(
        &Source {
            name: "t.gate".to_owned(),
            text: out.clone(),
        },
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(again, out, "not idempotent");
    out
}

#[test]
fn a_one_line_rule_gets_a_line_per_clause() {
    assert_eq!(
        fmt(
            "rule r{when change.type==\"normal\" require approval \"cab\" count 2 because \"b\" override by \"x\",\"y\"}"
        ),
        "rule r {\n  when change.type == \"normal\"\n  require approval \"cab\" count 2\n  because \"b\"\n  override by \"x\", \"y\"\n}\n"
    );
}

#[test]
fn spacing_in_calls_lists_and_windows() {
    assert_eq!(
        fmt(
            "window  w=cron \"0 2 * * *\"  for 2h in \"UTC\"\nlet s =dependents( targets ,depth 2 ) where node.tier in [ 0,1 ,]\n"
        ),
        "window w = cron \"0 2 * * *\" for 2h in \"UTC\"\nlet s = dependents(targets, depth 2) where node.tier in [0, 1,]\n"
    );
    assert_eq!(
        fmt("rule r { when not ( any ( impacted , node.x not\n in [] ) ) deny \"no\" }"),
        "rule r {\n  when not (any(impacted, node.x not in []))\n  deny \"no\"\n}\n"
    );
}

#[test]
fn blank_lines_between_items() {
    // Windows and sets keep their grouping; a rule always stands apart.
    assert_eq!(
        fmt(
            "window a = between 2026-01-01T00:00 and 2026-01-02T00:00\nwindow b = between 2026-01-01T00:00 and 2026-01-02T00:00\n\n\n\nlet s = targets\nrule r { deny \"x\" }\nrule q {\n\n  when true\n\n\n  deny \"x\"\n\n}"
        ),
        "window a = between 2026-01-01T00:00 and 2026-01-02T00:00\nwindow b = between 2026-01-01T00:00 and 2026-01-02T00:00\n\nlet s = targets\n\nrule r {\n  deny \"x\"\n}\n\nrule q {\n  when true\n\n  deny \"x\"\n}\n"
    );
}

#[test]
fn comments_stay_where_they_are() {
    let text = "\u{feff}# head\r\n\r\n# about r   \r\nrule r { # after brace\n  # above when\n  when change.a == 1 # end of when\n    and # mid\n    # own line in expr\n    change.b == 2\n  deny \"x\"\n  # before close\n} # after close\n\n\n# tail\n";
    assert_eq!(
        fmt(text),
        "# head\n\n# about r\nrule r { # after brace\n  # above when\n  when change.a == 1 # end of when\n      and # mid\n      # own line in expr\n      change.b == 2\n  deny \"x\"\n  # before close\n} # after close\n\n# tail\n"
    );
}

#[test]
fn long_conditions_break_before_the_outermost_operators() {
    let long = "rule r {\n  when change.category == \"database\" or change.category == \"network\" or any(targets, node.tier == 0 and node.kind == \"db\")\n  deny \"x\"\n}\n";
    assert_eq!(
        fmt(long),
        "rule r {\n  when change.category == \"database\"\n      or change.category == \"network\"\n      or any(targets, node.tier == 0 and node.kind == \"db\")\n  deny \"x\"\n}\n"
    );
    // Short enough: joined on one line.
    assert_eq!(
        fmt("rule r {\n  when change.a == 1\n    and change.b == 2\n  deny \"x\"\n}\n"),
        "rule r {\n  when change.a == 1 and change.b == 2\n  deny \"x\"\n}\n"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("  \n\n"), "");
    assert_eq!(fmt("\n\n# a\n\n\n# b"), "# a\n\n# b\n");
}

#[test]
fn a_file_that_does_not_parse_is_the_error() {
    let source = Source {
        name: "bad.gate".to_owned(),
        text: "rule r {\n  requir approval \"cab\"\n}\n".to_owned(),
    };
    let err = format(&source, &Limits::default()).unwrap_err();
    let crate::Error::Policy(p) = err else {
        panic!("not a policy error: {err}");
    };
    assert_eq!(p.diagnostics().len(), 1);
    assert_eq!(p.diagnostics()[0].file, "bad.gate");
    assert_eq!(p.diagnostics()[0].line, 2);
    // Names are not resolved: a file may use another file's windows.
    assert_eq!(
        fmt("rule r { deny during elsewhere }"),
        "rule r {\n  deny during elsewhere\n}\n"
    );
}
