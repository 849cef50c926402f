// The blast radius as a picture: the whole dependency graph in layers (what
// everything depends on at the left, what depends on it to the right), the
// change's targets, the impacted systems shaded by their depth, and the
// untouched ones greyed out. The layout depends only on the graph, so the
// map stays put while the change is edited.

const NODE_H = 28;
const COL_GAP = 24;
const ROW_GAP = 10;
const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';
const TIER_W = 24; // the tier pill at the left of a node
let NODE_W = 128;

/** The width of the widest label, as the page's font draws it. */
function labelWidth(ids) {
  const ctx = document.createElement("canvas").getContext("2d");
  if (!ctx) return Math.max(...ids.map((id) => id.length)) * 7;
  ctx.font = LABEL_FONT;
  return Math.max(60, ...ids.map((id) => ctx.measureText(id).width));
}
const PAD_X = 16;
const PAD_Y = 16;

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** Layers and positions for a graph; computed once per graph. */
export function layout(nodes) {
  NODE_W = Math.min(190, Math.ceil(labelWidth(nodes.map((n) => n.id))) + TIER_W + 22);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const dependents = new Map(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const d of n.depends_on) dependents.get(d)?.push(n.id);

  // Longest path from the foundations, ignoring edges that close a cycle.
  const level = new Map();
  const visiting = new Set();
  const depthOf = (id) => {
    if (level.has(id)) return level.get(id);
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let l = 0;
    for (const d of byId.get(id).depends_on) if (d !== id) l = Math.max(l, depthOf(d) + 1);
    visiting.delete(id);
    level.set(id, l);
    return l;
  };
  nodes.forEach((n) => depthOf(n.id));
  // Pull each system next to its nearest dependent, so a database sits beside
  // the service that uses it rather than with every other leaf.
  for (let pass = 0; pass < 3; pass++) {
    const order = [...nodes].sort((a, b) => level.get(b.id) - level.get(a.id));
    for (const n of order) {
      const up = dependents.get(n.id).filter((d) => d !== n.id && level.get(d) > level.get(n.id));
      if (up.length) level.set(n.id, Math.max(level.get(n.id), Math.min(...up.map((d) => level.get(d))) - 1));
    }
  }
  const columns = [];
  for (const n of nodes) (columns[level.get(n.id)] ??= []).push(n.id);
  for (let c = 0; c < columns.length; c++) columns[c] ??= [];
  const tier = (id) => byId.get(id).tier ?? 99;
  for (const col of columns) col.sort((a, b) => tier(a) - tier(b) || (a < b ? -1 : 1));

  // Fewer crossings: order each column by the mean position of its neighbours.
  const pos = new Map();
  const place = () => columns.forEach((col) => col.forEach((id, i) => pos.set(id, i - (col.length - 1) / 2)));
  place();
  const sweep = (cols, neighbours) => {
    for (const col of cols) {
      const key = new Map(
        col.map((id) => {
          const ns = neighbours(id).filter((x) => pos.has(x));
          return [id, ns.length ? ns.reduce((s, x) => s + pos.get(x), 0) / ns.length : pos.get(id)];
        }),
      );
      col.sort((a, b) => key.get(a) - key.get(b) || tier(a) - tier(b));
      col.forEach((id, i) => pos.set(id, i - (col.length - 1) / 2));
    }
  };
  for (let i = 0; i < 4; i++) {
    sweep(columns.slice(1), (id) => byId.get(id).depends_on);
    sweep(columns.slice(0, -1).reverse(), (id) => dependents.get(id));
  }

  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const height = PAD_Y * 2 + tallest * NODE_H + (tallest - 1) * ROW_GAP;
  const width = PAD_X * 2 + columns.length * NODE_W + (columns.length - 1) * COL_GAP;
  const xy = new Map();
  columns.forEach((col, c) => {
    const colHeight = col.length * NODE_H + (col.length - 1) * ROW_GAP;
    const top = (height - colHeight) / 2;
    col.forEach((id, i) => xy.set(id, { x: PAD_X + c * (NODE_W + COL_GAP), y: top + i * (NODE_H + ROW_GAP), column: c }));
  });
  return { nodes, byId, xy, width, height, columns, nodeWidth: NODE_W };
}

function depthClass(depth) {
  if (depth === undefined) return "bn-idle";
  if (depth === 0) return "bn-target";
  return depth >= 3 ? "bn-d3" : `bn-d${depth}`;
}

function edgePath(a, b) {
  // From the right side of the dependency to the left side of its dependent.
  const x1 = a.x + NODE_W;
  const y1 = a.y + NODE_H / 2;
  const x2 = b.x;
  const y2 = b.y + NODE_H / 2;
  if (x2 > x1) {
    const dx = (x2 - x1) / 2;
    return `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
  }
  // A back edge (a cycle): loop around below.
  const yLow = Math.max(a.y, b.y) + NODE_H + ROW_GAP;
  return `M${a.x + NODE_W / 2},${a.y + NODE_H} C${a.x + NODE_W / 2},${yLow + 20} ${b.x + NODE_W / 2},${yLow + 20} ${b.x + NODE_W / 2},${b.y + NODE_H}`;
}

function label(id) {
  return id.length > 26 ? `${id.slice(0, 25)}…` : id;
}

/**
 * The SVG of the blast radius.
 * @param {ReturnType<typeof layout>} map
 * @param {{targets: string[], impacted: {id: string, depth: number, path: string[]}[]} | null} impact
 */
export function renderBlast(map, impact) {
  NODE_W = map.nodeWidth;
  const depth = new Map((impact?.impacted ?? []).map((n) => [n.id, n.depth]));
  const paths = new Map((impact?.impacted ?? []).map((n) => [n.id, n.path]));
  const edges = [];
  const hot = [];
  for (const n of map.nodes) {
    for (const d of n.depends_on) {
      const a = map.xy.get(d);
      const b = map.xy.get(n.id);
      if (!a || !b) continue;
      const spreads = depth.has(d) && depth.get(n.id) === depth.get(d) + 1;
      const touched = depth.has(d) || depth.has(n.id);
      const cls = spreads ? "be be-hot" : touched ? "be be-warm" : "be";
      const svg = `<path class="${cls}" data-from="${esc(d)}" data-to="${esc(n.id)}" d="${edgePath(a, b)}"${spreads ? ' marker-end="url(#arrow-hot)"' : ""}/>`;
      (spreads ? hot : edges).push(svg);
    }
  }
  const boxes = map.nodes.map((n) => {
    const { x, y } = map.xy.get(n.id);
    const dp = depth.get(n.id);
    const cls = depthClass(dp);
    const tier = n.tier === null || n.tier === undefined ? "–" : `T${n.tier}`;
    const title = [
      n.id,
      [n.kind, n.tier !== null && n.tier !== undefined ? `tier ${n.tier}` : null].filter(Boolean).join(", "),
      n.owner ? `owner: ${n.owner}` : "no owner",
      n.tags.length ? `tags: ${n.tags.join(", ")}` : null,
      dp === undefined ? "not impacted" : dp === 0 ? "target of the change" : `impacted at depth ${dp}: ${paths.get(n.id).join(" → ")}`,
    ]
      .filter(Boolean)
      .join("\n");
    const badge =
      dp !== undefined && dp > 0
        ? `<circle class="bn-badge" cx="${x + NODE_W}" cy="${y}" r="8"/><text class="bn-badge-text" x="${x + NODE_W}" y="${y + 3.5}">${dp}</text>`
        : "";
    return `<g class="bn ${cls}${n.owner ? "" : " bn-noowner"}" data-id="${esc(n.id)}" tabindex="0">
      <title>${esc(title)}</title>
      <rect class="bn-box" x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="7"/>
      <rect class="bn-tier-box" x="${x + 5}" y="${y + 6}" width="${TIER_W - 4}" height="${NODE_H - 12}" rx="4"/>
      <text class="bn-tier" x="${x + 5 + (TIER_W - 4) / 2}" y="${y + NODE_H / 2 + 3.3}">${esc(tier)}</text>
      <text class="bn-label" x="${x + TIER_W + 8}" y="${y + NODE_H / 2 + 4}">${esc(label(n.id))}</text>
      ${badge}
    </g>`;
  });
  return `<svg class="blast" viewBox="0 0 ${map.width} ${map.height}" width="${map.width}" height="${map.height}" role="img"
      aria-label="Dependency graph: ${depth.size} of ${map.nodes.length} systems in the blast radius">
    <defs>
      <marker id="arrow-hot" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" class="arrow-hot"/>
      </marker>
    </defs>
    <g class="edges">${edges.join("")}${hot.join("")}</g>
    <g class="nodes">${boxes.join("")}</g>
  </svg>`;
}

/** Hovering a system lights up the path along which the change reaches it. */
export function wireBlast(container, impact) {
  const paths = new Map((impact?.impacted ?? []).map((n) => [n.id, n.path]));
  const svg = container.querySelector("svg.blast");
  if (!svg) return;
  const clear = () => svg.querySelectorAll(".hl").forEach((e) => e.classList.remove("hl"));
  const show = (id) => {
    clear();
    const path = paths.get(id);
    if (!path) return;
    svg.classList.add("tracing");
    for (const p of path) svg.querySelector(`.bn[data-id="${CSS.escape(p)}"]`)?.classList.add("hl");
    for (let i = 1; i < path.length; i++) {
      svg.querySelector(`.be[data-from="${CSS.escape(path[i - 1])}"][data-to="${CSS.escape(path[i])}"]`)?.classList.add("hl");
    }
  };
  svg.querySelectorAll(".bn").forEach((g) => {
    g.addEventListener("mouseenter", () => show(g.dataset.id));
    g.addEventListener("focus", () => show(g.dataset.id));
    g.addEventListener("mouseleave", () => {
      clear();
      svg.classList.remove("tracing");
    });
    g.addEventListener("blur", () => {
      clear();
      svg.classList.remove("tracing");
    });
  });
}
