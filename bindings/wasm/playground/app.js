// The changegate playground: edit a policy, a graph and a change, and see the
// decision the engine would make, live. Everything runs in this page: the
// engine is the WebAssembly build of changegate, in a worker.
import { layout, renderBlast, wireBlast } from "./blast.js";
import { esc, renderDecision } from "./decision.js";
import { CodeEditor, highlightGate, highlightJson } from "./editor.js";
import { locate, memberValueRange } from "./jsonpath.js";

const DEBOUNCE_MS = 150;
const $ = (selector) => document.querySelector(selector);

const state = {
  files: [], // { name, original, editor, tab }
  activeFile: 0,
  inputs: {}, // change / graph: { name, original, editor, tab }
  activeInput: "change",
  scenarios: [],
  worker: null,
  seq: 0,
  inFlight: false,
  queued: false,
  timer: 0,
  graphVersion: -1,
  nodes: [],
  map: null,
  last: null, // the last reply with a decision
  crashes: 0,
};

async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load ${url}: HTTP ${r.status}`);
  return r.text();
}

// ---------------------------------------------------------------- editors

function switchFile(i) {
  state.activeFile = i;
  state.files.forEach((f, k) => {
    f.editor.root.hidden = k !== i;
    f.tab.classList.toggle("active", k === i);
    f.tab.setAttribute("aria-selected", String(k === i));
  });
}

function switchInput(which) {
  state.activeInput = which;
  for (const [key, input] of Object.entries(state.inputs)) {
    input.editor.root.hidden = key !== which;
    input.tab.classList.toggle("active", key === which);
    input.tab.setAttribute("aria-selected", String(key === which));
  }
}

function tab(host, label, title, onClick) {
  const b = document.createElement("button");
  b.className = "tab";
  b.type = "button";
  b.setAttribute("role", "tab");
  b.title = title;
  b.innerHTML = `<span class="tab-label">${esc(label.slice(label.lastIndexOf("/") + 1))}</span><span class="tab-badge" hidden></span>`;
  b.addEventListener("click", onClick);
  host.append(b);
  return b;
}

function setBadge(tabEl, count, severity = "error") {
  const badge = tabEl.querySelector(".tab-badge");
  badge.hidden = count === 0;
  badge.textContent = String(count);
  badge.className = `tab-badge tab-badge-${severity}`;
}

function sources() {
  return Object.fromEntries(state.files.map((f) => [f.name, f.editor.text]));
}

// ------------------------------------------------------------- evaluation

function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(state.timer);
  document.body.classList.add("busy");
  document.body.dataset.engine = "busy";
  state.timer = setTimeout(() => {
    state.timer = 0;
    send();
  }, delay);
}

function send() {
  if (state.inFlight) {
    state.queued = true;
    return;
  }
  state.inFlight = true;
  state.worker.postMessage({
    seq: ++state.seq,
    sources: sources(),
    graph: state.inputs.graph.editor.text,
    change: state.inputs.change.editor.text,
    graphVersion: state.graphVersion,
  });
}

function startWorker() {
  state.worker?.terminate();
  state.graphVersion = -1;
  state.inFlight = false;
  state.worker = new Worker(new URL("./engine-worker.js", import.meta.url), { type: "module" });
  state.worker.onmessage = ({ data }) => received(data);
  state.worker.onerror = (e) => {
    e.preventDefault?.();
    fatal(`the engine could not start: ${e.message ?? "unknown error"}`);
  };
}

function fatal(message) {
  state.crashes++;
  $("#status-text").textContent = "engine restarted after an internal error";
  console.error(message);
  if (state.crashes <= 3) {
    startWorker();
    schedule(0);
  } else {
    showEmpty("The engine stopped", message);
  }
}

function received(reply) {
  if (reply.kind === "formatted") return formatted(reply);
  state.inFlight = false;
  if (reply.fatal) return fatal(reply.fatal);
  if (state.queued) {
    state.queued = false;
    send();
  }
  const busy = state.inFlight || Boolean(state.timer);
  document.body.classList.toggle("busy", busy);
  document.body.dataset.engine = busy ? "busy" : "idle";
  if (reply.nodes) {
    state.nodes = reply.nodes;
    state.map = layout(reply.nodes);
  }
  state.graphVersion = reply.graphVersion;
  showPolicyProblems(reply);
  showInputProblems(reply);
  if (reply.decision) {
    state.last = reply;
    showDecision(reply, null);
  } else if (state.last) {
    showDecision(state.last, staleReason(reply));
  } else {
    showEmpty("No decision yet", staleReason(reply));
  }
  showStatus(reply);
}

function staleReason(reply) {
  const n = reply.diagnostics.length;
  if (reply.policyProblem) return n ? `The policy has ${n} error${n === 1 ? "" : "s"}` : reply.policyProblem.message;
  if (reply.graphProblem) return `The graph is invalid: ${reply.graphProblem.message}`;
  if (reply.changeProblem) return `The change is invalid: ${reply.changeProblem.message}`;
  return "";
}

// --------------------------------------------------------------- problems

function showPolicyProblems(reply) {
  const diagnostics = reply.diagnostics;
  // Compile errors first, then the lint findings (only a policy that compiles is linted).
  const findings = reply.findings ?? [];
  const all = [...diagnostics.map((d) => ({ ...d, severity: "error" })), ...findings];
  for (const f of state.files) {
    const mine = all.filter((d) => d.file === f.name);
    const text = (d) => `${d.name ? `${d.name}: ` : ""}${d.message}${d.help ? `\nhelp: ${d.help}` : ""}`;
    f.editor.setMarks(mine.map((d) => ({ ...d, message: text(d) })));
    const worst = mine.some((d) => d.severity === "error") ? "error" : mine.some((d) => d.severity === "warning") ? "warning" : "info";
    setBadge(f.tab, mine.length, worst);
  }
  const list = $("#policy-problems");
  const items = all.map(
    (d) => `<li class="problem problem-${d.severity}" data-file="${esc(d.file)}" data-line="${d.line}" data-column="${d.column}"
        data-end-line="${d.end_line}" data-end-column="${d.end_column}" tabindex="0" data-testid="${d.name ? "finding" : "diagnostic"}"${d.name ? ` data-lint="${esc(d.name)}"` : ""}>
      <span class="problem-loc">${esc(d.file)}:${d.line}:${d.column}</span>
      <span class="problem-msg">${d.name ? `<span class="problem-lint">${esc(d.severity)} [${esc(d.name)}]</span> ` : ""}${esc(d.message)}${d.help ? `<span class="problem-help">help: ${esc(d.help)}</span>` : ""}</span>
    </li>`,
  );
  if (reply.policyProblem && !diagnostics.length) {
    items.push(`<li class="problem"><span class="problem-msg">${esc(reply.policyProblem.message)}</span></li>`);
  }
  list.innerHTML = items.join("");
  const errors = diagnostics.length || (reply.policyProblem ? 1 : 0);
  $("#policy-card").classList.toggle("has-problems", items.length > 0);
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  $("#policy-problems-count").textContent = errors
    ? plural(errors, "problem")
    : findings.length
      ? `compiles · ${plural(findings.length, "lint finding")}`
      : "compiles";
  $("#policy-facts").textContent = reply.digest
    ? `${state.files.length} files · ${reply.rules} rules · ${reply.digest.slice(0, 19)}…`
    : `${state.files.length} files`;
  $("#policy-facts").title = reply.digest ? `policy digest ${reply.digest}` : "";
  $("#policy-problems-count").className = errors ? "pill pill-error" : findings.length ? "pill pill-warning" : "pill pill-ok";
}

function showInputProblems(reply) {
  const problems = { change: reply.changeProblem, graph: reply.graphProblem };
  const list = [];
  for (const [key, input] of Object.entries(state.inputs)) {
    const p = problems[key];
    const isInput = p && p.kind === "input";
    const mark = isInput ? locate(input.editor.text, p) : null;
    const message = p ? `${p.message}${p.help ? `\nhelp: ${p.help}` : ""}` : "";
    input.editor.setMarks(mark ? [{ ...mark, message }] : []);
    setBadge(input.tab, p ? 1 : 0);
    if (p) {
      const where = p.path ? `${input.name} › ${p.path}` : mark ? `${input.name}:${mark.line}:${mark.column}` : input.name;
      list.push(`<li class="problem" data-input="${key}" ${mark ? `data-line="${mark.line}" data-column="${mark.column}" data-end-line="${mark.end_line}" data-end-column="${mark.end_column}"` : ""} tabindex="0" data-testid="input-problem">
        <span class="problem-loc">${esc(where)}</span>
        <span class="problem-msg">${esc(p.message)}${p.help ? `<span class="problem-help">help: ${esc(p.help)}</span>` : ""}</span>
      </li>`);
    }
  }
  $("#input-problems").innerHTML = list.join("");
  $("#input-card").classList.toggle("has-problems", list.length > 0);
}

// ------------------------------------------------------------- formatting

/** Asks the engine for the active file in the canonical layout (`changegate fmt`). */
function formatActive() {
  const f = state.files[state.activeFile];
  state.worker.postMessage({ kind: "format", id: Date.now(), name: f.name, text: f.editor.text });
}

function formatted(reply) {
  const f = state.files.find((x) => x.name === reply.name);
  if (!f) return;
  if (reply.problem) {
    $("#status-text").textContent = `${reply.name} is not formatted: fix its syntax errors first`;
  } else if (reply.text !== f.editor.text) {
    f.editor.setText(reply.text);
    $("#status-text").textContent = `${reply.name} formatted`;
  } else {
    $("#status-text").textContent = `${reply.name} is already formatted`;
  }
  document.body.dataset.formatted = reply.name;
}

function revealProblem(li) {
  const at = (k) => Number(li.dataset[k]);
  if (!li.dataset.line) return;
  let editor;
  if (li.dataset.input) {
    switchInput(li.dataset.input);
    editor = state.inputs[li.dataset.input].editor;
  } else {
    const i = state.files.findIndex((f) => f.name === li.dataset.file);
    if (i < 0) return;
    switchFile(i);
    editor = state.files[i].editor;
  }
  editor.reveal(at("line"), at("column"), at("endLine"), at("endColumn"));
}

// --------------------------------------------------------------- decision

function showDecision(reply, stale) {
  const panel = $("#decision");
  let change;
  try {
    change = JSON.parse(reply.changeText ?? state.inputs.change.editor.text);
  } catch {
    change = null;
  }
  if (!change || change.id !== reply.decision.change) change = reply.change ?? change;
  reply.change = change;
  const scroll = panel.scrollTop;
  const open = panel.querySelector("details.raw")?.open;
  panel.innerHTML =
    (stale
      ? `<div class="stale-banner" data-testid="stale"><strong>${esc(stale)}.</strong> The decision below is the last one the engine could make; fix the problem to see the current one.</div>`
      : "") + renderDecision(reply.decision, change, reply.zones, reply.json);
  panel.classList.toggle("stale", Boolean(stale));
  if (open) panel.querySelector("details.raw").open = true;
  const slot = panel.querySelector("#blast-slot");
  if (state.map) {
    slot.innerHTML = renderBlast(state.map, reply.decision.impact);
    wireBlast(slot, reply.decision.impact);
    const impacted = reply.decision.impact.impacted;
    const byDepth = new Map();
    for (const n of impacted) byDepth.set(n.depth, (byDepth.get(n.depth) ?? 0) + 1);
    const parts = [...byDepth].filter(([d]) => d > 0).map(([d, n]) => `${n} at depth ${d}`);
    panel.querySelector('[data-testid="blast-summary"]').textContent =
      `${impacted.length} of ${state.nodes.length} systems${parts.length ? ` · ${parts.join(" · ")}` : ""}`;
  }
  panel.scrollTop = scroll;
}

function showEmpty(title, detail) {
  $("#decision").innerHTML = `<section class="card empty-state" data-testid="empty"><h3>${esc(title)}</h3><p>${esc(detail)}</p></section>`;
}

function showStatus(reply) {
  const t = reply.timings;
  const ms = [t.compile, t.graph, t.evaluate].filter((x) => x !== null).reduce((a, b) => a + b, 0);
  const parts = [
    `engine ${reply.version}`,
    `${state.files.length} policy files${reply.digest ? ` · ${reply.rules} rules` : ""}`,
    `${state.nodes.length} systems`,
    ...[
      reply.graphFrom && `graph read from ${reply.graphFrom === "backstage" ? "a Backstage catalog" : reply.graphFrom}`,
      reply.changeFrom && "change read from a ServiceNow record",
    ].filter(Boolean),
    reply.decision ? `decided in ${ms < 1 ? ms.toFixed(2) : ms.toFixed(1)} ms` : "no decision",
  ];
  $("#status-text").textContent = parts.join(" · ");
  $("#status-text").title = reply.digest ? `policy digest ${reply.digest}` : "";
}

function reschedule(startIso) {
  const input = state.inputs.change;
  const text = input.editor.text;
  let change;
  try {
    change = JSON.parse(text);
  } catch {
    return;
  }
  // Only changegate's own change is rewritten in place (not another tool's record).
  if (typeof change?.start !== "string" || typeof change?.end !== "string") return;
  const duration = new Date(change.end) - new Date(change.start);
  const iso = (d) => d.toISOString().replace(/\.000Z$/, "Z");
  const start = new Date(startIso);
  const values = { start: iso(start), end: iso(new Date(start.getTime() + duration)) };
  const ranges = ["start", "end"]
    .map((k) => ({ k, r: memberValueRange(text, k) }))
    .filter((x) => x.r)
    .sort((a, b) => b.r.start - a.r.start);
  switchInput("change");
  for (const { k, r } of ranges) input.editor.replaceRange(r.start, r.end, JSON.stringify(values[k]));
}

// ------------------------------------------------------------------ setup

async function loadScenario(name) {
  const s = state.scenarios.find((x) => x.name === name);
  if (!s) return;
  const text = await fetchText(`examples/${s.file}`);
  state.inputs.change.editor.setText(text);
  state.inputs.change.original = text;
  $("#scenario-description").textContent = s.description;
  $("#scenario-description").title = s.description;
  switchInput("change");
}

async function main() {
  const manifest = JSON.parse(await fetchText("examples/manifest.json"));
  state.scenarios = manifest.changes;
  const params = new URLSearchParams(location.search);
  const initial = state.scenarios.find((s) => s.name === params.get("change")) ?? state.scenarios[0];
  const [policyTexts, graphText, changeText] = await Promise.all([
    Promise.all(manifest.policy.map((p) => fetchText(`examples/policies/${p}`))),
    fetchText(`examples/${manifest.graph}`),
    fetchText(`examples/${initial.file}`),
  ]);

  const fileTabs = $("#policy-tabs");
  const fileHost = $("#policy-editor");
  manifest.policy.forEach((name, i) => {
    const editor = new CodeEditor(fileHost, { text: policyTexts[i], highlight: highlightGate, label: `Policy file ${name}`, onChange: () => schedule() });
    const t = tab(fileTabs, name, `policies/${name}`, () => switchFile(i));
    state.files.push({ name, original: policyTexts[i], editor, tab: t });
  });
  switchFile(0);

  const inputTabs = $("#input-tabs");
  const inputHost = $("#input-editor");
  for (const [key, name, text] of [
    ["change", "change.json", changeText],
    ["graph", manifest.graph, graphText],
  ]) {
    const editor = new CodeEditor(inputHost, { text, highlight: highlightJson, label: name, onChange: () => schedule() });
    const t = tab(inputTabs, name, key === "change" ? "The change record (RFC)" : "The dependency graph of the estate", () => switchInput(key));
    state.inputs[key] = { name, original: text, editor, tab: t };
  }
  switchInput("change");

  const select = $("#scenario");
  select.innerHTML = state.scenarios.map((s) => `<option value="${esc(s.name)}" title="${esc(s.description)}">${esc(s.name)}</option>`).join("");
  select.value = initial.name;
  select.addEventListener("change", () => loadScenario(select.value));
  $("#scenario-description").textContent = initial.description;
  $("#scenario-description").title = initial.description;

  $("#format-policy").addEventListener("click", formatActive);
  $("#reset-policy").addEventListener("click", () => {
    for (const f of state.files) if (f.editor.text !== f.original) f.editor.setText(f.original);
  });

  document.addEventListener("click", (e) => {
    const problem = e.target.closest(".problem");
    if (problem) return revealProblem(problem);
    const rule = e.target.closest(".rule-link");
    if (rule) {
      const i = state.files.findIndex((f) => f.name === rule.dataset.file);
      if (i >= 0) {
        switchFile(i);
        state.files[i].editor.reveal(Number(rule.dataset.line), 1);
      }
      return;
    }
    const action = e.target.closest("[data-action]");
    if (action?.dataset.action === "reschedule") reschedule(action.dataset.start);
    if (action?.dataset.action === "copy-json") {
      navigator.clipboard?.writeText(state.last?.json ?? "").then(
        () => (action.textContent = "Copied"),
        () => (action.textContent = "Copy failed"),
      );
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.classList?.contains("problem")) revealProblem(e.target);
  });

  startWorker();
  schedule(0);
}

main().catch((e) => {
  console.error(e);
  showEmpty("The playground could not start", String(e.message ?? e));
});
