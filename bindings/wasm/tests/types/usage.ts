// Compiled by `tsc --noEmit` (tests/node/types.test.mjs): the declarations
// of the Node build describe everything a caller touches, precisely enough
// that each statement under an expect-error marker fails to type-check.
import {
  ChangegateError,
  Graph,
  impact,
  Policy,
  validate,
  version,
  type Change,
  type Decision,
  type Diagnostic,
  type GraphNode,
  type ImpactReport,
  type Limits,
} from "../../pkg/changegate.js";

const sources: Record<string, string> = { "a.gate": 'rule r { require approval "cab" }' };
const limits: Limits = { max_graph_nodes: 1000, max_input_bytes: 65536 };
const policy: Policy = Policy.fromSources(sources);
const fromMap: Policy = Policy.fromSources(new Map(Object.entries(sources)), limits);
const graph: Graph = Graph.fromJson('{"nodes": [{"id": "db"}]}', limits);

const change: Change = {
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
const plain: Decision = policy.evaluate(JSON.stringify(change), graph).toJSON();
const json: string = policy.evaluateJson(JSON.stringify(change), graph);
const outcome: "approved" | "pending" | "denied" = decision.outcome;
const groups: string[] = decision.approvals.map((a) => a.group);
const next: string | null = decision.next_allowed_start;
for (const block of decision.blocks) {
  if (block.kind === "during") {
    const start: string | undefined = block.occurrence?.start;
    void start;
  } else if (block.kind === "deny") {
    const message: string | null | undefined = block.message;
    void message;
  }
}
const depths: number[] = decision.impact.impacted.map((n) => n.depth);
const digest: string = policy.digest + decision.audit.policy_digest;
const files: string[] = policy.files;
const rules: string[] = policy.rules;
const zone: string | undefined = policy.windowTimeZone("freeze");
const report: ImpactReport = impact(graph, ["db"]);
const diagnostics: Diagnostic[] = validate(sources, limits);
const line: number = diagnostics[0]?.line ?? 0;
const help: string | null | undefined = diagnostics[0]?.help;
const count: number = graph.nodeCount + graph.edgeCount;
const nodes: GraphNode[] = graph.nodes();
const ids: string[] = nodes.flatMap((n) => [n.id, ...(n.depends_on ?? [])]);
const known: boolean = graph.has("db");
const v: string = version();

try {
  Policy.fromSources({ "b.gate": "rule" });
} catch (e) {
  if (!(e instanceof ChangegateError)) throw e;
  const err: ChangegateError = e;
  const help: string | null = err.help;
  void help;
  if (err.kind === "policy") {
    const first: Diagnostic | undefined = err.diagnostics[0];
    void first;
  } else if (err.kind === "input") {
    const where: string = `${err.path}: ${err.document}`;
    void where;
  }
}

// @ts-expect-error: an outcome is one of three words
const wrong: Decision["outcome"] = "maybe";
// @ts-expect-error: a change needs its required fields
const incomplete: Change = { id: "CHG2", type: "normal" };
// @ts-expect-error: targets are ids
impact(graph, [1, 2]);
// @ts-expect-error: policy sources are texts
Policy.fromSources({ "a.gate": 42 });
// @ts-expect-error: limits are counts
Graph.fromJson("{}", { max_graph_nodes: "10" });
// @ts-expect-error: compile with Policy.fromSources
new Policy(sources);

void [fromMap, plain, json, outcome, groups, next, depths, digest, files, rules, zone, report, line, help, count, ids, known, v, wrong, incomplete];
