//! The text around an offset (the word under the cursor, whether it is
//! code or inside a comment or string) and a line of documentation for each
//! reserved word (docs/language.md, *Files, comments and names*).

/// A character that may continue a name or a keyword.
pub(crate) fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The word (letters, digits, `_`) that covers `offset`, with its byte
/// range; an offset just past a word finds it.
pub(crate) fn word_at(text: &str, offset: usize) -> Option<(usize, usize, &str)> {
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    let before = text.get(..offset)?;
    let after = text.get(offset..)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset + after.find(|c: char| !is_word(c)).unwrap_or(after.len());
    let word = text.get(start..end)?;
    (!word.is_empty()).then_some((start, end, word))
}

/// Whether `offset` is in code: not inside a string literal or a comment
/// (read from the start of its line; strings do not span lines).
pub(crate) fn in_code(text: &str, offset: usize) -> bool {
    let Some(before) = text.get(..offset) else {
        return false;
    };
    let line = before
        .rfind('\n')
        .map_or(before, |i| before.get(i + 1..).unwrap_or(""));
    let (comment, in_string) = crate::parse::lexical::scan_line(line);
    comment.is_none() && !in_string
}

/// Every reserved word with one line about it, in the order of the
/// language reference's list.
pub(crate) const KEYWORDS: [(&str, &str); 43] = [
    (
        "window",
        "`window NAME = between A and B [in \"TZ\"]` or `window NAME = cron \"EXPR\" for DUR [in \"TZ\"]`: a named set of time intervals",
    ),
    (
        "let",
        "`let NAME = SET`: a named node set, evaluated per change",
    ),
    (
        "rule",
        "`rule NAME { … }`: conditions, then effects, then `because` and `override by`",
    ),
    (
        "when",
        "`when EXPR`: the rule applies only if EXPR is `true` (several must all hold)",
    ),
    ("unless", "`unless EXPR`: the rule is off if EXPR is `true`"),
    (
        "require",
        "`require approval …`, `require [verified] backup of …` or `require EXPR else \"MSG\"`: a requirement; unmet means `pending`",
    ),
    (
        "deny",
        "`deny during W`, `deny outside W` or `deny \"MSG\"`: a block; triggered means `denied`",
    ),
    (
        "approval",
        "`require approval \"G\" [count N]` or `require approval owner of SET`: approvals from distinct people of a group",
    ),
    (
        "backup",
        "`require [verified] backup of SET [kind \"K\"] within DUR`: a completed backup of every node, taken in `[start − DUR, start]`",
    ),
    (
        "owner",
        "`require approval owner of SET`: one approval from the owner group of every node of SET",
    ),
    (
        "of",
        "`owner of SET`, `backup of SET`: the node set the requirement is about",
    ),
    (
        "verified",
        "`require verified backup …`: only backups whose `verified` is `true` count",
    ),
    ("kind", "`… kind \"K\"`: only backups of that kind count"),
    (
        "within",
        "`… within DUR`: a backup counts if taken at most DUR before the change's start",
    ),
    (
        "count",
        "`require approval \"G\" count N`: N distinct approvers; `count(SET)`: the number of nodes",
    ),
    (
        "else",
        "`require EXPR else \"MSG\"`: the message shown with the precondition",
    ),
    (
        "during",
        "`deny during W1, W2`: blocked if the change overlaps any occurrence of the windows",
    ),
    (
        "outside",
        "`deny outside W1, W2`: blocked unless the change lies wholly inside one occurrence",
    ),
    (
        "because",
        "`because \"TEXT\"`: the reason shown with the rule in the decision",
    ),
    (
        "override",
        "`override by \"G1\", \"G2\"`: the groups that may break the glass on this rule",
    ),
    (
        "by",
        "`override by \"G\"`: the groups that may lift the rule for one change",
    ),
    (
        "between",
        "`between A and B`: one occurrence `[A, B)`; times without an offset are in the window's zone",
    ),
    (
        "and",
        "`a and b`: both `true`; in a window, `between A and B`",
    ),
    ("or", "`a or b`: either `true`"),
    (
        "not",
        "`not a`: binds tighter than comparisons; `x not in L`: membership negated",
    ),
    (
        "in",
        "`x in L`: `true` if some element of L equals x; in a window, `in \"TZ\"` names its IANA time zone",
    ),
    (
        "cron",
        "`cron \"EXPR\" for DUR`: every match of the five-field cron expression on the zone's wall clock starts an occurrence",
    ),
    (
        "for",
        "`cron \"EXPR\" for DUR`: how long each occurrence lasts, in elapsed time",
    ),
    ("targets", "the change's target nodes"),
    (
        "impacted",
        "the targets and every node that transitively depends on one: the blast radius",
    ),
    (
        "dependents",
        "`dependents(SET[, depth N])`: nodes that depend on a node of SET, transitively",
    ),
    (
        "dependencies",
        "`dependencies(SET[, depth N])`: nodes that a node of SET depends on, transitively",
    ),
    (
        "where",
        "`SET where EXPR`: the nodes of SET for which EXPR is `true` (`node` bound to each)",
    ),
    (
        "depth",
        "`depth N`: a walk at most N edges away; `node.depth`: the distance from the nearest target",
    ),
    (
        "any",
        "`any(SET, EXPR)`: `true` if EXPR is `true` for some node (`false` on an empty set)",
    ),
    (
        "all",
        "`all(SET, EXPR)`: `true` if EXPR is `true` for every node (`true` on an empty set)",
    ),
    (
        "max",
        "`max(SET, node.X)`: the largest value of `node.X`, `null` on an empty set",
    ),
    (
        "min",
        "`min(SET, node.X)`: the smallest value of `node.X`, `null` on an empty set",
    ),
    (
        "true",
        "the boolean `true`: the only value that makes a condition hold",
    ),
    ("false", "the boolean `false`"),
    (
        "null",
        "the value of anything missing; equal only to `null`",
    ),
    (
        "change",
        "`change.X`: a field of the change (`id`, `type`, `start`, `end`, `duration`, `requested_by`, `targets`) or an attribute",
    ),
    (
        "node",
        "`node.X`: a field of the node bound by `where` or a set function (`id`, `kind`, `tier`, `owner`, `tags`, `depth`) or an attribute",
    ),
];

/// The line about a reserved word.
pub(crate) fn keyword_doc(word: &str) -> Option<&'static str> {
    KEYWORDS.iter().find(|(k, _)| *k == word).map(|(_, d)| *d)
}
