// The JavaScript API of the Node build: shapes, errors and their fields,
// argument checking, and parity with the `changegate` CLI.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, test } from "node:test";

import { library as libraryOf, repo } from "./cases.mjs";

const require = createRequire(import.meta.url);
const cg = require("../../pkg");

const read = (...p) => readFileSync(join(repo, ...p), "utf8");
// The example library named as `--policy policies/` names it.
const library = libraryOf();
const estate = read("policies", "estate.json");
const demo = read("policies", "examples", "demo", "change.json");

function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail("expected an exception");
}

describe("Policy", () => {
  test("compiles named sources in the order given", () => {
    const p = cg.Policy.fromSources(library);
    assert.deepEqual(p.files, [
      "policies/backups/before-release.gate",
      "policies/calendar/freeze.gate",
      "policies/itil/baseline.gate",
    ]);
    assert.ok(p.rules.includes("holiday_change_freeze"));
    assert.deepEqual(p.rules, [...p.rules].sort());
    assert.match(p.digest, /^sha256:[0-9a-f]{64}$/);
  });

  test("a Map of sources is the same as an object", () => {
    const a = cg.Policy.fromSources(library);
    const b = cg.Policy.fromSources(new Map(Object.entries(library)));
    assert.equal(a.digest, b.digest);
    assert.deepEqual(a.files, b.files);
  });

  test("a bad policy throws a ChangegateError with every diagnostic", () => {
    const err = thrown(() => cg.Policy.fromSources({ "a.gate": "rule a {\n  when change.type = 1\n}\n", "b.gate": "rule b { deny during nowhere }" }));
    assert.ok(err instanceof Error);
    assert.ok(err instanceof cg.ChangegateError, "the class the package exports");
    assert.equal(err.name, "ChangegateError");
    assert.equal(err.kind, "policy");
    assert.equal(err.message, "2 errors in the policy");
    assert.deepEqual([err.help, err.document, err.path], [null, null, null]);
    assert.deepEqual(
      err.diagnostics.map((d) => [d.file, d.line, d.column]),
      [
        ["a.gate", 2, 20],
        ["b.gate", 1, 22],
      ],
    );
    for (const d of err.diagnostics) {
      assert.deepEqual(Object.keys(d), ["file", "line", "column", "end_line", "end_column", "message", "help"]);
      assert.equal(typeof d.message, "string");
    }
    assert.match(err.diagnostics[1].message, /nowhere/);
  });

  test("sources that are not name -> text are a TypeError", () => {
    for (const bad of [null, undefined, "rule", 42, ["a.gate"]]) assert.throws(() => cg.Policy.fromSources(bad), TypeError);
    assert.throws(() => cg.Policy.fromSources({ "a.gate": 42 }), { name: "TypeError", message: /`a\.gate`/ });
  });

  test("windowTimeZone names the window's zone", () => {
    const p = cg.Policy.fromSources(library);
    assert.equal(p.windowTimeZone("holiday_freeze"), "America/New_York");
    assert.equal(p.windowTimeZone("no_such_window"), undefined);
  });
});

describe("limits", () => {
  const small = '{"nodes": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}';
  test("are optional everywhere, with any of the keys of Limits", () => {
    assert.equal(cg.Graph.fromJson(small, { max_graph_nodes: 3 }).nodeCount, 3);
    assert.equal(cg.Graph.fromJson(small, null).nodeCount, 3);
    const err = thrown(() => cg.Graph.fromJson(small, { max_graph_nodes: 2 }));
    assert.deepEqual([err.kind, err.document, err.path], ["input", "graph", "nodes[2]"]);
    assert.equal(thrown(() => cg.Policy.fromSources(library, { max_source_bytes: 10 })).kind, "policy");
    assert.notEqual(cg.validate(library, { max_source_bytes: 10 }).length, 0);
    const policy = cg.Policy.fromSources(library, { max_input_bytes: 20 });
    const graph = cg.Graph.fromJson(estate);
    assert.equal(thrown(() => policy.evaluateJson(demo, graph)).document, "change");
  });
  test("an unknown key or a value that is not a count is an input error in the limits", () => {
    for (const bad of [{ max_nodes: 3 }, { max_graph_nodes: -1 }, { max_graph_nodes: "3" }]) {
      const err = thrown(() => cg.Graph.fromJson(small, bad));
      assert.deepEqual([err.kind, err.document], ["input", "limits"]);
      assert.match(err.help, /max_graph_nodes/);
    }
  });
});

describe("evaluate", () => {
  const policy = cg.Policy.fromSources(library);
  const graph = cg.Graph.fromJson(estate);

  test("evaluateJson is the decision JSON; evaluate is the same, parsed", () => {
    const json = policy.evaluateJson(demo, graph);
    assert.ok(json.endsWith("}\n"));
    assert.equal(json, read("policies", "examples", "demo", "expected.json").replaceAll("../../", "policies/"));
    assert.deepEqual(policy.evaluate(JSON.parse(demo), graph).toJSON(), JSON.parse(json));
    assert.deepEqual(policy.evaluate(demo, graph).toJSON(), JSON.parse(json), "a JSON string works too");
    assert.equal(JSON.stringify(policy.evaluate(demo, graph), null, 2) + "\n", json, "JSON.stringify writes the decision JSON");
    assert.equal(JSON.parse(json).audit.policy_digest, policy.digest);
  });

  test("a decision builds each field when first read, then keeps it", () => {
    const d = policy.evaluate(demo, graph);
    const keys = Object.keys(JSON.parse(policy.evaluateJson(demo, graph)));
    assert.deepEqual(Object.keys(d), [], "the fields are getters on the prototype");
    const fields = keys.toSpliced(keys.indexOf("next_allowed_start") + 1, 0, "next_allowed_start_limit");
    assert.deepEqual(Object.keys(Object.getPrototypeOf(d)), fields, "one per field, in the decision JSON's order");
    assert.equal(d.next_allowed_start_limit, null, "a field the JSON leaves out when null...");
    assert.deepEqual(Object.keys(d.toJSON()), keys, "...and so does toJSON()");
    assert.equal(d.impact, d.impact, "the same object on every read");
    assert.equal(d.change, "CHG0041215");
    d.outcome = "changed";
    assert.equal(d.outcome, "changed", "fields can be assigned");
    assert.equal(d.toJSON().outcome, "changed");
  });

  test("moving the demo into the holiday freeze denies it, with the next allowed start", () => {
    const change = { ...JSON.parse(demo), start: "2026-12-22T13:00:00Z", end: "2026-12-22T14:00:00Z" };
    const d = policy.evaluate(change, graph);
    assert.equal(d.outcome, "denied");
    const freeze = d.blocks.find((b) => b.window === "holiday_freeze");
    assert.equal(freeze.kind, "during");
    assert.ok(freeze.occurrence.start < change.start && change.end <= freeze.occurrence.end);
    assert.equal(typeof d.next_allowed_start === "string" || d.next_allowed_start === null, true);
  });

  test("a bad change is an input error naming the field", () => {
    const change = { ...JSON.parse(demo), targets: ["orders-db", "ordres-db"] };
    const err = thrown(() => policy.evaluate(change, graph));
    assert.equal(err.kind, "input");
    assert.equal(err.document, "change");
    assert.equal(err.path, "targets[1]");
    assert.match(err.message, /unknown target `ordres-db`/);
    assert.equal(err.help, "did you mean `orders-db`?");

    const syntax = thrown(() => policy.evaluateJson("{ \"id\": ", graph));
    assert.equal(syntax.kind, "input");
    assert.equal(syntax.path, "");
    assert.match(syntax.message, /^invalid JSON: .* at line 1 column \d+$/);

    assert.equal(thrown(() => policy.evaluate(42, graph)).document, "change");
    assert.throws(() => policy.evaluate(undefined, graph), TypeError);
  });

  test("Graph.fromJson names the bad field", () => {
    const err = thrown(() => cg.Graph.fromJson('{"nodes": [{"id": "a", "tier": "zero"}]}'));
    assert.equal(err.kind, "input");
    assert.equal(err.document, "graph");
    assert.equal(err.path, "nodes[0].tier");
  });

  test("a graph exposes its nodes and edges as the engine read them", () => {
    assert.equal(graph.nodeCount, 31);
    assert.ok(graph.edgeCount > 0);
    const nodes = graph.nodes();
    assert.equal(nodes.length, 31);
    const lb = nodes.find((n) => n.id === "edge-lb-eu");
    assert.deepEqual(lb, {
      id: "edge-lb-eu",
      kind: "load-balancer",
      tier: 0,
      owner: "team-netops",
      tags: ["customer-facing"],
      depends_on: ["dns-shop", "tls-certs"],
    });
    assert.equal(nodes.find((n) => n.id === "legacy-erp-export").owner, undefined);
    assert.equal(nodes.reduce((n, x) => n + x.depends_on.length, 0), graph.edgeCount);
    assert.ok(graph.has("edge-lb-eu"));
    assert.ok(!graph.has("nope"));
  });
});

describe("impact", () => {
  const graph = cg.Graph.fromJson(estate);
  test("is the decision's blast radius", () => {
    const decision = cg.Policy.fromSources(library).evaluate(demo, graph);
    assert.deepEqual(cg.impact(graph, ["orders-db"]), decision.impact);
  });
  test("unknown, missing and ill-typed targets", () => {
    assert.equal(thrown(() => cg.impact(graph, ["nope"])).path, "targets[0]");
    assert.equal(thrown(() => cg.impact(graph, [])).path, "targets");
    assert.throws(() => cg.impact(graph, "orders-db"), TypeError);
    assert.throws(() => cg.impact(graph, [1]), TypeError);
  });
});

describe("validate", () => {
  test("an empty list for a good policy", () => {
    assert.deepEqual(cg.validate(library), []);
  });
  test("diagnostics instead of an exception for a bad one", () => {
    const d = cg.validate({ "x.gate": 'rule a {\n  require approval "cab" count\n}\n' });
    assert.equal(d.length, 1);
    assert.equal(d[0].file, "x.gate");
    assert.equal(d[0].line, 3);
    assert.ok(d[0].end_line >= d[0].line);
    assert.ok("help" in d[0]);
  });
  test("is what Policy.fromSources throws", () => {
    const sources = { "x.gate": "window w = between 2026-01-01T00:00 and 2026-01-02T00:00 in \"Mars/Olympus\"\nrule r { deny during w }\n" };
    assert.deepEqual(cg.validate(sources), thrown(() => cg.Policy.fromSources(sources)).diagnostics);
  });
});

// The CLI, when `make test-rust` (or `make build`) has built it: every
// example of the library gives the same bytes from both.
const cli = join(repo, "target", "release", "changegate");
describe("parity with the changegate CLI", { skip: existsSync(cli) ? false : "target/release/changegate is not built" }, () => {
  const policy = cg.Policy.fromSources(library);
  const graph = cg.Graph.fromJson(estate);
  // The examples on the library's estate (those read from other tools'
  // records have their own graphs: the corpus test runs them).
  const onEstate = (name) => !JSON.parse(read(join("policies", "examples", name, "case.json"))).imports;
  for (const name of readdirSync(join(repo, "policies", "examples")).sort().filter(onEstate)) {
    test(name, () => {
      const change = join("policies", "examples", name, "change.json");
      let out;
      try {
        out = execFileSync(cli, ["check", "--policy", "policies/", "--graph", "policies/estate.json", "--change", change, "--format", "json"], {
          cwd: repo,
          encoding: "utf8",
        });
      } catch (e) {
        out = e.stdout; // exit code 2 (pending) or 3 (denied)
        assert.ok([2, 3].includes(e.status), e.stderr);
      }
      assert.equal(policy.evaluateJson(read(change), graph), out);
    });
  }
});

// wasm-bindgen reads a `&str` argument without checking its type, and
// reading a number as a string traps the module: each one is checked.
describe("a non-string where a string is expected", () => {
  const policy = cg.Policy.fromSources(library);
  const graph = cg.Graph.fromJson(estate);
  const calls = {
    "Graph.fromJson": () => cg.Graph.fromJson(42),
    "graph.has": () => graph.has({}),
    "policy.evaluateJson": () => policy.evaluateJson(7, graph),
    "policy.windowTimeZone": () => policy.windowTimeZone(null),
    importTexts: () => cg.importTexts(1, {}),
    formatPolicy: () => cg.formatPolicy(42),
    "formatPolicy's name": () => cg.formatPolicy("rule r { require approval \"x\" }", 3),
  };
  for (const [name, call] of Object.entries(calls)) {
    test(`${name} throws a TypeError and the module keeps working`, () => {
      assert.throws(call, TypeError);
      assert.equal(JSON.parse(policy.evaluateJson(demo, graph)).change, JSON.parse(demo).id);
    });
  }
});
