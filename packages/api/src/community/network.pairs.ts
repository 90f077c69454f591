import type { WorkspaceScope } from '@pulse/db';
import { EDGE_WEIGHTS } from './network.contract.js';
import { type CandidateRow, networkCandidates } from './network.queries.js';

export interface PairRow {
  m1: string;
  m2: string;
  shared_gatherings: number;
  connected: boolean;
  shared_interests: number;
  strength: number;
}

/**
 * The weighted pairs among the `candidates` most active members, strongest first (ties by
 * member ids). The database ranks the members and lists each one's gatherings; the pairs are
 * counted here, from each gathering's list of candidates, never as all member pairs: a few
 * thousand small arrays cost less in Node than grouping and joining them in SQL.
 */
export async function memberPairs(
  scope: WorkspaceScope,
  window: { since: Date; at: Date },
  limits: { candidates: number; minStrength: number; edges: number },
): Promise<{ pairs: PairRow[]; candidates: number }> {
  const candidates = await networkCandidates(scope, window, limits.candidates);
  const pairs = weighPairs(candidates, limits);
  // As a row count read from the pairs themselves: no pair, no candidates reported.
  return { pairs, candidates: pairs.length > 0 ? candidates.length : 0 };
}

/** The pairs that met (a gathering both attended) or connected, weighed and cut. */
export function weighPairs(
  candidates: readonly CandidateRow[],
  limits: { minStrength: number; edges: number },
): PairRow[] {
  // Members by id order (uuids in canonical lower case compare as PostgreSQL orders them), so
  // a pair is (lower index, higher index) = (m1, m2).
  const members = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const indexOf = new Map(members.map((member, i) => [member.id, i]));
  const n = members.length;

  const attendees = new Map<string, number[]>();
  members.forEach((member, i) => {
    for (const gathering of member.gatherings) {
      const list = attendees.get(gathering);
      if (list) list.push(i);
      else attendees.set(gathering, [i]);
    }
  });
  // Pair key i * n + j (i < j): each list is in increasing index order, as members were walked.
  const shared = new Map<number, number>();
  for (const list of attendees.values()) {
    for (let x = 0; x < list.length; x++) {
      const base = (list[x] as number) * n;
      for (let y = x + 1; y < list.length; y++) {
        const key = base + (list[y] as number);
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  const connected = new Set<number>();
  members.forEach((member, i) => {
    for (const other of member.linked) {
      const j = indexOf.get(other);
      if (j !== undefined) connected.add(i < j ? i * n + j : j * n + i);
    }
  });

  const sharedInterestsOf = interestMasks(members);
  // Pairs by strength, each list in key order: keys ascend as (m1, m2) do, members being
  // indexed in id order.
  const byStrength = new Map<number, number[]>();
  const consider = (key: number, sharedGatherings: number) => {
    const i = Math.floor(key / n);
    // The same operations, in the same order, as the SQL this replaced: equal float results.
    const strength =
      sharedGatherings * EDGE_WEIGHTS.coAttendance +
      (connected.has(key) ? EDGE_WEIGHTS.connection : 0) +
      sharedInterestsOf(i, key - i * n) * EDGE_WEIGHTS.sharedInterest;
    if (strength < limits.minStrength) return;
    const list = byStrength.get(strength);
    if (list) list.push(key);
    else byStrength.set(strength, [key]);
  };
  for (const [key, count] of shared) consider(key, count);
  for (const key of connected) if (!shared.has(key)) consider(key, 0);

  const pairs: PairRow[] = [];
  for (const strength of [...byStrength.keys()].sort((a, b) => b - a)) {
    // A typed array sorts numbers natively, without a comparator.
    for (const key of Float64Array.from(byStrength.get(strength) as number[]).sort()) {
      if (pairs.length === limits.edges) return pairs;
      const i = Math.floor(key / n);
      const j = key - i * n;
      pairs.push({
        m1: (members[i] as CandidateRow).id,
        m2: (members[j] as CandidateRow).id,
        shared_gatherings: shared.get(key) ?? 0,
        connected: connected.has(key),
        shared_interests: sharedInterestsOf(i, j),
        strength,
      });
    }
  }
  return pairs;
}

/**
 * The number of distinct interests two members share, by index: each member's interests as a
 * bit set over all the candidates' interests (a null element, which SQL never matched, is none).
 */
function interestMasks(members: readonly CandidateRow[]): (i: number, j: number) => number {
  const bitOf = new Map<string, number>();
  for (const member of members)
    for (const interest of member.interests)
      if (interest !== null && !bitOf.has(interest)) bitOf.set(interest, bitOf.size);
  const words = Math.max(1, Math.ceil(bitOf.size / 32));
  const masks = new Uint32Array(members.length * words);
  members.forEach((member, i) => {
    for (const interest of member.interests) {
      const bit = interest === null ? undefined : bitOf.get(interest);
      if (bit === undefined) continue;
      const word = i * words + (bit >>> 5);
      masks[word] = (masks[word] ?? 0) | (1 << (bit & 31));
    }
  });
  return (i, j) => {
    let count = 0;
    for (let w = 0; w < words; w++)
      count += bitCount((masks[i * words + w] as number) & (masks[j * words + w] as number));
    return count;
  };
}

function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
