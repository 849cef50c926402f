// The engine, off the page's main thread: typing never waits for a
// compilation or an evaluation. The worker keeps the compiled policy and the
// loaded graph between requests and redoes only what changed.
import init, { Graph, Policy, version } from "./pkg/changegate.js";

const ready = init();

const cache = {
  sourcesKey: null,
  policy: null,
  policyProblem: null,
  graphText: null,
  graph: null,
  graphProblem: null,
  nodes: [],
  graphVersion: 0,
};

/** An engine error as plain data for the page. */
function problem(e) {
  if (e && e.name === "ChangegateError") {
    const { kind, document, path, message, help, diagnostics } = e;
    return { kind, document, path, message, help, diagnostics };
  }
  return { kind: "internal", message: String(e?.message ?? e) };
}

function compile(sources) {
  const key = JSON.stringify(sources);
  if (key === cache.sourcesKey) return false;
  cache.sourcesKey = key;
  cache.policy?.free();
  cache.policy = null;
  cache.policyProblem = null;
  try {
    cache.policy = Policy.fromSources(sources);
  } catch (e) {
    cache.policyProblem = problem(e);
  }
  return true;
}

function loadGraph(text) {
  if (text === cache.graphText) return false;
  cache.graphText = text;
  cache.graph?.free();
  cache.graph = null;
  cache.graphProblem = null;
  try {
    cache.graph = Graph.fromJson(text);
    cache.nodes = cache.graph.nodes();
    cache.graphVersion++;
  } catch (e) {
    cache.graphProblem = problem(e);
  }
  return true;
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const t0 = performance.now();
    const compiled = compile(data.sources);
    const t1 = performance.now();
    const loaded = loadGraph(data.graph);
    const t2 = performance.now();
    const reply = {
      seq: data.seq,
      version: version(),
      diagnostics: cache.policyProblem?.diagnostics ?? [],
      policyProblem: cache.policyProblem,
      graphProblem: cache.graphProblem,
      changeProblem: null,
      decision: null,
      json: null,
      zones: {},
      digest: cache.policy?.digest ?? null,
      rules: cache.policy?.rules.length ?? 0,
      graphVersion: cache.graphVersion,
      nodes: data.graphVersion === cache.graphVersion ? null : cache.nodes,
      timings: { compile: compiled ? t1 - t0 : null, graph: loaded ? t2 - t1 : null, evaluate: null },
    };
    if (cache.policy && cache.graph) {
      try {
        reply.json = cache.policy.evaluateJson(data.change, cache.graph);
        reply.decision = JSON.parse(reply.json);
        for (const block of reply.decision.blocks) {
          if (block.window) reply.zones[block.window] = cache.policy.windowTimeZone(block.window) ?? "UTC";
        }
      } catch (e) {
        reply.changeProblem = problem(e);
      }
      reply.timings.evaluate = performance.now() - t2;
    }
    self.postMessage(reply);
  } catch (e) {
    // A trap inside the module (a bug in the engine): the page starts a new worker.
    self.postMessage({ seq: data.seq, fatal: String(e?.stack ?? e) });
  }
};
