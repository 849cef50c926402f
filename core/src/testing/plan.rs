//! A test file's cases, made whole: each change merged over the base, each
//! row of each table made a case of its own.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json};

use super::format::{Expect, TestFile};
use super::read::{column_keys, read_expect};
use crate::input::{InputError, Path};

/// A case ready to run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Planned {
    /// The case's name, unique in its file.
    pub(crate) name: String,
    /// Why it is skipped, when it is.
    pub(crate) skip: Option<String>,
    /// The whole change.
    pub(crate) change: Json,
    /// What its decision must be.
    pub(crate) expect: Expect,
}

/// `patch` merged into `target` as a JSON merge patch (RFC 7386): objects
/// key by key, `null` deletes a key, anything else (lists too) replaces.
pub(crate) fn merge(target: &mut Json, patch: &Json) {
    let Json::Object(patch) = patch else {
        patch.clone_into(target);
        return;
    };
    if !target.is_object() {
        *target = Json::Object(Map::new());
    }
    if let Json::Object(target) = target {
        for (k, v) in patch {
            if v.is_null() {
                target.remove(k);
            } else {
                merge(target.entry(k.clone()).or_insert(Json::Null), v);
            }
        }
    }
}

/// Puts `value` at `keys` below `target`, making the objects on the way;
/// `Err` with the keys reached when one of them holds something else.
pub(crate) fn put(
    target: &mut Map<String, Json>,
    keys: &[String],
    value: Json,
) -> Result<(), usize> {
    let mut here = target;
    for (depth, key) in keys.iter().enumerate() {
        if depth + 1 == keys.len() {
            here.insert(key.clone(), value);
            return Ok(());
        }
        let next = here
            .entry(key.clone())
            .or_insert_with(|| Json::Object(Map::new()));
        match next {
            Json::Object(o) => here = o,
            _ => return Err(depth + 1),
        }
    }
    Ok(())
}

/// A row's value as it reads in the case's name: text bare, the rest as
/// JSON.
fn shown(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every case of `file`, cases first, then each table's rows in order.
pub(crate) fn plan(file: &TestFile) -> Result<Vec<Planned>, InputError> {
    let root = Path::Root;
    let base = Json::Object(file.base.clone());
    let mut out: Vec<Planned> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut unique = |name: &str, at: &Path<'_>| {
        if seen.insert(name.to_owned()) {
            Ok(())
        } else {
            Err(at
                .error(format!("two cases are named `{name}`"))
                .with_help("give each case of a file its own name"))
        }
    };
    let cases = root.key("cases");
    for (i, case) in file.cases.iter().enumerate() {
        unique(&case.name, &cases.index(i).key("name"))?;
        let mut change = base.clone();
        merge(&mut change, &Json::Object(case.change.clone()));
        out.push(Planned {
            name: case.name.clone(),
            skip: case.skip.clone(),
            change,
            expect: case.expect.clone(),
        });
    }
    let tables = root.key("tables");
    for (t, table) in file.tables.iter().enumerate() {
        let at = tables.index(t);
        let columns_at = at.key("columns");
        let mut columns = Vec::new();
        for (c, column) in table.columns.iter().enumerate() {
            columns.push(column_keys(column, &columns_at.index(c))?);
        }
        let mut shared = base.clone();
        merge(&mut shared, &Json::Object(table.change.clone()));
        let rows_at = at.key("rows");
        for (r, row) in table.rows.iter().enumerate() {
            let row_at = rows_at.index(r);
            let mut change = shared.clone();
            let mut expect = table.expect.clone();
            let mut name = None;
            let mut values = Vec::new();
            for (c, (keys, value)) in columns.iter().zip(row).enumerate() {
                let cell = row_at.index(c);
                match keys.split_first() {
                    Some((first, rest)) if first == "change" => {
                        let mut patch = Map::new();
                        // A fresh object: `put` cannot meet anything else.
                        let _ = put(&mut patch, rest, value.clone());
                        merge(&mut change, &Json::Object(patch));
                        values.push(shown(value));
                    }
                    Some((first, rest)) if first == "expect" => {
                        put(&mut expect, rest, value.clone()).map_err(|depth| {
                            let reached = rest.get(..depth).unwrap_or_default().join(".");
                            cell.error(format!(
                                "cannot put a value below `expect.{reached}`, which is not an object"
                            ))
                            .with_help("an earlier column or the table's `expect` set it to a value")
                        })?;
                        values.push(shown(value));
                    }
                    _ => match value {
                        Json::String(s) if !s.is_empty() => name = Some(s.clone()),
                        other => {
                            return Err(cell.error(format!(
                                "expected the case's name, found {}",
                                crate::input::describe(other)
                            )));
                        }
                    },
                }
            }
            let name = name.unwrap_or_else(|| format!("{} ({})", table.name, values.join(", ")));
            unique(&name, &row_at)?;
            let expect = read_expect(&Json::Object(expect), &row_at)?;
            out.push(Planned {
                name,
                skip: table.skip.clone(),
                change,
                expect,
            });
        }
    }
    Ok(out)
}
