// A typed use of the package, checked by `tsc --noEmit` (make test-node):
// the decision's outcome is a string union, optional fields are optional,
// errors are one class with a `kind` and every field of the error report.
import { readFileSync } from 'node:fs'
import { ChangegateError, Graph, Policy, impact, validate } from 'changegate'
import type { Block, Change, Decision, Diagnostic, ErrorKind, GraphNode, ImpactReport, Limits, Outcome } from 'changegate'

export function summary(decision: Decision): string {
  switch (decision.outcome) {
    case 'approved':
      return `${decision.change}: approved`
    case 'pending': {
      const missing = decision.approvals.filter((a) => !a.satisfied).map((a) => `${a.group} (${a.granted_by.length}/${a.required})`)
      const backups = decision.backups.filter((b) => !b.satisfied).map((b) => `${b.node} ${b.kind ?? 'any'} within ${b.within}`)
      return `${decision.change}: pending on ${[...missing, ...backups].join(', ')}`
    }
    case 'denied': {
      const retry = decision.next_allowed_start ?? 'no time: fix the blocks first'
      return `${decision.change}: denied (${decision.blocks.map(describe).join('; ')}); next allowed start: ${retry}`
    }
    default: {
      const impossible: never = decision.outcome
      return impossible
    }
  }
}

function describe(block: Block): string {
  switch (block.kind) {
    case 'during':
      return `overlaps ${block.window} from ${block.occurrence?.start} to ${block.occurrence?.end}`
    case 'outside':
      return `outside ${block.window}`
    case 'deny':
      return block.message ?? 'denied'
  }
}

export function explain(err: unknown): string {
  if (!(err instanceof ChangegateError)) throw err
  switch (err.kind) {
    case 'policy':
      return err.diagnostics.map((d: Diagnostic) => `${d.file}:${d.line}:${d.column}: ${d.message}${d.help ? ` (help: ${d.help})` : ''}`).join('\n')
    case 'input':
      return `invalid ${err.document}${err.path ? ` at ${err.path}` : ''}: ${err.message}`
    case 'io':
    case 'limit':
    case 'internal':
      return err.message + (err.help ? ` (help: ${err.help})` : '')
  }
}

export async function main(root: string): Promise<void> {
  const limits: Limits = { max_graph_nodes: 50000, max_window_scan: 100000 }
  const policy = Policy.fromPath([`${root}/policies/itil`, `${root}/policies/calendar`], limits)
  const graph = Graph.fromFile(`${root}/policies/estate.json`, limits)
  const nodes: GraphNode[] = graph.nodes()
  const zone: string | null = policy.windowTimeZone('freeze')
  const problems: Diagnostic[] = validate({ 'a.gate': 'rule r { deny "no" }' })
  const change: Change = JSON.parse(readFileSync(`${root}/policies/examples/demo/change.json`, 'utf8'))
  const decision: Decision = policy.evaluate(change, graph)
  const later: Decision = await policy.evaluateAsync({ ...change, type: 'emergency' }, graph)
  const json: string = policy.evaluateJson(JSON.stringify(change), graph)
  const report: ImpactReport = impact(graph, change.targets)
  const outcomes: Outcome[] = [decision.outcome, later.outcome]
  console.log(summary(decision), json.length, report.impacted.length, outcomes, policy.digest, policy.rules.length)
  console.log(nodes.length, graph.edgeCount, graph.has('orders-db'), zone, problems.length)
  try {
    Policy.fromSources({ 'bad.gate': 'rule r { deny during nowhere }' })
  } catch (err) {
    console.log(explain(err))
  }
}

// The types are precise: each line below must be a type error.
// @ts-expect-error an outcome is one of three strings
export const notAnOutcome: Outcome = 'maybe'
// @ts-expect-error `type` is standard, normal or emergency
export const badType: Change = { id: 'C', type: 'urgent', targets: ['db'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' }
// @ts-expect-error `targets` is required
export const noTargets: Change = { id: 'C', type: 'normal', start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' }
// @ts-expect-error decision keys are those of the JSON (snake_case)
export const camel = (d: Decision) => d.nextAllowedStart
// @ts-expect-error error kinds are lower case
export const upper: ErrorKind = 'POLICY'
// @ts-expect-error limits have the keys of `Limits` only
export const unknownLimit: Limits = { max_nodes: 10 }
// @ts-expect-error a limit is a number
export const textLimit: Limits = { max_nesting: '3' }
