// The engine, off the page's main thread: typing never waits for a
// compilation or an evaluation. The worker keeps the compiled policy and the
// loaded graph between requests and redoes only what changed.
import init, { Graph, Policy, formatPolicy, importTexts, lint, version } from "./pkg/changegate.js";

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
  graphDocument: null, // the graph as changegate's own JSON, for the lints that read one
  lintKey: null,
  findings: [],
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

/**
 * What a pasted input is: changegate's own JSON (`null`), or another tool's
 * records the engine reads through an adapter: a Backstage catalog (YAML or
 * the catalog API's JSON) for the graph, a ServiceNow `change_request` as the
 * Table API returns it for the change.
 */
export function adapterFor(key, text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return key === "graph" && /^\s*(apiVersion|kind|metadata)\s*:/m.test(text) ? "backstage" : null;
  }
  if (key === "change") return doc && typeof doc === "object" && "result" in doc ? "servicenow-change" : null;
  const entity = (e) => e && typeof e === "object" && "apiVersion" in e && "metadata" in e;
  return Array.isArray(doc) || (doc && Array.isArray(doc.items)) || entity(doc) ? "backstage" : null;
}

/**
 * `text` as changegate's own JSON: imported when it is another tool's
 * records. An import error's path loses its file name (the page has one
 * text per input), so the editor can mark the place.
 */
function asOwn(key, text) {
  const adapter = adapterFor(key, text);
  if (!adapter) return { text, adapter };
  const [role, name] = adapter === "backstage" ? ["catalog", "catalog.yaml"] : ["change", "change_request.json"];
  try {
    const imported = importTexts(adapter, { [role]: { [name]: text } });
    return { text: JSON.stringify(imported.document), adapter, notes: imported.notes };
  } catch (e) {
    if (e?.path?.startsWith(`${name}: `)) e.path = e.path.slice(name.length + 2);
    else if (e?.path?.startsWith(`${name}:`)) {
      const [line, column] = e.path.slice(name.length + 1).split(":");
      e.message = `${e.message} at line ${line} column ${column}`;
      e.path = null;
    }
    throw e;
  }
}

function loadGraph(text) {
  if (text === cache.graphText) return false;
  cache.graphText = text;
  cache.graph?.free();
  cache.graph = null;
  cache.graphProblem = null;
  cache.graphFrom = null;
  cache.graphDocument = null;
  try {
    const own = asOwn("graph", text);
    cache.graphFrom = own.adapter;
    cache.graph = Graph.fromJson(own.text);
    cache.graphDocument = own.text;
    cache.nodes = cache.graph.nodes();
    cache.graphVersion++;
  } catch (e) {
    cache.graphProblem = problem(e);
  }
  return true;
}

/**
 * The lint findings of a policy that compiles, as `changegate lint` gives
 * them from today, with the graph when it loads; redone only when the
 * policy, the graph or the day changed.
 */
function findings(sources) {
  if (!cache.policy) return [];
  const at = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
  const key = `${cache.sourcesKey}\u0000${cache.graphText}\u0000${at}`;
  if (key === cache.lintKey) return cache.findings;
  cache.lintKey = key;
  try {
    const request = { at };
    if (cache.graphDocument) request.graph = JSON.parse(cache.graphDocument);
    cache.findings = lint(sources, request);
  } catch {
    cache.findings = []; // the policy compiled, so this is only a graph the lints cannot read
  }
  return cache.findings;
}

/** `{ kind: "format", id, name, text }`: the file in the canonical layout, or why not. */
function format(data) {
  try {
    return { kind: "formatted", id: data.id, name: data.name, text: formatPolicy(data.text, data.name) };
  } catch (e) {
    return { kind: "formatted", id: data.id, name: data.name, problem: problem(e) };
  }
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
    if (data.kind === "format") return self.postMessage(format(data));
    const t0 = performance.now();
    const compiled = compile(data.sources);
    const t1 = performance.now();
    const loaded = loadGraph(data.graph);
    const t2 = performance.now();
    const reply = {
      seq: data.seq,
      version: version(),
      diagnostics: cache.policyProblem?.diagnostics ?? [],
      findings: findings(data.sources),
      policyProblem: cache.policyProblem,
      graphProblem: cache.graphProblem,
      changeProblem: null,
      decision: null,
      json: null,
      zones: {},
      digest: cache.policy?.digest ?? null,
      rules: cache.policy?.rules.length ?? 0,
      graphVersion: cache.graphVersion,
      graphFrom: cache.graphFrom,
      changeFrom: null,
      nodes: data.graphVersion === cache.graphVersion ? null : cache.nodes,
      timings: { compile: compiled ? t1 - t0 : null, graph: loaded ? t2 - t1 : null, evaluate: null },
    };
    if (cache.policy && cache.graph) {
      try {
        const change = asOwn("change", data.change);
        reply.changeFrom = change.adapter;
        if (change.adapter) reply.changeText = change.text;
        reply.json = cache.policy.evaluateJson(change.text, cache.graph);
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
