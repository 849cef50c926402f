// Compiled by `tsc --noEmit` (tests/node/types.test.mjs): the declarations
// of the Node build describe everything a caller touches, precisely enough
// that each statement under an expect-error marker fails to type-check.
import {
  check,
  Graph,
  impact,
  Policy,
  version,
  type ChangeRecord,
  type ChangegateError,
  type Decision,
  type Diagnostic,
  type ImpactReport,
} from "../../pkg/changegate.js";

const sources: Record<string, string> = { "a.gate": 'rule r { require approval "cab" }' };
const policy: Policy = new Policy(sources);
const fromMap: Policy = Policy.fromSources(new Map(Object.entries(sources)));
const graph: Graph = Graph.fromJson('{"nodes": [{"id": "db"}]}');

const change: ChangeRecord = {
  id: "CHG1",
  type: "normal",
  targets: ["db"],
  start: "2026-12-01T10:00:00Z",
  end: "2026-12-01T11:00:00Z",
  approvals: [{ group: "cab", by: "bob" }],
  backups: [{ resource: "db", kind: "snapshot", taken_at: "2026-12-01T09:00:00Z", verified: true, status: "completed" }],
  attributes: { risk: "low" },
};

const decision: Decision = policy.evaluate(change, graph);
const json: string = policy.evaluateJson(JSON.stringify(change), graph);
const outcome: "approved" | "pending" | "denied" = decision.outcome;
const groups: string[] = decision.approvals.map((a) => a.group);
const next: string | null = decision.next_allowed_start;
for (const block of decision.blocks) {
  if (block.kind === "during") {
    const start: string = block.occurrence.start;
    void start;
  } else if (block.kind === "deny") {
    const message: string = block.message;
    void message;
  }
}
const depths: number[] = decision.impact.impacted.map((n) => n.depth);
const digest: string = policy.digest + decision.audit.policy_digest;
const files: string[] = policy.files;
const rules: string[] = policy.rules;
const zone: string | undefined = policy.windowTimeZone("freeze");
const report: ImpactReport = impact(graph, ["db"]);
const diagnostics: Diagnostic[] = check(sources);
const line: number = diagnostics[0]?.line ?? 0;
const help: string | null | undefined = diagnostics[0]?.help;
const count: number = graph.nodeCount + graph.edgeCount;
const ids: string[] = graph.nodes().flatMap((n) => [n.id, ...n.dependsOn]);
const v: string = version();

try {
  new Policy({ "b.gate": "rule" });
} catch (e) {
  const err = e as ChangegateError;
  if (err.kind === "policy") {
    const first: Diagnostic | undefined = err.diagnostics[0];
    void first;
  } else if (err.kind === "input") {
    const where: string = err.path + err.document;
    void where;
  }
}

// @ts-expect-error: an outcome is one of three words
const wrong: Decision["outcome"] = "maybe";
// @ts-expect-error: a change needs its required fields
const incomplete: ChangeRecord = { id: "CHG2", type: "normal" };
// @ts-expect-error: targets are ids
impact(graph, [1, 2]);
// @ts-expect-error: policy sources are texts
new Policy({ "a.gate": 42 });

void [fromMap, json, outcome, groups, next, depths, digest, files, rules, zone, report, line, help, count, ids, v, wrong, incomplete];
