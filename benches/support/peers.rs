//! The peers of the `peers` bench, set up as the scenario says
//! (`benches/peers/`): regorus with the impact
//! computed in Rego or precomputed by the host, and Cedar with entities and
//! request built once. Shared by `benches/peers.rs` and `tests/peers.rs`.

#![allow(
    clippy::indexing_slicing,
    reason = "serde_json values are read by key, which yields null when absent"
)]

use std::collections::{BTreeSet, HashSet};
use std::str::FromStr as _;

use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicyId,
    PolicySet, Request, RestrictedExpression,
};
use changegate_benches::{dependencies, layer, reverse};

const CHANGE_REGO: &str = include_str!("../peers/change.rego");
const IMPACT_FULL_REGO: &str = include_str!("../peers/impact_full.rego");
const IMPACT_PRE_REGO: &str = include_str!("../peers/impact_pre.rego");
const CHANGE_CEDAR: &str = include_str!("../peers/change.cedar");

/// A peer's decision, reduced to what every engine can say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PeerDecision {
    pub(crate) outcome: String,
    pub(crate) denials: BTreeSet<String>,
    /// Unmet approval groups.
    pub(crate) unmet: BTreeSet<String>,
    /// The size of the blast radius, when the engine reports it.
    pub(crate) impacted: Option<usize>,
}

/// The scenario's expected decision ("denied: holiday freeze; unmet cab×2,
/// sre-lead, security"), minus what a peer cannot express.
pub(crate) fn expected(with_sre_lead: bool) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut unmet: BTreeSet<String> = ["cab", "security"].map(str::to_owned).into();
    if with_sre_lead {
        unmet.insert("sre-lead".to_owned());
    }
    (["holiday freeze".to_owned()].into(), unmet)
}

/// Which module defines `impacted` for regorus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Impact {
    /// `graph.reachable(data.topo.rdeps, input.change.targets)`.
    InRego,
    /// `input.impacted`, computed by the host.
    Precomputed,
}

/// The change of the scenario, as the Rego policy reads it (`input.change`).
fn rego_change(t: usize) -> String {
    format!(
        r#"{{"id":"CHG-BENCH","type":"normal","category":"database","tags":["schema"],
"targets":["n{t}"],"start":"2026-12-22T14:00:00Z","end":"2026-12-22T15:00:00Z","requested_by":"carol",
"approvals":[{{"group":"cab","by":"bob"}},{{"group":"dba","by":"alice"}}],
"backups":[{{"resource":"n{t}","kind":"snapshot","taken_at":"2026-12-22T10:00:00Z"}}],
"backout_plan":"restore snapshot"}}"#
    )
}

/// `data.topo`: every node's tier and tags, and (for the impact-in-Rego
/// variant) every node's dependents, each node a key so that
/// `graph.reachable` keeps it.
fn topo_json(n: usize, with_rdeps: bool) -> String {
    let rdeps = reverse(&dependencies(n));
    let nodes: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            let mut tags = Vec::new();
            if layer(i, n) == 0 {
                tags.push("customer-facing");
            }
            if i % 7 == 0 {
                tags.push("pii");
            }
            (
                format!("n{i}"),
                serde_json::json!({"tier": layer(i, n), "tags": tags}),
            )
        })
        .collect();
    let mut topo = serde_json::json!({ "nodes": nodes });
    if with_rdeps {
        let r: serde_json::Map<String, serde_json::Value> = rdeps
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let ids: Vec<String> = d.iter().map(|j| format!("n{j}")).collect();
                (format!("n{i}"), serde_json::json!(ids))
            })
            .collect();
        if let Some(o) = topo.as_object_mut() {
            o.insert("rdeps".to_owned(), serde_json::Value::Object(r));
        }
    }
    serde_json::json!({ "topo": topo }).to_string()
}

/// The blast radius of `t` (t and everything that transitively depends on it), as ids.
fn impacted_ids(n: usize, t: usize) -> Vec<String> {
    let rdeps = reverse(&dependencies(n));
    let mut seen = vec![false; n];
    let mut out = vec![t];
    let mut k = 0;
    if let Some(s) = seen.get_mut(t) {
        *s = true;
    }
    while let Some(&u) = out.get(k) {
        k += 1;
        for &v in rdeps.get(u).map_or(&[][..], Vec::as_slice) {
            if let Some(s) = seen.get_mut(v).filter(|s| !**s) {
                *s = true;
                out.push(v);
            }
        }
    }
    out.iter().map(|i| format!("n{i}")).collect()
}

/// regorus with the scenario's policy, data and input loaded once.
pub(crate) struct Rego {
    engine: regorus::Engine,
    input: regorus::Value,
}

impl Rego {
    /// The engine for an estate of `n` nodes and the change on `n{t}`.
    pub(crate) fn new(n: usize, t: usize, impact: Impact) -> anyhow::Result<Rego> {
        let mut engine = regorus::Engine::new();
        engine.add_policy("change.rego".to_owned(), CHANGE_REGO.to_owned())?;
        let (name, text) = match impact {
            Impact::InRego => ("impact_full.rego", IMPACT_FULL_REGO),
            Impact::Precomputed => ("impact_pre.rego", IMPACT_PRE_REGO),
        };
        engine.add_policy(name.to_owned(), text.to_owned())?;
        engine.add_data_json(&topo_json(n, impact == Impact::InRego))?;
        let impacted = match impact {
            Impact::InRego => String::new(),
            Impact::Precomputed => {
                format!(",\"impacted\":{}", serde_json::json!(impacted_ids(n, t)))
            }
        };
        let input =
            regorus::Value::from_json_str(&format!("{{\"change\":{}{impacted}}}", rego_change(t)))?;
        Ok(Rego { engine, input })
    }

    /// One decision (`data.change.decision`).
    pub(crate) fn decide(&mut self) -> anyhow::Result<regorus::Value> {
        self.engine.set_input(self.input.clone());
        self.engine.eval_rule("data.change.decision".to_owned())
    }

    /// One decision, read back.
    pub(crate) fn decision(&mut self) -> anyhow::Result<PeerDecision> {
        let v: serde_json::Value = serde_json::from_str(&self.decide()?.to_json_str()?)?;
        let strings = |v: &serde_json::Value| -> BTreeSet<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(PeerDecision {
            outcome: v["outcome"].as_str().unwrap_or_default().to_owned(),
            denials: strings(&v["denials"]),
            unmet: v["unmet"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|r| r["group"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            impacted: v["impacted_count"]
                .as_u64()
                .and_then(|c| usize::try_from(c).ok()),
        })
    }
}

fn uid(ty: &str, id: &str) -> anyhow::Result<EntityUid> {
    Ok(EntityUid::from_type_name_and_id(
        EntityTypeName::from_str(ty)?,
        EntityId::new(id),
    ))
}

/// What the Cedar host decides from the fired policies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CedarVerdict {
    pub(crate) denied: bool,
    pub(crate) unmet: Vec<&'static str>,
    pub(crate) conditions: Vec<&'static str>,
}

/// Cedar with entities, policies and the request built once.
pub(crate) struct Cedar {
    authorizer: Authorizer,
    policies: PolicySet,
    entities: Entities,
    request: Request,
    /// Distinct CAB approvers (not the requester): Cedar cannot count them.
    cab_approvers: usize,
}

impl Cedar {
    /// The entities of an estate of `n` nodes: each node's parents are the
    /// nodes that depend on it, plus `Tier::"0"` and `Tag::"pii"`. This is
    /// where Cedar computes its transitive closure (seconds at N = 100k).
    pub(crate) fn entities(n: usize) -> anyhow::Result<Entities> {
        let rdeps = reverse(&dependencies(n));
        let tier0 = uid("Tier", "0")?;
        let pii = uid("Tag", "pii")?;
        let mut all = Vec::with_capacity(n + 2);
        all.push(Entity::new_no_attrs(tier0.clone(), HashSet::new()));
        all.push(Entity::new_no_attrs(pii.clone(), HashSet::new()));
        for (i, d) in rdeps.iter().enumerate() {
            let mut parents: HashSet<EntityUid> = d
                .iter()
                .map(|j| uid("Node", &format!("n{j}")))
                .collect::<anyhow::Result<_>>()?;
            if layer(i, n) == 0 {
                parents.insert(tier0.clone());
            }
            if i % 7 == 0 {
                parents.insert(pii.clone());
            }
            all.push(Entity::new_no_attrs(
                uid("Node", &format!("n{i}"))?,
                parents,
            ));
        }
        Ok(Entities::from_entities(all, None)?)
    }

    /// The engine for the change on `n{t}`, over `entities`.
    pub(crate) fn new(entities: Entities, t: usize) -> anyhow::Result<Cedar> {
        // Cedar names the policies `policy0`, `policy1`, …; the file names
        // them with `@id(...)`, so the fired ids the host reads are those.
        let mut policies = PolicySet::new();
        for p in PolicySet::from_str(CHANGE_CEDAR)?.policies() {
            let id = p.annotation("id").unwrap_or(p.id().as_ref()).to_owned();
            policies.add(p.new_id(PolicyId::new(id)))?;
        }
        let s = |v: &str| RestrictedExpression::new_string(v.to_owned());
        let approvals = RestrictedExpression::new_record([
            ("cab".to_owned(), RestrictedExpression::new_set([s("bob")])),
            (
                "dba".to_owned(),
                RestrictedExpression::new_set([s("alice")]),
            ),
        ])?;
        let context = Context::from_pairs([
            ("type".to_owned(), s("normal")),
            ("category".to_owned(), s("database")),
            (
                "start".to_owned(),
                RestrictedExpression::new_datetime("2026-12-22T14:00:00Z"),
            ),
            (
                "end".to_owned(),
                RestrictedExpression::new_datetime("2026-12-22T15:00:00Z"),
            ),
            ("approvals".to_owned(), approvals),
            ("backout_plan".to_owned(), s("restore snapshot")),
        ])?;
        let request = Request::new(
            uid("User", "carol")?,
            uid("Action", "change")?,
            uid("Node", &format!("n{t}"))?,
            context,
            None,
        )?;
        Ok(Cedar {
            authorizer: Authorizer::new(),
            policies,
            entities,
            request,
            cab_approvers: 1,
        })
    }

    /// One decision: `is_authorized`, then the host reads the fired policies.
    pub(crate) fn decide(&self) -> CedarVerdict {
        let response = self
            .authorizer
            .is_authorized(&self.request, &self.policies, &self.entities);
        let mut v = CedarVerdict::default();
        for id in response.diagnostics().reason() {
            match id.as_ref() {
                "r1_cab_x2" if self.cab_approvers < 2 => v.unmet.push("cab"),
                "r2_dba" => v.unmet.push("dba"),
                "r5_freeze" => v.denied = true,
                "r6_security" => v.unmet.push("security"),
                "r7_incident_commander" => v.unmet.push("incident-commander"),
                "r8_backout" => v.conditions.push("a backout plan is required"),
                _ => {}
            }
        }
        v
    }

    /// One decision, read back.
    pub(crate) fn decision(&self) -> PeerDecision {
        let v = self.decide();
        PeerDecision {
            outcome: if v.denied {
                "denied"
            } else if v.unmet.is_empty() && v.conditions.is_empty() {
                "approved"
            } else {
                "pending"
            }
            .to_owned(),
            denials: if v.denied {
                ["holiday freeze".to_owned()].into()
            } else {
                BTreeSet::new()
            },
            unmet: v.unmet.iter().map(|&g| g.to_owned()).collect(),
            impacted: None,
        }
    }
}

/// changegate's decision, read back from its JSON.
pub(crate) fn changegate_decision(
    policy: &changegate::Policy,
    change_json: &str,
    graph: &changegate::Graph,
) -> anyhow::Result<PeerDecision> {
    let d: serde_json::Value = serde_json::from_str(&policy.evaluate_json(change_json, graph)?)?;
    Ok(PeerDecision {
        outcome: d["outcome"].as_str().unwrap_or_default().to_owned(),
        denials: d["blocks"]
            .as_array()
            .map(|b| {
                b.iter()
                    .filter_map(|b| b["window"].as_str())
                    .map(|w| w.replace('_', " "))
                    .collect()
            })
            .unwrap_or_default(),
        unmet: d["approvals"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|a| a["satisfied"] == false)
                    .filter_map(|a| a["group"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        impacted: d["impact"]["impacted"].as_array().map(Vec::len),
    })
}
