// A typed use of the package, checked by `tsc --noEmit` (make test-node):
// the decision's outcome is a string union, optional fields are optional,
// blocks are told apart by `kind`, errors carry their code and fields.
import { readFileSync } from 'node:fs'
import { Graph, Policy, impact } from 'changegate'
import type { Block, Change, ChangegateError, Decision, Diagnostic, ImpactReport, Outcome } from 'changegate'

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
      return `overlaps ${block.window} from ${block.occurrence.start} to ${block.occurrence.end}`
    case 'outside':
      return `outside ${block.window}`
    case 'deny':
      return block.message
  }
}

export function explain(err: unknown): string {
  const e = err as ChangegateError
  switch (e.code) {
    case 'POLICY':
      return (e.diagnostics ?? []).map((d: Diagnostic) => `${d.file}:${d.line}:${d.column}: ${d.message}${d.help ? ` (help: ${d.help})` : ''}`).join('\n')
    case 'INPUT':
      return `invalid ${e.document}${e.path ? ` at ${e.path}` : ''}: ${e.message}`
    case 'IO':
    case 'LIMIT':
    case 'INTERNAL':
      return e.message + (e.help ? ` (help: ${e.help})` : '')
  }
}

export async function main(root: string): Promise<void> {
  const policy = Policy.fromPath([`${root}/policies/itil`, `${root}/policies/calendar`])
  const graph = Graph.fromFile(`${root}/policies/estate.json`)
  const change: Change = JSON.parse(readFileSync(`${root}/policies/examples/demo/change.json`, 'utf8'))
  const decision: Decision = policy.evaluate(change, graph)
  const later: Decision = await policy.evaluateAsync({ ...change, type: 'emergency' }, graph)
  const json: string = policy.evaluateJson(JSON.stringify(change), graph)
  const report: ImpactReport = impact(graph, change.targets)
  const outcomes: Outcome[] = [decision.outcome, later.outcome]
  console.log(summary(decision), json.length, report.impacted.length, outcomes, policy.digest, policy.rules.length)
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
// @ts-expect-error a `deny` block has no window
export const noWindow = (b: Block & { kind: 'deny' }) => b.window
