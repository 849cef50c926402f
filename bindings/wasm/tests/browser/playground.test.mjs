// The playground in a real browser: Debian's Chromium driven by
// playwright-core, against the page served on 127.0.0.1. It loads the page,
// checks the decision shown against the Node build's, moves the change into
// the holiday freeze and back out, types a syntax error into the policy and
// finds it listed and marked at its line, and saves a screenshot
// (bindings/wasm/playground-screenshot.png).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = join(here, "..", "..");
const repo = join(wasmDir, "..", "..");
const cg = require(join(wasmDir, "pkg"));

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// What the page is given: the library named relative to policies/.
const manifest = JSON.parse(readFileSync(join(wasmDir, "playground", "examples", "manifest.json"), "utf8"));
const library = Object.fromEntries(
  manifest.policy.map((name) => [name, readFileSync(join(repo, "policies", ...name.split("/")), "utf8")]),
);
const estateText = readFileSync(join(repo, "policies", "estate.json"), "utf8");
const demoText = readFileSync(join(repo, "policies", "examples", "demo", "change.json"), "utf8");
const policy = cg.Policy.fromSources(library);
const estate = cg.Graph.fromJson(estateText);

let server;
let url;
let context;
let page;
let userDataDir;
const outside = [];
const problems = [];

/** Starts the playground's static server on a free port and returns its URL. */
function serve() {
  return new Promise((resolve, reject) => {
    server = spawn("python3", [join(wasmDir, "scripts", "serve.py"), "--port", "0", "--quiet", join(wasmDir, "playground")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    process.on("exit", () => server.kill());
    server.on("error", reject);
    server.on("exit", (code) => reject(new Error(`the server exited with ${code}`)));
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve(line.trim());
    });
  });
}

/** The outcome the panel shows once the engine is idle. */
async function settledOutcome() {
  await page.waitForFunction(() => document.body.dataset.engine === "idle");
  return page.getAttribute('[data-testid="outcome"]', "data-outcome");
}

async function waitForOutcome(outcome) {
  await page.waitForFunction(
    (o) => document.body.dataset.engine === "idle" && document.querySelector('[data-testid="outcome"]')?.dataset.outcome === o,
    outcome,
    { timeout: 15000 },
  );
}

/** The decision JSON the page shows, byte for byte. */
function shownJson() {
  return page.$eval('[data-testid="decision-json"]', (pre) => pre.textContent);
}

/** Selects `find` in the visible editor's textarea and types `replace` over it, key by key. */
async function typeOver(editorHost, find, replace) {
  const textarea = page.locator(`${editorHost} .editor:not([hidden]) textarea`);
  await textarea.focus();
  const found = await textarea.evaluate((t, s) => {
    const at = t.value.indexOf(s);
    if (at >= 0) t.setSelectionRange(at, at + s.length);
    return at;
  }, find);
  assert.ok(found >= 0, `"${find}" is in the editor`);
  await page.keyboard.type(replace, { delay: 5 });
}

describe("playground in Chromium", () => {
  before(async () => {
    url = await serve();
    userDataDir = mkdtempSync(join(tmpdir(), "changegate-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1600, height: 1000 },
      deviceScaleFactor: 1,
    });
    // Nothing but the page's own server: no CDN, no fonts, no telemetry.
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.hostname === "127.0.0.1" || u.protocol === "data:" || u.protocol === "blob:") return route.continue();
      outside.push(u.href);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  });

  after(async () => {
    await context?.close();
    server?.removeAllListeners("exit");
    server?.kill();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test("shows the demo's decision, byte for byte the engine's", async () => {
    await page.goto(url);
    await waitForOutcome("pending");
    const expected = policy.evaluateJson(demoText, estate);
    assert.equal(await shownJson(), expected);
    const decision = JSON.parse(expected);
    assert.equal(await page.locator('[data-testid="approval"]').count(), decision.approvals.length);
    assert.equal(await page.locator('[data-testid="backup"]').count(), decision.backups.length);
    assert.equal(await page.locator('[data-testid="condition"]').count(), decision.conditions.length);
    assert.equal(await page.locator('[data-testid="block"]').count(), 0);
    assert.match(await page.textContent('[data-testid="headline"]'), /^Waiting for \d+ approvals?/);
    // The blast radius: every system drawn, the target and the impacted ones marked.
    assert.equal(await page.locator("svg.blast .bn").count(), estate.nodeCount);
    assert.equal(await page.locator("svg.blast .bn-target").count(), 1);
    assert.equal(await page.locator("svg.blast .bn:not(.bn-idle)").count(), decision.impact.impacted.length);
    assert.equal(await page.locator("svg.blast .bn-idle").count(), estate.nodeCount - decision.impact.impacted.length);
    assert.ok((await page.locator("svg.blast .be-hot").count()) > 0, "impact edges are drawn");
    assert.equal(await page.getAttribute('svg.blast .bn-target', "data-id"), "orders-db");
    assert.match(await page.textContent('[data-testid="blast-summary"]'), new RegExp(`^${decision.impact.impacted.length} of ${estate.nodeCount} systems`));
    // The library compiles; what the linter finds with the estate (an owner-less system in an owner set) is counted.
    const at = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
    const found = cg.lint(library, { at, graph: JSON.parse(estateText) }).length;
    assert.equal(await page.textContent("#policy-problems-count"), found ? `compiles · ${found} lint finding${found === 1 ? "" : "s"}` : "compiles");
  });

  test("moving the change into the holiday freeze denies it; moving it to the next allowed start lifts the block", async () => {
    await page.click("#input-tabs .tab:first-child");
    await typeOver("#input-editor", '"2026-12-15T13:00:00Z"', '"2026-12-22T13:00:00Z"');
    await typeOver("#input-editor", '"2026-12-15T14:00:00Z"', '"2026-12-22T14:00:00Z"');
    await waitForOutcome("denied");
    const text = await page.$eval("#input-editor .editor:not([hidden]) textarea", (t) => t.value);
    const expected = policy.evaluateJson(text, estate);
    assert.equal(await shownJson(), expected, "the panel shows the engine's decision for the edited change");
    const decision = JSON.parse(expected);
    const freeze = page.locator('[data-testid="block"]', { hasText: "holiday_freeze" });
    assert.equal(await freeze.count(), 1);
    assert.match(await freeze.textContent(), /America\/New_York/);
    assert.match(await page.textContent('[data-testid="headline"]'), /^Blocked: .*frozen by holiday_freeze/);
    assert.ok(decision.next_allowed_start, "a next allowed start exists");
    const next = page.locator('[data-testid="next-start"]');
    assert.match(await next.textContent(), /Earliest allowed start/);
    await page.screenshot({ path: join(wasmDir, "test-results", "denied.png") });

    await next.locator("button").click();
    await page.waitForFunction(
      () => document.body.dataset.engine === "idle" && document.querySelector('[data-testid="outcome"]')?.dataset.outcome !== "denied",
      null,
      { timeout: 15000 },
    );
    const moved = JSON.parse(await page.$eval("#input-editor .editor:not([hidden]) textarea", (t) => t.value));
    assert.equal(new Date(moved.start).toISOString(), new Date(decision.next_allowed_start).toISOString());
    assert.equal(new Date(moved.end) - new Date(moved.start), 3600000, "the duration is kept");
    assert.equal(await page.locator('[data-testid="block"]').count(), 0);
  });

  test("a syntax error is listed with its line and marked in the editor as it is typed", async () => {
    // The demo change again, through the scenario picker.
    await page.selectOption("#scenario", "demo");
    await waitForOutcome("pending");
    await page.click("#policy-tabs .tab:nth-child(3)");
    const file = manifest.policy[2];
    const original = library[file];
    const anchor = 'require approval "cab" count 2';
    await typeOver("#policy-editor", anchor, 'require approval "cab" count');
    const edited = original.replace(anchor, 'require approval "cab" count');
    const diagnostics = cg.validate({ ...library, [file]: edited });
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;

    const item = page.locator('[data-testid="diagnostic"]');
    // Typing key by key shows the errors of the text typed so far first: wait
    // for the engine to settle on the finished text's error.
    await page.waitForFunction(
      (loc) => document.body.dataset.engine === "idle" && document.querySelector('[data-testid="diagnostic"] .problem-loc')?.textContent === loc,
      `${file}:${d.line}:${d.column}`,
      { timeout: 15000 },
    );
    assert.equal(await item.count(), 1);
    assert.equal(await item.locator(".problem-loc").textContent(), `${file}:${d.line}:${d.column}`);
    assert.match(await item.textContent(), new RegExp(d.message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    // The gutter marks the line, the text is underlined, the tab counts it.
    const marked = page.locator("#policy-editor .editor:not([hidden]) .ln-error");
    assert.deepEqual(await marked.allTextContents(), [String(d.line)]);
    assert.ok((await page.locator("#policy-editor .editor:not([hidden]) .mark-error").count()) > 0);
    assert.equal(await page.textContent("#policy-tabs .tab:nth-child(3) .tab-badge"), "1");
    assert.equal(await page.textContent("#policy-problems-count"), "1 problem");
    // The last decision stays, flagged as out of date.
    assert.match(await page.textContent('[data-testid="stale"]'), /The policy has 1 error/);
    await page.screenshot({ path: join(wasmDir, "test-results", "syntax-error.png") });

    // Fixing it brings the live decision back.
    await typeOver("#policy-editor", 'approval "cab" count', 'approval "cab" count 2');
    await waitForOutcome("pending");
    assert.equal(await page.locator('[data-testid="diagnostic"]').count(), 0);
    assert.equal(await page.locator('[data-testid="stale"]').count(), 0);
    assert.equal(await shownJson(), policy.evaluateJson(demoText, estate));
  });

  test("lint findings are underlined as warnings beside compile errors, and Format lays the file out", async () => {
    await page.selectOption("#scenario", "demo");
    await waitForOutcome("pending");
    await page.click("#policy-tabs .tab:nth-child(1)");
    const file = manifest.policy[0];
    // A badly laid out, unused set at the end of the first file, typed key by key.
    const textarea = page.locator("#policy-editor .editor:not([hidden]) textarea");
    await textarea.focus();
    await textarea.evaluate((t) => t.setSelectionRange(t.value.length, t.value.length));
    await page.keyboard.type("let   spare=targets\n", { delay: 5 });
    const edited = library[file] + "let   spare=targets\n";
    await page.waitForFunction(
      () => document.body.dataset.engine === "idle" && document.querySelector('[data-lint="unused-let"]'),
      null,
      { timeout: 15000 },
    );
    // The page lists what the engine's lint gives from today with the estate.
    const at = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
    const expected = cg.lint({ ...library, [file]: edited }, { at, graph: JSON.parse(estateText) });
    const shown = await page.$$eval('[data-testid="finding"]', (items) =>
      items.map((li) => [li.dataset.lint, li.querySelector(".problem-loc").textContent]),
    );
    assert.deepEqual(shown, expected.map((f) => [f.name, `${f.file}:${f.line}:${f.column}`]));
    const unused = expected.find((f) => f.name === "unused-let");
    assert.equal(unused.file, file);
    // Underlined in amber on its line, counted on the tab; the policy still compiles and decides.
    const active = "#policy-editor .editor:not([hidden])";
    assert.ok((await page.locator(`${active} .mark-warning`).count()) > 0);
    assert.ok((await page.locator(`${active} .ln-warning`).allTextContents()).includes(String(unused.line)));
    assert.equal(await page.locator(`${active} .mark-error`).count(), 0);
    assert.match(await page.textContent("#policy-problems-count"), /^compiles · \d+ lint findings?$/);
    assert.equal(await page.textContent("#policy-tabs .tab:nth-child(1) .tab-badge"), String(expected.filter((f) => f.file === file).length));
    assert.equal(await page.locator('[data-testid="stale"]').count(), 0);
    await page.screenshot({ path: join(wasmDir, "test-results", "lint-findings.png") });

    // Format: the file becomes what `changegate fmt` writes, comments and all.
    await page.click("#format-policy");
    await page.waitForFunction((f) => document.body.dataset.formatted === f, file);
    await page.waitForFunction(() => document.body.dataset.engine === "idle");
    assert.equal(await textarea.inputValue(), cg.formatPolicy(edited, file));
    assert.match(await textarea.inputValue(), /\nlet spare = targets\n$/);
    assert.ok((await page.locator('[data-lint="unused-let"]').count()) === 1, "still unused after formatting");

    // Back to the library as it was.
    await page.click("#reset-policy");
    await page.waitForFunction(() => document.body.dataset.engine === "idle" && !document.querySelector('[data-lint="unused-let"]'));
  });

  test("a pasted Backstage catalog and ServiceNow record are read through the adapters", async () => {
    const catalog = readFileSync(join(repo, "core/tests/import/backstage/worked-example/catalog-info.yaml"), "utf8");
    const graph = cg.importTexts("backstage", { catalog: { "catalog.yaml": catalog } }).document;
    const target = graph.nodes[0].id;
    const record = JSON.stringify({
      result: {
        number: "CHG0040001",
        type: "normal",
        start_date: "2026-12-01 10:00:00",
        end_date: "2026-12-01 11:00:00",
        cmdb_ci: { display_value: target, value: "0123456789abcdef0123456789abcdef", link: "https://x.service-now.com/api/now/table/cmdb_ci/0123456789abcdef0123456789abcdef" },
      },
    }, null, 2);
    const change = cg.importTexts("servicenow-change", { change: { "change_request.json": record } }).document;
    await page.click("#input-tabs .tab:nth-child(2)");
    await page.locator("#input-editor .editor:not([hidden]) textarea").fill(catalog);
    await page.click("#input-tabs .tab:nth-child(1)");
    await page.locator("#input-editor .editor:not([hidden]) textarea").fill(record);
    await page.waitForFunction(() => /change read from a ServiceNow record/.test(document.querySelector("#status-text")?.textContent ?? ""), null, { timeout: 15000 });
    await settledOutcome();
    assert.match(await page.textContent("#status-text"), /graph read from a Backstage catalog/);
    const imported = cg.Graph.fromJson(JSON.stringify(graph));
    assert.equal(await shownJson(), policy.evaluateJson(JSON.stringify(change), imported));
    imported.free();
  });

  test("screenshot, and nothing went wrong on the way", async () => {
    await page.click("#policy-tabs .tab:nth-child(2)");
    await page.evaluate(() => (document.querySelector("#decision").scrollTop = 0));
    await page.screenshot({ path: join(wasmDir, "playground-screenshot.png") });
    await page.screenshot({ path: join(wasmDir, "test-results", "full.png"), fullPage: true });
    assert.deepEqual(outside, [], "the page fetched nothing from outside 127.0.0.1");
    assert.deepEqual(problems, [], "no errors in the console");
  });
});

mkdirSync(join(wasmDir, "test-results"), { recursive: true });
