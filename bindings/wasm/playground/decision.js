// The decision panel: the verdict, what blocks the change and when it could
// go instead, the approval / backup / condition checklist, overrides and the
// rules that fired. Everything shown comes from the engine's decision.

export const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const dateFormats = new Map();
function formatter(timeZone) {
  if (!dateFormats.has(timeZone)) {
    dateFormats.set(
      timeZone,
      new Intl.DateTimeFormat("en-GB", {
        timeZone,
        weekday: "short",
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }),
    );
  }
  return dateFormats.get(timeZone);
}

/** `Tue 15 Dec 2026, 13:00` in a time zone (UTC by default). */
export function when(iso, timeZone = "UTC") {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  try {
    const parts = Object.fromEntries(formatter(timeZone).formatToParts(d).map((p) => [p.type, p.value]));
    return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`;
  } catch {
    return esc(iso);
  }
}

/** `1h`, `2h 30m`, `3d 4h`. */
export function span(ms) {
  const m = Math.round(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  return [d && `${d}d`, h && `${h}h`, min && `${min}m`].filter(Boolean).join(" ") || "0m";
}

const ICON = {
  ok: `<svg viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="9"/><path d="M6 10.5l2.6 2.6L14.2 7.4"/></svg>`,
  open: `<svg viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="8.2"/></svg>`,
  block: `<svg viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="9"/><path d="M5.5 10h9"/></svg>`,
  clock: `<svg viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="8.2"/><path d="M10 5.5V10l3 2"/></svg>`,
};

const OUTCOME = {
  approved: { label: "Approved", icon: ICON.ok },
  pending: { label: "Pending", icon: ICON.clock },
  denied: { label: "Denied", icon: ICON.block },
};

function rulesList(rules, fired) {
  if (!rules?.length) return "";
  return `<span class="rules">${rules
    .map((r) => {
      const f = fired.find((x) => x.rule === r);
      return f
        ? `<button class="rule-link" data-file="${esc(f.file)}" data-line="${f.line}" title="${esc(f.because ?? "")}\n${esc(f.file)}:${f.line}">${esc(r)}</button>`
        : `<span class="rule-name">${esc(r)}</span>`;
    })
    .join("")}</span>`;
}

function people(list, cls = "") {
  return list.map((p) => `<span class="person ${cls}">${esc(p)}</span>`).join("");
}

function verdict(d, change) {
  const open = {
    approvals: d.approvals.filter((a) => !a.satisfied).length,
    backups: d.backups.filter((b) => !b.satisfied).length,
    conditions: d.conditions.filter((c) => !c.satisfied).length,
  };
  const plural = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;
  let headline;
  if (d.outcome === "denied") {
    const reasons = d.blocks.map((b) =>
      b.kind === "during" ? `frozen by ${b.window}` : b.kind === "outside" ? `outside ${b.window}` : b.message,
    );
    const text = [...new Set(reasons)].join(" · ");
    headline = `Blocked: ${text}`;
  } else if (d.outcome === "pending") {
    const items = [
      open.approvals && plural(open.approvals, "approval"),
      open.backups && plural(open.backups, "backup"),
      open.conditions && plural(open.conditions, "condition"),
    ].filter(Boolean);
    headline = `Waiting for ${items.join(", ")}`;
  } else {
    headline = "Cleared: every requirement is met";
  }
  const start = new Date(change.start);
  const end = new Date(change.end);
  const summary = change.attributes?.summary;
  const o = OUTCOME[d.outcome];
  return `
  <section class="card verdict verdict-${d.outcome}" data-testid="verdict">
    <div class="verdict-badge" data-testid="outcome" data-outcome="${d.outcome}">${o.icon}<span>${o.label}</span></div>
    <div class="verdict-body">
      <div class="verdict-headline" data-testid="headline">${esc(headline)}</div>
      <div class="verdict-change">
        <span class="change-id">${esc(d.change)}</span>
        <span class="chip chip-type chip-${esc(change.type)}">${esc(change.type)}</span>
        ${summary ? `<span class="change-summary">${esc(summary)}</span>` : ""}
      </div>
      <dl class="facts">
        <div><dt>Window</dt><dd>${when(change.start)} → ${start.toISOString().slice(0, 10) === end.toISOString().slice(0, 10) ? when(change.end).split(", ")[1] : when(change.end)} UTC <span class="muted">(${span(end - start)})</span></dd></div>
        <div><dt>Targets</dt><dd>${d.impact.targets.map((t) => `<span class="chip chip-target">${esc(t)}</span>`).join("")}</dd></div>
        <div><dt>Requested by</dt><dd>${change.requested_by ? esc(change.requested_by) : '<span class="muted">nobody named</span>'}</dd></div>
      </dl>
    </div>
    <div class="verdict-stats">
      ${stat("Approvals", d.approvals)}
      ${stat("Backups", d.backups)}
      ${stat("Conditions", d.conditions)}
    </div>
  </section>`;
}

function stat(name, list) {
  const met = list.filter((x) => x.satisfied).length;
  const cls = list.length === 0 ? "none" : met === list.length ? "met" : "open";
  const num = list.length === 0 ? "–" : `${met}<small>/${list.length}</small>`;
  return `<div class="stat stat-${cls}" title="${list.length ? `${met} of ${list.length} met` : "none required"}"><span class="stat-num">${num}</span><span class="stat-name">${name}</span></div>`;
}

function blocks(d, zones, change) {
  if (!d.blocks.length) return "";
  const items = d.blocks.map((b) => {
    const zone = b.window ? zones[b.window] ?? "UTC" : "UTC";
    let title;
    let detail = "";
    if (b.kind === "during") {
      title = `Change freeze: <strong>${esc(b.window)}</strong>`;
      const local = zone !== "UTC" ? `<div class="muted">${when(b.occurrence.start, zone)} → ${when(b.occurrence.end, zone)} ${esc(zone)}</div>` : "";
      detail = `<div>The change overlaps ${when(b.occurrence.start)} → ${when(b.occurrence.end)} UTC</div>${local}`;
    } else if (b.kind === "outside") {
      title = `Outside the window <strong>${esc(b.window)}</strong>`;
      detail = `<div>The change must lie wholly inside one occurrence of this window${zone !== "UTC" ? ` (${esc(zone)} time)` : ""}.</div>`;
    } else {
      title = `<strong>${esc(b.message)}</strong>`;
    }
    const because = b.rules
      .map((r) => d.fired.find((f) => f.rule === r)?.because)
      .filter(Boolean)
      .map((t) => `<div class="because">“${esc(t)}”</div>`)
      .join("");
    return `<li class="block-item block-${b.kind}" data-testid="block">
      <div class="block-kind">${b.kind === "during" ? "freeze" : b.kind === "outside" ? "window" : "deny"}</div>
      <div class="block-body"><div class="block-title">${title}</div>${detail}${because}${rulesList(b.rules, d.fired)}</div>
    </li>`;
  });
  let next = "";
  if (d.next_allowed_start) {
    const dur = new Date(change.end) - new Date(change.start);
    next = `<div class="next-start" data-testid="next-start">
      <div class="next-start-label">Earliest allowed start</div>
      <div class="next-start-time">${when(d.next_allowed_start)} UTC</div>
      <div class="muted">ends ${when(new Date(new Date(d.next_allowed_start).getTime() + dur).toISOString())} UTC, same ${span(dur)} duration</div>
      <button class="btn btn-primary" data-action="reschedule" data-start="${esc(d.next_allowed_start)}">Move the change there</button>
    </div>`;
  } else if (d.blocks.every((b) => b.kind !== "deny")) {
    next = `<div class="next-start next-start-none" data-testid="next-start"><div class="next-start-label">Earliest allowed start</div><div class="muted">No start within a year satisfies every window rule.</div></div>`;
  } else {
    next = `<div class="next-start next-start-none" data-testid="next-start"><div class="next-start-label">Earliest allowed start</div><div class="muted">None: an explicit deny blocks the change whenever it runs.</div></div>`;
  }
  return `<section class="card blocks-card">
    <h3 class="card-title">What blocks the change</h3>
    <div class="blocks-layout"><ul class="blocks">${items.join("")}</ul>${next}</div>
  </section>`;
}

function approvals(d) {
  if (!d.approvals.length) return `<p class="empty">No rule asks for an approval.</p>`;
  return `<ul class="checks">${d.approvals
    .map(
      (a) => `<li class="check ${a.satisfied ? "check-ok" : "check-open"}" data-testid="approval" data-group="${esc(a.group)}">
      <span class="check-icon">${a.satisfied ? ICON.ok : ICON.open}</span>
      <div class="check-body">
        <div class="check-title"><strong>${esc(a.group)}</strong><span class="count">${a.granted_by.length}/${a.required}</span>${people(a.granted_by)}</div>
        ${rulesList(a.rules, d.fired)}
      </div>
    </li>`,
    )
    .join("")}</ul>`;
}

function backups(d, change) {
  if (!d.backups.length) return `<p class="empty">No rule asks for a backup.</p>`;
  const start = new Date(change.start);
  return `<ul class="checks">${d.backups
    .map((b) => {
      const what = `${b.verified ? "verified " : ""}${b.kind ? esc(b.kind) : "any backup"} within ${esc(b.within)}`;
      const evidence = b.evidence
        ? `<div class="evidence">taken ${when(b.evidence.taken_at)} UTC · ${span(start - new Date(b.evidence.taken_at))} before start</div>`
        : `<div class="evidence evidence-missing">no ${b.verified ? "verified, " : ""}completed backup in the ${esc(b.within)} before start</div>`;
      return `<li class="check ${b.satisfied ? "check-ok" : "check-open"}" data-testid="backup">
        <span class="check-icon">${b.satisfied ? ICON.ok : ICON.open}</span>
        <div class="check-body">
          <div class="check-title"><strong>${esc(b.node)}</strong><span class="what">${what}</span></div>
          ${evidence}
          ${rulesList(b.rules, d.fired)}
        </div>
      </li>`;
    })
    .join("")}</ul>`;
}

function conditions(d) {
  if (!d.conditions.length) return `<p class="empty">No preconditions.</p>`;
  return `<ul class="checks">${d.conditions
    .map(
      (c) => `<li class="check ${c.satisfied ? "check-ok" : "check-open"}" data-testid="condition">
      <span class="check-icon">${c.satisfied ? ICON.ok : ICON.open}</span>
      <div class="check-body"><div class="check-title">${esc(c.message)}</div>${rulesList(c.rules, d.fired)}</div>
    </li>`,
    )
    .join("")}</ul>`;
}

function overrides(d) {
  if (!d.overrides.length) return "";
  return `<section class="card">
    <h3 class="card-title">Break-glass overrides</h3>
    <ul class="checks">${d.overrides
      .map(
        (o) => `<li class="check ${o.counted ? "check-ok" : "check-open check-bad"}">
        <span class="check-icon">${o.counted ? ICON.ok : ICON.block}</span>
        <div class="check-body">
          <div class="check-title"><strong>${esc(o.rule)}</strong><span class="what">by ${esc(o.by)} for ${esc(o.group)}</span></div>
          <div class="because">“${esc(o.reason)}”</div>
          ${o.counted ? `<div class="evidence">counted: the rule is lifted</div>` : `<div class="evidence evidence-missing">rejected: ${esc(o.problem)}</div>`}
        </div>
      </li>`,
      )
      .join("")}</ul>
  </section>`;
}

function fired(d) {
  return `<section class="card">
    <h3 class="card-title">Rules that applied <span class="muted">${d.fired.length}</span></h3>
    <table class="fired">
      <tbody>${d.fired
        .map(
          (f) => `<tr>
          <td><button class="rule-link" data-file="${esc(f.file)}" data-line="${f.line}">${esc(f.rule)}</button></td>
          <td class="because-cell">${f.because ? esc(f.because) : ""}</td>
          <td class="loc">${esc(f.file)}:${f.line}</td>
        </tr>`,
        )
        .join("")}</tbody>
    </table>
  </section>`;
}

function section(title, list, body) {
  const met = list.filter((x) => x.satisfied).length;
  return `<div class="checklist-section">
    <h4>${title} <span class="muted">${list.length ? `${met} of ${list.length} met` : ""}</span></h4>
    ${body}
  </div>`;
}

/**
 * The panel's HTML, with a placeholder `#blast-slot` for the picture.
 * @param {object} d the decision
 * @param {object} change the change record
 * @param {Record<string, string>} zones the time zone of each blocking window
 * @param {string} json the decision JSON, as the engine printed it
 */
export function renderDecision(d, change, zones, json) {
  return `
    ${verdict(d, change)}
    ${blocks(d, zones, change)}
    <section class="card checklist" data-testid="checklist">
      <h3 class="card-title">Checklist</h3>
      <div class="checklist-grid">
        ${section("Approvals", d.approvals, approvals(d))}
        <div>
          ${section("Backups", d.backups, backups(d, change))}
          ${section("Conditions", d.conditions, conditions(d))}
        </div>
      </div>
    </section>
    ${overrides(d)}
    <section class="card blast-card">
      <div class="card-title-row">
        <h3 class="card-title">Blast radius <span class="muted" data-testid="blast-summary"></span></h3>
        <div class="legend">
          <span class="lg lg-target">target</span><span class="lg lg-d1">depth 1</span><span class="lg lg-d2">depth 2</span><span class="lg lg-d3">depth 3+</span><span class="lg lg-idle">not impacted</span><span class="lg lg-noowner">no owner</span>
        </div>
      </div>
      <div id="blast-slot" class="blast-slot"></div>
      <p class="caption">Each system sits to the right of what it depends on; impact spreads to the right, along the highlighted edges. Hover a system to see why it is in the blast radius.</p>
    </section>
    ${fired(d)}
    <section class="card">
      <details class="raw">
        <summary>Decision JSON <span class="muted">— byte for byte what <code>changegate check --format json</code> prints</span></summary>
        <div class="raw-actions"><button class="btn" data-action="copy-json">Copy</button></div>
        <pre class="raw-json" data-testid="decision-json">${esc(json)}</pre>
      </details>
    </section>`;
}
