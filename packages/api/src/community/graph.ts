/**
 * Centrality and clustering on an undirected weighted graph, pure and deterministic: the
 * same graph gives the same scores and communities whatever order it arrives in.
 */
export interface WeightedEdge {
  source: string;
  target: string;
  weight: number;
}

export interface PageRankOptions {
  damping?: number;
  /** Stop once the scores move less than this in total (L1) between iterations. */
  tolerance?: number;
  maxIterations?: number;
}

/** Compressed adjacency: node i's neighbours are `target[offset[i]..offset[i + 1])`. */
interface Csr {
  offset: Int32Array;
  target: Int32Array;
  weight: Float64Array;
}

/** Both directions of every edge between known nodes; self-loops and weights ≤ 0 are ignored. */
function csrOf(index: Map<string, number>, edges: readonly WeightedEdge[]): Csr {
  const n = index.size;
  const kept: [number, number, number][] = [];
  const degree = new Int32Array(n + 1);
  for (const { source, target, weight } of edges) {
    const from = index.get(source);
    const to = index.get(target);
    if (from === undefined || to === undefined || from === to || !(weight > 0)) continue;
    kept.push([from, to, weight]);
    degree[from] = (degree[from] ?? 0) + 1;
    degree[to] = (degree[to] ?? 0) + 1;
  }
  const offset = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offset[i + 1] = (offset[i] ?? 0) + (degree[i] ?? 0);
  const fill = offset.slice(0, n);
  const target = new Int32Array(kept.length * 2);
  const weight = new Float64Array(kept.length * 2);
  const place = (from: number, to: number, w: number) => {
    const at = fill[from] ?? 0;
    target[at] = to;
    weight[at] = w;
    fill[from] = at + 1;
  };
  for (const [from, to, w] of kept) {
    place(from, to, w);
    place(to, from, w);
  }
  return { offset, target, weight };
}

const indexOf = (nodes: readonly string[]) => new Map(nodes.map((node, i) => [node, i]));

/**
 * Weighted PageRank: each node passes its score to its neighbours in proportion to the edge
 * weights; isolated nodes spread theirs evenly. Scores sum to 1.
 */
export function pageRank(
  nodes: readonly string[],
  edges: readonly WeightedEdge[],
  options: PageRankOptions = {},
): Map<string, number> {
  const { damping = 0.85, tolerance = 1e-10, maxIterations = 200 } = options;
  const n = nodes.length;
  if (n === 0) return new Map();
  const { offset, target, weight } = csrOf(indexOf(nodes), edges);
  const strength = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let k = offset[i] ?? 0; k < (offset[i + 1] ?? 0); k++) total += weight[k] ?? 0;
    strength[i] = total;
  }
  let scores = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let dangling = 0;
    for (let i = 0; i < n; i++) if (strength[i] === 0) dangling += scores[i] ?? 0;
    next.fill((1 - damping) / n + (damping * dangling) / n);
    for (let i = 0; i < n; i++) {
      const total = strength[i] ?? 0;
      if (total === 0) continue;
      const share = (damping * (scores[i] ?? 0)) / total;
      for (let k = offset[i] ?? 0; k < (offset[i + 1] ?? 0); k++) {
        const j = target[k] ?? 0;
        next[j] = (next[j] ?? 0) + share * (weight[k] ?? 0);
      }
    }
    let change = 0;
    for (let i = 0; i < n; i++) change += Math.abs((next[i] ?? 0) - (scores[i] ?? 0));
    [scores, next] = [next, scores];
    if (change < tolerance) break;
  }
  return new Map(nodes.map((node, i) => [node, scores[i] ?? 0]));
}

/**
 * Label propagation: every node starts in its own community, then, visiting nodes in id
 * order, joins the community its neighbours weigh most in. Ties keep the current label if it
 * is among the best, else take the smallest; it stops when a full pass changes nothing.
 * Answers a community index per node: 0 for the largest community (ties: the one holding
 * the smallest id), 1 for the next, and so on.
 */
export function labelPropagation(
  nodes: readonly string[],
  edges: readonly WeightedEdge[],
  maxIterations = 100,
): Map<string, number> {
  const order = [...nodes].sort();
  const { offset, target, weight } = csrOf(indexOf(order), edges);
  // Labels are indexes into `order`, so "the smallest label" is the smallest node id.
  const labels = Int32Array.from(order, (_, i) => i);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false;
    for (let i = 0; i < order.length; i++) {
      const weights = new Map<number, number>();
      for (let k = offset[i] ?? 0; k < (offset[i + 1] ?? 0); k++) {
        const label = labels[target[k] ?? 0] ?? 0;
        weights.set(label, (weights.get(label) ?? 0) + (weight[k] ?? 0));
      }
      if (weights.size === 0) continue;
      const current = labels[i] ?? i;
      let best = -1;
      let winner = current;
      for (const [label, total] of weights) {
        if (total > best || (total === best && label < winner)) {
          best = total;
          winner = label;
        }
      }
      if (weights.get(current) === best || winner === current) continue;
      labels[i] = winner;
      changed = true;
    }
    if (!changed) break;
  }
  return numberCommunities(
    order,
    new Map(order.map((node, i) => [node, order[labels[i] ?? i] ?? node])),
  );
}

function numberCommunities(
  order: readonly string[],
  labels: Map<string, string>,
): Map<string, number> {
  const members = new Map<string, string[]>();
  for (const node of order) {
    const label = labels.get(node) ?? node;
    const list = members.get(label) ?? [];
    list.push(node);
    members.set(label, list);
  }
  // `order` is sorted, so each list's first element is its smallest id.
  const ranked = [...members.values()].sort(
    (a, b) => b.length - a.length || ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1),
  );
  const index = new Map<string, number>();
  ranked.forEach((list, position) => {
    for (const node of list) index.set(node, position);
  });
  return index;
}
