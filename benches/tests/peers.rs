//! Every peer of the `peers` bench reaches the scenario's decision
//! ("denied: holiday freeze; unmet cab×2, sre-lead, security"; Cedar
//! without rule 4, which it cannot express) at N = 1,000.

#[path = "../support/peers.rs"]
mod peers;

use changegate::{Graph, Policy};
use changegate_benches::{POLICY, change_json, deep_target, estate_json};
use peers::{Cedar, Impact, Rego, changegate_decision, expected};

#[test]
fn every_peer_reaches_the_scenarios_decision() {
    let n = 1_000;
    let t = deep_target(n);
    let policy = Policy::from_sources([("bench.gate", POLICY)]).unwrap();
    let graph = Graph::from_json(&estate_json(n)).unwrap();
    let cg = changegate_decision(&policy, &change_json(t), &graph).unwrap();
    let (denials, unmet) = expected(true);
    assert_eq!(cg.outcome, "denied");
    assert_eq!((&cg.denials, &cg.unmet), (&denials, &unmet));

    for impact in [Impact::InRego, Impact::Precomputed] {
        let d = Rego::new(n, t, impact).unwrap().decision().unwrap();
        assert_eq!(d, cg, "regorus, {impact:?}");
    }

    let cedar = Cedar::new(Cedar::entities(n).unwrap(), t)
        .unwrap()
        .decision();
    let (denials, unmet) = expected(false);
    assert_eq!(cedar.outcome, "denied");
    assert_eq!((&cedar.denials, &cedar.unmet), (&denials, &unmet));
}
