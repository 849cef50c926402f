//! Node sets and conditions: hand-picked leaves that make rules fire, typed
//! comparisons of every kind of operand, membership, set functions and the
//! logical operators.

use arbitrary::Result;

use super::draw::Gen;

/// Conditions on the change that are often true for some changes.
const CHANGE_LEAVES: [&str; 27] = [
    "change.start >= 2026-06-01T00:00+02:00",
    "change.end < 2026-11-01T01:30:00-04:00",
    "change.targets == [\"api\"]",
    "change.duration == 45m",
    "change.type == \"emergency\"",
    "change.type != \"standard\"",
    "change.category == \"database\"",
    "\"schema\" in change.tags",
    "\"hotfix\" not in change.tags",
    "change.risk != \"low\"",
    "change.risk == null",
    "change.backout_plan != null",
    "change.duration > 2h",
    "change.duration <= 6h",
    "change.start >= 2026-06-01T00:00",
    "change.end < 2026-11-01T06:00Z",
    "change.score >= 3",
    "change.flag",
    "not change.flag",
    "change.flag == true",
    "change.requested_by == \"alice\"",
    "\"api\" in change.targets",
    "change.meta.level >= 1",
    "change.id == \"CHG1\"",
    "true",
    "false",
    "true",
];

/// Conditions on a node that are often true for some nodes.
const NODE_LEAVES: [&str; 22] = [
    "node.owner in [change.requested_by, \"team-a\"]",
    "change.requested_by in [node.owner, node.id]",
    "node.tags == []",
    "node.tier <= 1",
    "node.tier == 0",
    "node.tier == null",
    "node.tier > 1",
    "node.kind == \"database\"",
    "node.kind != \"service\"",
    "\"pii\" in node.tags",
    "\"customer-facing\" not in node.tags",
    "node.owner == \"team-a\"",
    "node.owner != null",
    "node.depth >= 1",
    "node.depth == 0",
    "node.depth == null",
    "node.region == \"eu\"",
    "node.sla >= 99",
    "node.meta.zone == \"us\"",
    "node.id in [\"api\", \"db\", \"n2\"]",
    "node.id == change.requested_by",
    "node.meta.ok",
];

const STRINGS: [&str; 8] = [
    "database",
    "schema",
    "high",
    "emergency",
    "normal",
    "team-a",
    "n0",
    "",
];

const CIVIL: [&str; 4] = [
    "2026-03-08T02:30",
    "2026-11-01T01:30",
    "2026-12-19T00:00",
    "2028-02-29T12:00",
];

/// The static type an operand is known to have, to build well-typed
/// comparisons (but for mistakes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Num,
    Dur,
    Time,
    Str,
    List,
    Any,
}

const TYPES: [Ty; 6] = [Ty::Num, Ty::Dur, Ty::Time, Ty::Str, Ty::List, Ty::Any];

impl Gen<'_, '_> {
    /// A node set; the first [`Gen::nlet`] `let` sets may be named.
    pub(crate) fn set(&mut self, depth: u32) -> Result<String> {
        let leaf = |g: &mut Self| -> Result<String> {
            Ok(match g.u.int_in_range(0..=2u8)? {
                0 => "targets".to_owned(),
                1 => "impacted".to_owned(),
                _ => match g.index(g.nlet)? {
                    Some(i) => format!("s{i}"),
                    None if g.wrong(5)? => "s9".to_owned(),
                    None => "targets".to_owned(),
                },
            })
        };
        if depth == 0 {
            return leaf(self);
        }
        Ok(match self.weighted(&[3, 2, 2])? {
            0 => leaf(self)?,
            1 => {
                let f = self.pick(&["dependents", "dependencies"])?;
                let inner = self.set(depth - 1)?;
                match self.u.int_in_range(0..=2u8)? {
                    0 if self.wrong(2)? => {
                        format!("{f}({inner}, depth {})", self.u.arbitrary::<i64>()?)
                    }
                    0 => format!("{f}({inner})"),
                    _ => format!("{f}({inner}, depth {})", self.u.int_in_range(1..=3u8)?),
                }
            }
            _ => {
                let inner = self.set(depth - 1)?;
                let e = self.cond(true, depth - 1)?;
                match self.chance(3, 4)? {
                    true => format!("({inner}) where {e}"),
                    false => format!("{inner} where {e}"),
                }
            }
        })
    }

    /// A condition; `node` is bound when `in_node`. At depth 0 a set
    /// function only appears outside one (so nesting ends).
    pub(crate) fn cond(&mut self, in_node: bool, depth: u32) -> Result<String> {
        let weights: &[u32] = match (depth, in_node) {
            (0, true) => &[3, 2, 1],
            (0, false) => &[3, 2, 1, 1],
            _ => &[3, 2, 1, 2, 2],
        };
        match self.weighted(weights)? {
            0 if in_node && self.chance(3, 4)? => Ok(self.pick(&NODE_LEAVES)?.to_owned()),
            0 => Ok(self.pick(&CHANGE_LEAVES)?.to_owned()),
            1 => self.compare(in_node),
            2 => {
                let x = self.operand(Ty::Str, in_node, 0)?;
                let l = self.operand(Ty::List, in_node, 0)?;
                let op = self.pick(&["in", "not in"])?;
                Ok(format!("{x} {op} {l}"))
            }
            3 => self.call(depth),
            _ => {
                let a = self.cond(in_node, depth - 1)?;
                Ok(match self.u.int_in_range(0..=4u8)? {
                    0 => format!("not ({a})"),
                    k => {
                        let b = self.cond(in_node, depth - 1)?;
                        let op = if k % 2 == 0 { "and" } else { "or" };
                        match k {
                            1 | 2 => format!("({a} {op} {b})"),
                            _ => format!("{a} {op} {b}"),
                        }
                    }
                })
            }
        }
    }

    /// A set function that is a condition.
    fn call(&mut self, depth: u32) -> Result<String> {
        let set = self.set(depth.min(2))?;
        let e = self.cond(true, depth.saturating_sub(1))?;
        let n = self.u.int_in_range(0..=2u8)?;
        Ok(match self.u.int_in_range(0..=7u8)? {
            0 | 1 => format!("any({set}, {e})"),
            2 => format!("all({set}, {e})"),
            3 => format!("count({set}) > {n}"),
            4 => format!("max({set}, node.tier) <= {n}"),
            5 => format!("min({set}, node.depth) == {n}"),
            6 => format!("max({set}, node.sla) > 50"),
            _ => format!("max({set}, node.kind) == null"),
        })
    }

    /// A comparison of two operands, of the same type but for mistakes.
    fn compare(&mut self, in_node: bool) -> Result<String> {
        let ty = self.pick(&TYPES)?;
        let other = match self.wrong(10)? {
            true => self.pick(&TYPES)?,
            false => ty,
        };
        let op = match ty {
            Ty::Num | Ty::Dur | Ty::Time | Ty::Any => {
                self.pick(&["==", "!=", "<", "<=", ">", ">="])?
            }
            Ty::Str | Ty::List => self.pick(&["==", "!="])?,
        };
        let a = self.operand(ty, in_node, 1)?;
        let b = self.operand(other, in_node, 1)?;
        Ok(format!("{a} {op} {b}"))
    }

    fn operand(&mut self, ty: Ty, in_node: bool, depth: u32) -> Result<String> {
        let node = in_node && self.u.arbitrary()?;
        Ok(match ty {
            Ty::Num => match self.u.int_in_range(0..=7u8)? {
                0 if node => "node.tier".to_owned(),
                1 if node => "node.depth".to_owned(),
                2 if node => "node.sla".to_owned(),
                3 if depth > 0 => format!("count({})", self.set(1)?),
                4 if depth > 0 => {
                    let f = self.pick(&["max", "min"])?;
                    let x = match self.wrong(4)? {
                        true => "node.kind",
                        false => {
                            self.pick(&["node.tier", "node.depth", "node.sla", "node.meta.zone"])?
                        }
                    };
                    format!("{f}({}, {x})", self.set(1)?)
                }
                5 => "change.score".to_owned(),
                6 if self.chance(1, 8)? => {
                    format!("{}", self.u.int_in_range(-99_999_999_999..=i64::MAX)?)
                }
                _ => format!("{}", self.u.int_in_range(-1..=5i64)?),
            },
            Ty::Dur => match self.u.arbitrary()? {
                true => "change.duration".to_owned(),
                false => self.duration()?,
            },
            Ty::Time => match self.u.int_in_range(0..=3u8)? {
                0 => "change.start".to_owned(),
                1 => "change.end".to_owned(),
                _ => {
                    let c = self.pick(&CIVIL)?;
                    let off = self.pick(&["", "Z", "+02:00", ":30", ":30-04:00"])?;
                    format!("{c}{off}")
                }
            },
            Ty::Str => match self.u.int_in_range(0..=9u8)? {
                0 if node => "node.id".to_owned(),
                1 if node => "node.kind".to_owned(),
                2 if node => "node.owner".to_owned(),
                3 if node => "node.region".to_owned(),
                4 => "change.type".to_owned(),
                5 => "change.requested_by".to_owned(),
                6 => "change.risk".to_owned(),
                7 => "change.category".to_owned(),
                8 => "null".to_owned(),
                _ => format!("\"{}\"", self.pick(&STRINGS)?),
            },
            Ty::List => match self.u.int_in_range(0..=4u8)? {
                0 if node => "node.tags".to_owned(),
                1 => "change.tags".to_owned(),
                2 => "change.targets".to_owned(),
                3 => "[]".to_owned(),
                _ => {
                    let mut xs = Vec::new();
                    for _ in 0..self.u.int_in_range(1..=3u8)? {
                        xs.push(self.operand(Ty::Str, in_node, 0)?);
                    }
                    format!("[{}]", xs.join(", "))
                }
            },
            Ty::Any => match self.u.int_in_range(0..=4u8)? {
                0 if node => "node.meta.zone".to_owned(),
                1 => "change.meta.level".to_owned(),
                2 => "change.backout_plan".to_owned(),
                3 => "change.attr-with-dash".to_owned(),
                _ => "null".to_owned(),
            },
        })
    }
}
