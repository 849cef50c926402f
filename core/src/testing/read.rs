//! Reading a test file by hand, so that each error names the JSON path of
//! its culprit (`cases[2].expect.outcom`) and suggests the field meant.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::format::{Case, Column, EXPECT_KEYS, Expect, GraphRef, Table, TestFile};
use crate::decision::Outcome;
use crate::input::{InputError, Path, as_list, as_object, as_str, check_fields, parse_json};
use crate::limits::Limits;

const FILE_KEYS: [&str; 6] = ["description", "policy", "graph", "base", "cases", "tables"];
const CASE_KEYS: [&str; 5] = ["name", "description", "skip", "change", "expect"];
const TABLE_KEYS: [&str; 7] = [
    "name",
    "description",
    "skip",
    "change",
    "expect",
    "columns",
    "rows",
];

// The fields of each decision entry an object expectation may name
// (docs/language.md, *12. The decision*).
const APPROVAL_KEYS: [&str; 5] = [
    "required",
    "granted_by",
    "satisfied",
    "rules",
    "not_counted",
];
const BACKUP_KEYS: [&str; 7] = [
    "node",
    "kind",
    "within",
    "verified",
    "satisfied",
    "evidence",
    "rules",
];
const CONDITION_KEYS: [&str; 2] = ["satisfied", "rules"];
const BLOCK_KEYS: [&str; 5] = ["kind", "window", "message", "occurrence", "rules"];
const OVERRIDE_KEYS: [&str; 5] = ["group", "by", "reason", "counted", "problem"];

/// Reads a test file's text.
pub(crate) fn read_file(text: &str, limits: &Limits) -> Result<TestFile, InputError> {
    let value = parse_json(text, limits)?;
    let root = Path::Root;
    let obj = as_object(&value, &root)?;
    check_fields(obj, &FILE_KEYS, &root, false)?;
    let description = opt_string(obj, "description", &root)?;
    let policy = match obj.get("policy") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(vec![nonempty(s, &root.key("policy"))?]),
        Some(v) => {
            let path = root.key("policy");
            let list = as_list(v, &path)?;
            if list.is_empty() {
                return Err(path
                    .error("no policy files given")
                    .with_help("name `.gate` files or folders, or leave `policy` out"));
            }
            let mut out = Vec::new();
            for (i, p) in list.iter().enumerate() {
                let at = path.index(i);
                out.push(nonempty(as_str(p, &at)?, &at)?);
            }
            Some(out)
        }
    };
    let graph = match obj.get("graph") {
        Some(Json::String(s)) => GraphRef::Path(nonempty(s, &root.key("graph"))?),
        Some(Json::Object(g)) => GraphRef::Inline(g.clone()),
        Some(other) => {
            return Err(root
                .key("graph")
                .error(format!(
                    "expected a path or a graph object, found {}",
                    crate::input::describe(other)
                ))
                .with_help("give the graph file's path relative to the test file, or the graph"));
        }
        None => {
            return Err(root
                .key("graph")
                .error("missing required field `graph`")
                .with_help("give the graph file's path relative to the test file, or the graph"));
        }
    };
    let base = opt_object(obj, "base", &root)?;
    let mut cases = Vec::new();
    if let Some(v) = obj.get("cases").filter(|v| !v.is_null()) {
        let path = root.key("cases");
        for (i, c) in as_list(v, &path)?.iter().enumerate() {
            cases.push(read_case(c, &path.index(i))?);
        }
    }
    let mut tables = Vec::new();
    if let Some(v) = obj.get("tables").filter(|v| !v.is_null()) {
        let path = root.key("tables");
        for (i, t) in as_list(v, &path)?.iter().enumerate() {
            tables.push(read_table(t, &path.index(i))?);
        }
    }
    if cases.is_empty() && tables.iter().all(|t| t.rows.is_empty()) {
        return Err(root
            .error("the file has no cases")
            .with_help("add a case to `cases`, or a row to a table of `tables`"));
    }
    Ok(TestFile {
        description,
        policy,
        graph,
        base,
        cases,
        tables,
    })
}

fn read_case(v: &Json, path: &Path<'_>) -> Result<Case, InputError> {
    let obj = as_object(v, path)?;
    check_fields(obj, &CASE_KEYS, path, false)?;
    let name = required_string(obj, "name", path)?;
    let expect_path = path.key("expect");
    let expect = match obj.get("expect") {
        Some(e) => read_expect(e, &expect_path)?,
        None => {
            return Err(expect_path
                .error(format!("case `{name}` has no `expect`"))
                .with_help(
                    "say what the decision must be, such as `{\"outcome\": \"approved\"}`",
                ));
        }
    };
    Ok(Case {
        description: opt_string(obj, "description", path)?,
        skip: opt_string(obj, "skip", path)?,
        change: opt_object(obj, "change", path)?,
        expect,
        name,
    })
}

fn read_table(v: &Json, path: &Path<'_>) -> Result<Table, InputError> {
    let obj = as_object(v, path)?;
    check_fields(obj, &TABLE_KEYS, path, false)?;
    let name = required_string(obj, "name", path)?;
    let expect = opt_object(obj, "expect", path)?;
    check_fields(&expect, &EXPECT_KEYS, &path.key("expect"), false)?;
    let columns_path = path.key("columns");
    let columns_value = obj
        .get("columns")
        .ok_or_else(|| columns_path.error("missing required field `columns`"))?;
    let mut columns = Vec::new();
    for (i, c) in as_list(columns_value, &columns_path)?.iter().enumerate() {
        let at = columns_path.index(i);
        let column = match c {
            Json::String(s) => Column::Dotted(s.clone()),
            Json::Array(keys) => {
                let mut out = Vec::new();
                for (j, k) in keys.iter().enumerate() {
                    out.push(as_str(k, &at.index(j))?.to_owned());
                }
                Column::Keys(out)
            }
            other => {
                return Err(at.error(format!(
                    "expected a path such as `change.attributes.risk`, found {}",
                    crate::input::describe(other)
                )));
            }
        };
        column_keys(&column, &at)?;
        columns.push(column);
    }
    if columns.is_empty() {
        return Err(columns_path
            .error(format!("table `{name}` has no columns"))
            .with_help("name where each value of a row goes, such as `change.attributes.risk`"));
    }
    let rows_path = path.key("rows");
    let rows_value = obj
        .get("rows")
        .ok_or_else(|| rows_path.error("missing required field `rows`"))?;
    let mut rows = Vec::new();
    for (i, r) in as_list(rows_value, &rows_path)?.iter().enumerate() {
        let at = rows_path.index(i);
        let row = as_list(r, &at)?;
        if row.len() != columns.len() {
            return Err(at
                .error(format!(
                    "row has {} values, but the table has {} columns",
                    row.len(),
                    columns.len()
                ))
                .with_help("give one value per column, in the columns' order"));
        }
        rows.push(row.to_vec());
    }
    Ok(Table {
        description: opt_string(obj, "description", path)?,
        skip: opt_string(obj, "skip", path)?,
        change: opt_object(obj, "change", path)?,
        expect,
        columns,
        rows,
        name,
    })
}

/// A column's keys, checked: `name` alone, or `change` or `expect` and at
/// least one more key (for `expect`, one of its expectations).
pub(crate) fn column_keys(column: &Column, path: &Path<'_>) -> Result<Vec<String>, InputError> {
    let keys: Vec<String> = match column {
        Column::Dotted(s) => s.split('.').map(str::to_owned).collect(),
        Column::Keys(k) => k.clone(),
    };
    let shown = keys.join(".");
    let help = "a column is `name`, `change.FIELD…` or `expect.EXPECTATION…`";
    if keys.iter().any(String::is_empty) {
        return Err(path
            .error(format!("column `{shown}` has an empty key"))
            .with_help(
                "write keys holding a dot as a list: `[\"expect\", \"backups\", \"a.b\"]`",
            ));
    }
    match keys.first().map(String::as_str) {
        Some("name") if keys.len() == 1 => Ok(keys),
        Some("change" | "expect") if keys.len() >= 2 => {
            if keys.first().is_some_and(|k| k == "expect") {
                let key = keys.get(1).map_or("", String::as_str);
                if !EXPECT_KEYS.contains(&key) {
                    let err = path.error(format!("column `{shown}`: unknown expectation `{key}`"));
                    return Err(match crate::input::did_you_mean(key, EXPECT_KEYS) {
                        Some(m) => err.with_help(format!("did you mean `expect.{m}`?")),
                        None => err.with_help(help),
                    });
                }
            }
            Ok(keys)
        }
        _ => Err(path
            .error(format!("column `{shown}` is not a place in a case"))
            .with_help(help)),
    }
}

/// Reads and checks an `expect` object.
pub(crate) fn read_expect(v: &Json, path: &Path<'_>) -> Result<Expect, InputError> {
    let obj = as_object(v, path)?;
    check_fields(obj, &EXPECT_KEYS, path, false)?;
    if obj.is_empty() {
        return Err(path
            .error("`expect` is empty: the case would check nothing")
            .with_help("say what the decision must be, such as `{\"outcome\": \"approved\"}`"));
    }
    let outcome = match obj.get("outcome") {
        None => None,
        Some(v) => Some(match v.as_str() {
            Some("approved") => Outcome::Approved,
            Some("pending") => Outcome::Pending,
            Some("denied") => Outcome::Denied,
            _ => {
                return Err(path.key("outcome").error(format!(
                    "expected `approved`, `pending` or `denied`, found {}",
                    crate::input::describe(v)
                )));
            }
        }),
    };
    let next_allowed_start = match obj.get("next_allowed_start") {
        None => None,
        Some(Json::Null) => Some(Json::Null),
        Some(v) => {
            crate::input::as_timestamp(v, &path.key("next_allowed_start"))?;
            Some(v.clone())
        }
    };
    let decision = match obj.get("decision") {
        None => None,
        Some(v) => Some(Json::Object(as_object(v, &path.key("decision"))?.clone())),
    };
    Ok(Expect {
        outcome,
        approvals: entries(obj, "approvals", &APPROVAL_KEYS, path)?,
        approvals_unmet: names(obj, "approvals_unmet", path)?,
        backups: entries(obj, "backups", &BACKUP_KEYS, path)?,
        backups_unmet: names(obj, "backups_unmet", path)?,
        conditions: entries(obj, "conditions", &CONDITION_KEYS, path)?,
        conditions_unmet: names(obj, "conditions_unmet", path)?,
        blocks: entries(obj, "blocks", &BLOCK_KEYS, path)?,
        blocked_by: names(obj, "blocked_by", path)?,
        next_allowed_start,
        impacted: names(obj, "impacted", path)?,
        fired: names(obj, "fired", path)?,
        fired_include: names(obj, "fired_include", path)?,
        fired_exclude: names(obj, "fired_exclude", path)?,
        overrides: entries(obj, "overrides", &OVERRIDE_KEYS, path)?,
        decision,
        error: opt_string(obj, "error", path)?,
    })
}

/// A keyed expectation: each value `true`, `false`, `null`, or an object
/// of the entry's fields.
fn entries(
    obj: &Map<String, Json>,
    key: &str,
    fields: &[&str],
    path: &Path<'_>,
) -> Result<Option<BTreeMap<String, Json>>, InputError> {
    let Some(v) = obj.get(key) else {
        return Ok(None);
    };
    let at = path.key(key);
    let mut out = BTreeMap::new();
    for (name, value) in as_object(v, &at)? {
        let here = at.key(name);
        match value {
            Json::Null | Json::Bool(_) => {}
            Json::Object(o) => check_fields(o, fields, &here, false)?,
            other => {
                return Err(here.error(format!(
                    "expected `true`, `false`, `null` or an object, found {}",
                    crate::input::describe(other)
                )));
            }
        }
        out.insert(name.clone(), value.clone());
    }
    Ok(Some(out))
}

/// A list of names (groups, rules, node ids, messages).
fn names(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<Option<Vec<String>>, InputError> {
    let Some(v) = obj.get(key) else {
        return Ok(None);
    };
    let at = path.key(key);
    let mut out = Vec::new();
    for (i, n) in as_list(v, &at)?.iter().enumerate() {
        out.push(as_str(n, &at.index(i))?.to_owned());
    }
    Ok(Some(out))
}

fn nonempty(s: &str, path: &Path<'_>) -> Result<String, InputError> {
    if s.is_empty() {
        return Err(path.error("expected a non-empty string, found `\"\"`"));
    }
    Ok(s.to_owned())
}

fn required_string(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<String, InputError> {
    let at = path.key(key);
    let v = obj
        .get(key)
        .ok_or_else(|| at.error(format!("missing required field `{key}`")))?;
    nonempty(as_str(v, &at)?, &at)
}

fn opt_string(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<Option<String>, InputError> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => Ok(Some(as_str(v, &path.key(key))?.to_owned())),
    }
}

fn opt_object(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<Map<String, Json>, InputError> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(Map::new()),
        Some(v) => Ok(as_object(v, &path.key(key))?.clone()),
    }
}
