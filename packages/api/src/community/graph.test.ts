import { describe, expect, it } from 'vitest';
import { labelPropagation, pageRank, type WeightedEdge } from './graph.js';

const edge = (source: string, target: string, weight = 1): WeightedEdge => ({
  source,
  target,
  weight,
});

describe('pageRank', () => {
  it('matches the hand-solved path a–b–c', () => {
    // By symmetry PR(a) = PR(c) = x, PR(b) = y, with n = 3, d = 0.85:
    //   y = 0.15/3 + 0.85·(x/1 + x/1) = 0.05 + 1.7x      (a and c give b everything)
    //   x = 0.05 + 0.85·(y/2)          = 0.05 + 0.425y   (b splits between a and c)
    //   → x = 0.07125 / 0.2775 = 0.2567568, y = 0.4864865 (and 2x + y = 1)
    const scores = pageRank(['a', 'b', 'c'], [edge('a', 'b'), edge('b', 'c')]);
    expect(scores.get('a')).toBeCloseTo(0.2567568, 6);
    expect(scores.get('b')).toBeCloseTo(0.4864865, 6);
    expect(scores.get('c')).toBeCloseTo(0.2567568, 6);
  });

  it('follows the weights: the heavier neighbour of a hub ranks above the lighter one', () => {
    // b is the hub; a's edge weighs 3, c's 1, so b hands a three quarters of its score.
    const scores = pageRank(['a', 'b', 'c'], [edge('a', 'b', 3), edge('b', 'c', 1)]);
    const order = [...scores].sort((x, y) => y[1] - x[1]).map(([node]) => node);
    expect(order).toEqual(['b', 'a', 'c']);
    const total = [...scores.values()].reduce((sum, score) => sum + score, 0);
    expect(total).toBeCloseTo(1, 9);
  });

  it('gives an isolated node the teleport share plus its spread of dangling mass', () => {
    // a–b with weight 1, z alone. z spreads its score evenly (dangling): by symmetry
    // PR(a) = PR(b) = x, PR(z) = z; z = 0.05 + 0.85·z/3 → z = 0.05 / (1 − 0.85/3) = 0.0697674.
    const scores = pageRank(['a', 'b', 'z'], [edge('a', 'b')]);
    expect(scores.get('z')).toBeCloseTo(0.0697674, 6);
    expect(scores.get('a')).toBeCloseTo((1 - 0.0697674) / 2, 6);
  });

  it('answers nothing for an empty graph', () => {
    expect(pageRank([], []).size).toBe(0);
  });
});

describe('labelPropagation', () => {
  it('splits two triangles joined by one weak edge, largest-first numbering', () => {
    const edges = [
      edge('a', 'b', 2),
      edge('b', 'c', 2),
      edge('a', 'c', 2),
      edge('x', 'y', 2),
      edge('y', 'z', 2),
      edge('x', 'z', 2),
      edge('w', 'x', 2),
      edge('c', 'x', 0.5),
    ];
    const communities = labelPropagation(['z', 'y', 'x', 'w', 'c', 'b', 'a'], edges);
    // {w, x, y, z} has four members, so it is community 0; {a, b, c} is community 1.
    expect(Object.fromEntries(communities)).toEqual({ a: 1, b: 1, c: 1, w: 0, x: 0, y: 0, z: 0 });
  });

  it('is independent of the order nodes and edges arrive in', () => {
    const edges = [edge('a', 'b'), edge('b', 'c'), edge('d', 'e')];
    const one = labelPropagation(['a', 'b', 'c', 'd', 'e'], edges);
    const two = labelPropagation(['e', 'd', 'c', 'b', 'a'], [...edges].reverse());
    expect(Object.fromEntries(two)).toEqual(Object.fromEntries(one));
    expect(Object.fromEntries(one)).toEqual({ a: 0, b: 0, c: 0, d: 1, e: 1 });
  });

  it('leaves isolated nodes alone in their own community', () => {
    const communities = labelPropagation(['a', 'b', 'q'], [edge('a', 'b')]);
    expect(Object.fromEntries(communities)).toEqual({ a: 0, b: 0, q: 1 });
  });
});
