//! A deliberately simple reference evaluator, used only by tests to check the
//! engine (`tests/properties.rs`, `tests/regress.rs`).
//!
//! It is written from the language reference (`docs/language.md`) and
//! `docs/decisions.md`, not from core's evaluator: it parses the policy
//! sources and walks the AST directly (no compilation, no set table, no
//! caching), finds the blast radius with its own breadth-first search over
//! the graph's adjacency, and enumerates window occurrences by brute force
//! with its own cron matcher (`windows`). Slow on purpose; obviously right is
//! the point. It reads the AST through `changegate::internals` and everything
//! else through core's public API.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test-only code: a failure should stop loudly"
)]

mod expr;
pub mod windows;

use std::collections::{BTreeMap, HashMap, VecDeque};

use changegate::change::{ApprovalStatus, BackupStatus, Change};
use changegate::decision::{
    ApprovalCheck, Audit, BackupCheck, Block, BlockKind, ConditionCheck, Decision, Evidence, Fired,
    ImpactReport, Interval, Outcome, OverrideCheck, Text, Time,
};
use changegate::graph::{Graph, NodeIdx};
use changegate::internals::{EffectKind, Item, LetDef, RuleDef, SetExpr};
use changegate::limits::Limits;
use jiff::SignedDuration;
use serde_json::json;
use sha2::{Digest as _, Sha256};
use windows::RWindow;

/// Evaluates `change` against the policy made of `sources` (`(name, text)`)
/// and `graph`, the slow way. The policy must be valid (compile it with
/// [`changegate::Policy`] first); an unknown target is an error.
pub fn evaluate(
    sources: &[(String, String)],
    change: &Change,
    graph: &Graph,
) -> Result<Decision, String> {
    let mut items = Vec::new();
    for (i, (name, text)) in sources.iter().enumerate() {
        let parsed = changegate::internals::parse(text, &Limits::default())
            .map_err(|errs| format!("{name}: {} parse errors", errs.len()))?;
        items.extend(parsed.into_iter().map(|item| (i, item)));
    }
    let mut targets = Vec::new();
    for (i, name) in change.targets.iter().enumerate() {
        match resolve(graph, name) {
            Named::One(n) if !targets.contains(&n) => targets.push(n),
            Named::One(_) => {}
            Named::None => return Err(format!("unknown target `{name}`")),
            Named::Many(ids) => return Err(format!("targets[{i}]: `{name}` names {ids:?}")),
        }
    }
    let mut backup_nodes = Vec::new();
    for (i, b) in change.backups.iter().enumerate() {
        match resolve(graph, &b.resource) {
            Named::One(n) => backup_nodes.push(Some(graph.node(n).id.to_string())),
            Named::None => backup_nodes.push(None),
            Named::Many(ids) => {
                return Err(format!(
                    "backups[{i}].resource: `{}` names {ids:?}",
                    b.resource
                ));
            }
        }
    }
    let (depth, parent) = blast_radius(graph, &targets);
    let env = Env {
        items: &items,
        change,
        graph,
        targets,
        backup_nodes,
        depth,
    };
    Ok(env.decide(sources, &parent))
}

/// The blast radius: depth of every impacted node, and the node it was
/// first reached from (breadth first, targets in order, neighbours by id).
fn blast_radius(
    graph: &Graph,
    targets: &[NodeIdx],
) -> (HashMap<NodeIdx, u32>, HashMap<NodeIdx, NodeIdx>) {
    let mut depth = HashMap::new();
    let mut parent = HashMap::new();
    let mut queue = VecDeque::new();
    for &t in targets {
        if let std::collections::hash_map::Entry::Vacant(e) = depth.entry(t) {
            e.insert(0);
            queue.push_back(t);
        }
    }
    while let Some(u) = queue.pop_front() {
        let du = depth[&u];
        for &v in graph.dependents_of(u) {
            if let std::collections::hash_map::Entry::Vacant(e) = depth.entry(v) {
                e.insert(du + 1);
                parent.insert(v, u);
                queue.push_back(v);
            }
        }
    }
    (depth, parent)
}

/// Everything an evaluation reads.
struct Env<'a> {
    /// The policy's items, each with the index of its file.
    items: &'a [(usize, Item)],
    change: &'a Change,
    graph: &'a Graph,
    targets: Vec<NodeIdx>,
    /// The id of the node each backup's resource names, if any.
    backup_nodes: Vec<Option<String>>,
    depth: HashMap<NodeIdx, u32>,
}

/// What a name in the change stands for.
enum Named {
    None,
    One(NodeIdx),
    /// The ids of every node it could be, sorted.
    Many(Vec<String>),
}

/// docs/language.md, *The graph*: the node with the id `name`; else the
/// nodes with the alias `name`; else the nodes whose id or some alias is
/// `name` with ASCII letters in either case. One node is the answer;
/// several are ambiguous.
fn resolve(graph: &Graph, name: &str) -> Named {
    if let Some((n, _)) = graph.nodes().find(|(_, n)| &*n.id == name) {
        return Named::One(n);
    }
    let lower = |s: &str| -> String { s.chars().map(|c| c.to_ascii_lowercase()).collect() };
    let mut names: Vec<(String, NodeIdx)> =
        graph.nodes().map(|(i, n)| (n.id.to_string(), i)).collect();
    let aliases: Vec<(String, NodeIdx)> = graph.aliases().map(|(a, n)| (a.to_owned(), n)).collect();
    let exact: Vec<NodeIdx> = aliases
        .iter()
        .filter(|(a, _)| a == name)
        .map(|&(_, n)| n)
        .collect();
    names.extend(aliases);
    let found = if exact.is_empty() {
        names
            .iter()
            .filter(|(a, _)| lower(a) == lower(name))
            .map(|&(_, n)| n)
            .collect()
    } else {
        exact
    };
    let mut ids: Vec<String> = found
        .iter()
        .map(|&n| graph.node(n).id.to_string())
        .collect();
    ids.sort();
    ids.dedup();
    match ids.len() {
        0 => Named::None,
        1 => Named::One(found[0]),
        _ => Named::Many(ids),
    }
}

/// A backup requirement's node and kind (`None`: any kind).
type BackupKey = (String, Option<String>);

/// Requirements and blocks, merged as docs/language.md, *Effects*, says,
/// keyed as the decision sorts them.
#[derive(Default)]
struct Acc {
    approvals: BTreeMap<String, (u32, Vec<String>)>,
    backups: BTreeMap<BackupKey, (SignedDuration, bool, Vec<String>)>,
    conditions: BTreeMap<String, (bool, Vec<String>)>,
    blocks: BTreeMap<(BlockKind, String), (Option<Interval>, Vec<String>)>,
    during: Vec<String>,
    outside: Vec<Vec<String>>,
}

fn add_rule(rules: &mut Vec<String>, rule: &str) {
    if !rules.iter().any(|r| r == rule) {
        rules.push(rule.to_owned());
    }
    rules.sort();
}

impl Env<'_> {
    /// The rules, each with the index of its file.
    fn rules(&self) -> impl Iterator<Item = (usize, &RuleDef)> {
        self.items.iter().filter_map(|(f, i)| match i {
            Item::Rule(r) => Some((*f, r)),
            _ => None,
        })
    }

    fn let_set(&self, name: &str) -> Option<&SetExpr> {
        self.items.iter().find_map(|(_, i)| match i {
            Item::Let(LetDef { name: n, set }) if n.name == name => Some(set),
            _ => None,
        })
    }

    fn window(&self, name: &str) -> RWindow {
        let def = self
            .items
            .iter()
            .find_map(|(_, i)| match i {
                Item::Window(w) if w.name.name == name => Some(w),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no window {name}"));
        RWindow::new(def).unwrap_or_else(|e| panic!("window {name}: {e}"))
    }

    fn decide(&self, sources: &[(String, String)], parent: &HashMap<NodeIdx, NodeIdx>) -> Decision {
        let change = self.change;
        let overrides = self.overrides();
        let lifted = |rule: &str| overrides.iter().any(|o| o.counted && &*o.rule == rule);
        let mut acc = Acc::default();
        let mut fired = Vec::new();
        for (file, rule) in self.rules() {
            let holds = rule.when.iter().all(|e| self.eval(e, None).is_true())
                && !rule.unless.iter().any(|e| self.eval(e, None).is_true());
            if !holds {
                continue;
            }
            let (file, text) = &sources[file];
            let line = text[..rule.name.span.start as usize].matches('\n').count() + 1;
            fired.push(std::sync::Arc::new(Fired {
                rule: t(&rule.name.name),
                file: t(file),
                line: line as u32,
                because: rule.because.as_ref().map(|b| t(&b.value)),
            }));
            if lifted(&rule.name.name) {
                continue;
            }
            for eff in &rule.effects {
                self.effect(&eff.kind, &rule.name.name, &mut acc);
            }
        }
        fired.sort_by(|a, b| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)));

        let approvals: Vec<ApprovalCheck> = acc
            .approvals
            .iter()
            .map(|(group, (required, rules))| {
                let mut granted: Vec<String> = change
                    .approvals
                    .iter()
                    .filter(|a| {
                        &a.group == group
                            && a.status == ApprovalStatus::Approved
                            && Some(&a.by) != change.requested_by.as_ref()
                    })
                    .map(|a| a.by.clone())
                    .collect();
                granted.sort();
                granted.dedup();
                // Every other status, by its JSON name, sorted by person then name.
                let mut not_counted: Vec<(String, &str)> = change
                    .approvals
                    .iter()
                    .filter(|a| &a.group == group && a.status != ApprovalStatus::Approved)
                    .map(|a| (a.by.clone(), a.status.as_str()))
                    .collect();
                not_counted.sort();
                not_counted.dedup();
                let not_counted = not_counted
                    .into_iter()
                    .map(|(by, status)| {
                        serde_json::from_value(json!({"by": by, "status": status})).unwrap()
                    })
                    .collect();
                ApprovalCheck {
                    group: t(group),
                    required: *required,
                    satisfied: granted.len() as u64 >= u64::from(*required),
                    granted_by: granted.iter().map(|g| t(g)).collect(),
                    rules: texts(rules),
                    not_counted,
                }
            })
            .collect();
        let backups: Vec<BackupCheck> = acc
            .backups
            .iter()
            .map(|((node, kind), (within, verified, rules))| {
                let best = change
                    .backups
                    .iter()
                    .zip(&self.backup_nodes)
                    .filter(|(b, at)| {
                        at.as_ref() == Some(node)
                            && (kind.is_none() || b.kind == *kind)
                            && (b.verified || !verified)
                            && b.status == BackupStatus::Completed
                            && change.start - *within <= b.taken_at
                            && b.taken_at <= change.start
                    })
                    .map(|(b, _)| b.taken_at)
                    .max();
                BackupCheck {
                    node: t(node),
                    kind: kind.as_deref().map(t),
                    within: duration_text(*within).into(),
                    verified: *verified,
                    satisfied: best.is_some(),
                    evidence: best.map(|t| Evidence {
                        taken_at: Time::from(t),
                    }),
                    rules: texts(rules),
                }
            })
            .collect();
        let conditions: Vec<ConditionCheck> = acc
            .conditions
            .iter()
            .map(|(message, (satisfied, rules))| ConditionCheck {
                message: t(message),
                satisfied: *satisfied,
                rules: texts(rules),
            })
            .collect();
        let blocks: Vec<Block> = acc
            .blocks
            .iter()
            .map(|((kind, key), (occurrence, rules))| Block {
                kind: *kind,
                window: (*kind != BlockKind::Deny).then(|| t(key)),
                message: (*kind == BlockKind::Deny).then(|| t(key)),
                occurrence: occurrence.clone(),
                rules: texts(rules),
            })
            .collect();
        let outcome = if !blocks.is_empty() {
            Outcome::Denied
        } else if approvals.iter().all(|a| a.satisfied)
            && backups.iter().all(|b| b.satisfied)
            && conditions.iter().all(|c| c.satisfied)
        {
            Outcome::Approved
        } else {
            Outcome::Pending
        };
        let windows_only = blocks.iter().all(|b| b.kind != BlockKind::Deny);
        let next_allowed_start = (outcome == Outcome::Denied && windows_only)
            .then(|| {
                let during: Vec<RWindow> = acc.during.iter().map(|w| self.window(w)).collect();
                let outside: Vec<Vec<RWindow>> = acc
                    .outside
                    .iter()
                    .map(|g| g.iter().map(|w| self.window(w)).collect())
                    .collect();
                windows::next_allowed_start(
                    change.start,
                    change.end.duration_since(change.start),
                    &during,
                    &outside,
                )
            })
            .flatten()
            .map(Time::from);

        // Impacted nodes by depth then id, each with its path: back through
        // the node it was first reached from, to a target. The report is
        // read from the decision JSON's form of it.
        let mut order: Vec<NodeIdx> = self.depth.keys().copied().collect();
        let key = |n: &NodeIdx| (self.depth[n], self.graph.node(*n).id.clone());
        order.sort_by_key(key);
        let id = |n: NodeIdx| self.graph.node(n).id.to_string();
        let impacted: Vec<serde_json::Value> = order
            .iter()
            .map(|&n| {
                let mut path = vec![id(n)];
                let mut at = n;
                while let Some(&p) = parent.get(&at) {
                    path.push(id(p));
                    at = p;
                }
                path.reverse();
                json!({"id": id(n), "depth": self.depth[&n], "path": path})
            })
            .collect();
        let targets: Vec<String> = self.targets.iter().map(|&n| id(n)).collect();
        let impact: ImpactReport =
            serde_json::from_value(json!({"targets": targets, "impacted": impacted})).unwrap();

        Decision {
            change: t(&change.id),
            outcome,
            approvals,
            backups,
            conditions,
            blocks,
            next_allowed_start,
            // The reference has no limits.
            next_allowed_start_limit: None,
            impact,
            overrides,
            fired,
            audit: Audit {
                policy_digest: t(&digest(sources)),
                // testkit shares the workspace's version with core.
                engine: t(concat!("changegate ", env!("CARGO_PKG_VERSION"))),
            },
        }
    }

    /// Every override, counted or with its problem (docs/language.md,
    /// *Overrides*; decision 26).
    fn overrides(&self) -> Vec<OverrideCheck> {
        let change = self.change;
        let mut out: Vec<OverrideCheck> = change
            .overrides
            .iter()
            .map(|o| {
                let rule = self.rules().map(|(_, r)| r).find(|r| r.name.name == o.rule);
                let problem = match rule.map(|r| &r.override_by) {
                    None => Some(format!("no rule is named `{}`", o.rule)),
                    Some(None) => Some(format!(
                        "rule `{}` has no `override by`, so it cannot be overridden",
                        o.rule
                    )),
                    Some(Some(groups)) if !groups.iter().any(|g| g.value == o.group) => {
                        let allowed: Vec<String> =
                            groups.iter().map(|g| format!("`{}`", g.value)).collect();
                        Some(format!(
                            "group `{}` may not override rule `{}`; it allows {}",
                            o.group,
                            o.rule,
                            allowed.join(", ")
                        ))
                    }
                    Some(Some(_)) if o.reason.trim().is_empty() => {
                        Some("the reason is empty; say why the glass was broken".to_owned())
                    }
                    Some(Some(_)) if change.requested_by.as_ref() == Some(&o.by) => Some(format!(
                        "`{}` requested this change and cannot override its rules",
                        o.by
                    )),
                    Some(Some(_)) => None,
                };
                OverrideCheck {
                    rule: t(&o.rule),
                    group: t(&o.group),
                    by: t(&o.by),
                    reason: t(&o.reason),
                    counted: problem.is_none(),
                    problem,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.rule, &a.group, &a.by, &a.reason).cmp(&(&b.rule, &b.group, &b.by, &b.reason))
        });
        out
    }

    fn effect(&self, eff: &EffectKind, rule: &str, acc: &mut Acc) {
        let change = self.change;
        match eff {
            EffectKind::ApprovalGroup { group, count } => {
                let n = count.map_or(1, |(n, _)| n as u32);
                let e = acc
                    .approvals
                    .entry(group.value.clone())
                    .or_insert((0, Vec::new()));
                e.0 = e.0.max(n);
                add_rule(&mut e.1, rule);
            }
            EffectKind::ApprovalOwner { set } => {
                for n in self.set(set) {
                    let node = self.graph.node(n);
                    match &node.owner {
                        Some(owner) => {
                            let e = acc
                                .approvals
                                .entry(owner.to_string())
                                .or_insert((0, Vec::new()));
                            e.0 = e.0.max(1);
                            add_rule(&mut e.1, rule);
                        }
                        None => {
                            let msg = format!("`{}` has no owner to approve the change", node.id);
                            let e = acc.conditions.entry(msg).or_insert((true, Vec::new()));
                            e.0 = false;
                            add_rule(&mut e.1, rule);
                        }
                    }
                }
            }
            EffectKind::Backup {
                verified,
                set,
                kind,
                within,
            } => {
                for n in self.set(set) {
                    let key = (
                        self.graph.node(n).id.to_string(),
                        kind.as_ref().map(|k| k.value.clone()),
                    );
                    let e = acc
                        .backups
                        .entry(key)
                        .or_insert((within.value, false, Vec::new()));
                    e.0 = e.0.min(within.value);
                    e.1 = e.1 || *verified;
                    add_rule(&mut e.2, rule);
                }
            }
            EffectKind::Condition { expr, message } => {
                let ok = self.eval(expr, None).is_true();
                let e = acc
                    .conditions
                    .entry(message.value.clone())
                    .or_insert((true, Vec::new()));
                e.0 = e.0 && ok;
                add_rule(&mut e.1, rule);
            }
            EffectKind::DenyDuring(names) => {
                for name in names {
                    acc.during.push(name.name.clone());
                    let w = self.window(&name.name);
                    if let Some(o) = w.first_overlap(change.start, change.end) {
                        let e = acc
                            .blocks
                            .entry((BlockKind::During, name.name.clone()))
                            .or_insert((None, Vec::new()));
                        e.0 = Some(Interval {
                            start: Time::from(o.start),
                            end: Time::from(o.end),
                        });
                        add_rule(&mut e.1, rule);
                    }
                }
            }
            EffectKind::DenyOutside(names) => {
                acc.outside
                    .push(names.iter().map(|n| n.name.clone()).collect());
                let fits = names
                    .iter()
                    .any(|n| self.window(&n.name).fits(change.start, change.end));
                if !fits {
                    for name in names {
                        let e = acc
                            .blocks
                            .entry((BlockKind::Outside, name.name.clone()))
                            .or_insert((None, Vec::new()));
                        add_rule(&mut e.1, rule);
                    }
                }
            }
            EffectKind::DenyMessage(msg) => {
                let e = acc
                    .blocks
                    .entry((BlockKind::Deny, msg.value.clone()))
                    .or_insert((None, Vec::new()));
                add_rule(&mut e.1, rule);
            }
        }
    }
}

/// Decision 29: `sha256:` and the SHA-256 of the sorted digests of the files.
fn digest(sources: &[(String, String)]) -> String {
    let mut each: Vec<Vec<u8>> = sources
        .iter()
        .map(|(_, t)| Sha256::digest(t.as_bytes()).to_vec())
        .collect();
    each.sort();
    let all = Sha256::digest(each.concat());
    let hex: String = all.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Decision 4: whole days from two days up, else hours, minutes and seconds.
fn duration_text(d: SignedDuration) -> String {
    let s = d.as_secs();
    if s == 0 {
        return "0s".to_owned();
    }
    if s >= 2 * 86_400 && s % 86_400 == 0 {
        return format!("{}d", s / 86_400);
    }
    let mut out = String::new();
    for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] {
        let n = (s / size) % if size == 3600 { i64::MAX } else { 60 };
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    out
}

/// A decision string.
fn t(s: &str) -> Text {
    Text::from(s)
}

fn texts(v: &[String]) -> Vec<Text> {
    v.iter().map(|s| t(s)).collect()
}
