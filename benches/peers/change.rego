# The benchmark scenario's policy for regorus (benches/README.md), unchanged.
# Change-management policy, Rego v1. The impacted set (`impacted`) is defined in
# a second module of the same package: impact_full.rego (graph.reachable over
# data.topo.rdeps) or impact_pre.rego (precomputed by the host, in input).
package change

import rego.v1

freeze_start_ns := time.parse_rfc3339_ns("2026-12-20T00:00:00Z")

freeze_end_ns := time.parse_rfc3339_ns("2027-01-04T00:00:00Z")

day_ns := ((24 * 60) * 60) * 1000000000

chg := input.change

nodes := data.topo.nodes

# Rule 1: a tier-0 node is impacted -> 2 distinct CAB approvers.
tier0_impacted if {
	some n in impacted
	nodes[n].tier == 0
}

requirements contains {"rule": 1, "require": "approval", "group": "cab", "count": 2} if tier0_impacted

# Rule 2: database change -> 1 DBA approval.
requirements contains {"rule": 2, "require": "approval", "group": "dba", "count": 1} if chg.category == "database"

# Rule 3: schema change -> a snapshot of each target taken within 24h before start.
requirements contains {"rule": 3, "require": "backup", "resource": t, "kind": "snapshot"} if {
	"schema" in chg.tags
	some t in chg.targets
}

# Rule 4: large blast radius -> SRE lead.
requirements contains {"rule": 4, "require": "approval", "group": "sre-lead", "count": 1} if count(impacted) > 100

# Rule 5: holiday freeze for non-emergency changes whose [start, end) overlaps it.
denials contains "holiday freeze" if {
	chg.type != "emergency"
	time.parse_rfc3339_ns(chg.start) < freeze_end_ns
	time.parse_rfc3339_ns(chg.end) > freeze_start_ns
}

# Rule 6: PII impacted -> security approval.
pii_impacted if {
	some n in impacted
	"pii" in nodes[n].tags
}

requirements contains {"rule": 6, "require": "approval", "group": "security", "count": 1} if pii_impacted

# Rule 7: emergency -> incident commander.
requirements contains {"rule": 7, "require": "approval", "group": "incident-commander", "count": 1} if chg.type == "emergency"

# Rule 8: a backout plan is required.
requirements contains {"rule": 8, "require": "backout_plan"} if not has_backout_plan

has_backout_plan if chg.backout_plan != ""

approvers(group) := {a.by | some a in chg.approvals; a.group == group}

satisfied(r) if {
	r.require == "approval"
	count(approvers(r.group)) >= r.count
}

satisfied(r) if {
	r.require == "backup"
	start := time.parse_rfc3339_ns(chg.start)
	some b in chg.backups
	b.resource == r.resource
	b.kind == r.kind
	taken := time.parse_rfc3339_ns(b.taken_at)
	taken <= start
	start - taken <= day_ns
}

unmet contains r if {
	some r in requirements
	not satisfied(r)
}

outcome := "denied" if {
	count(denials) > 0
} else := "pending" if {
	count(unmet) > 0
} else := "approved"

decision := {
	"outcome": outcome,
	"unmet": unmet,
	"denials": denials,
	"impacted_count": count(impacted),
}
