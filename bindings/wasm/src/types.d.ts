
/** Policy files by name, e.g. `{ "itil/baseline.gate": "rule … { … }" }`, or a `Map` of the same. */
export type PolicySources = Record<string, string> | Map<string, string>;

/** One problem in a policy (1-based lines and columns; the end is exclusive). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  message: string;
  help: string | null;
}

/** What `new Policy`, `Graph.fromJson`, `evaluate`, `evaluateJson` and `impact` throw: an `Error` named
 * `ChangegateError` carrying the fields of the engine's error JSON (`{"error": {…}}`). */
export type ChangegateError = Error & { name: "ChangegateError" } & (
  | { kind: "policy"; code: "POLICY"; message: string; diagnostics: Diagnostic[] }
  | { kind: "input"; code: "INPUT"; document: "graph" | "change"; path: string; message: string; help: string | null }
  | { kind: "io"; code: "IO"; path: string; message: string; help: string | null }
  | { kind: "limit"; code: "LIMIT"; message: string; help: string | null }
);

/** A change record (an RFC), as in the spec §2.2. */
export interface ChangeRecord {
  id: string;
  type: "standard" | "normal" | "emergency";
  targets: string[];
  /** RFC 3339 with an offset. */
  start: string;
  /** RFC 3339 with an offset, after `start`. */
  end: string;
  requested_by?: string | null;
  approvals?: { group: string; by: string; at?: string | null }[];
  backups?: {
    resource: string;
    kind?: string | null;
    taken_at: string;
    verified?: boolean;
    status?: "completed" | "failed" | "partial" | "in_progress";
  }[];
  overrides?: { rule: string; group: string; by: string; reason: string }[];
  attributes?: Record<string, unknown>;
}

/** A node of a graph, as the engine read it. */
export interface GraphNode {
  id: string;
  kind: string | null;
  tier: number | null;
  owner: string | null;
  tags: string[];
  /** The ids this node depends on (its `depends_on` and the edges from it), sorted. */
  dependsOn: string[];
}

export type Outcome = "approved" | "pending" | "denied";

export interface ApprovalCheck {
  group: string;
  required: number;
  granted_by: string[];
  satisfied: boolean;
  rules: string[];
}

export interface BackupCheck {
  node: string;
  /** `null`: any kind. */
  kind: string | null;
  within: string;
  verified: boolean;
  satisfied: boolean;
  evidence: { taken_at: string } | null;
  rules: string[];
}

export interface ConditionCheck {
  message: string;
  satisfied: boolean;
  rules: string[];
}

/** A half-open interval `[start, end)`, RFC 3339 in UTC. */
export interface Interval {
  start: string;
  end: string;
}

export type Block =
  | { kind: "during"; window: string; occurrence: Interval; rules: string[] }
  | { kind: "outside"; window: string; rules: string[] }
  | { kind: "deny"; message: string; rules: string[] };

export interface ImpactedNode {
  id: string;
  depth: number;
  path: string[];
}

export interface ImpactReport {
  targets: string[];
  impacted: ImpactedNode[];
}

export interface OverrideCheck {
  rule: string;
  group: string;
  by: string;
  reason: string;
  counted: boolean;
  problem?: string;
}

export interface Fired {
  rule: string;
  file: string;
  line: number;
  because?: string;
}

/** The decision (spec §4). */
export interface Decision {
  change: string;
  outcome: Outcome;
  approvals: ApprovalCheck[];
  backups: BackupCheck[];
  conditions: ConditionCheck[];
  blocks: Block[];
  next_allowed_start: string | null;
  impact: ImpactReport;
  overrides: OverrideCheck[];
  fired: Fired[];
  audit: { policy_digest: string; engine: string };
}
