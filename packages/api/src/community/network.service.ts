import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { labelPropagation, pageRank } from './graph.js';
import {
  EDGE_WEIGHTS,
  type EdgeReason,
  NETWORK_LIMITS,
  type Network,
  type NetworkInput,
} from './network.contract.js';
import { memberPairs, type PairRow } from './network.pairs.js';
import { nodeProfiles } from './network.queries.js';

export const COMMUNITY_TOPIC = 'community';
const NETWORK_TTL_SECONDS = 300;
const DAY_MS = 86_400_000;

export async function communityNetwork(
  ctx: WorkspaceContext,
  input: NetworkInput,
): Promise<Network> {
  return cachedRead(ctx, {
    topic: COMMUNITY_TOPIC,
    parts: ['network', input.days, input.limit, input.minStrength, input.maxEdges],
    ttlSeconds: NETWORK_TTL_SECONDS,
    compute: () => computeNetwork(ctx, input, new Date()),
  });
}

/**
 * The graph of the most active members; influence and communities are computed on all of
 * it, then the `limit` most influential members and the edges between them are returned.
 */
export async function computeNetwork(
  ctx: Pick<WorkspaceContext, 'scope'>,
  input: NetworkInput,
  at: Date,
): Promise<Network> {
  const window = { since: new Date(at.getTime() - input.days * DAY_MS), at };
  const { candidates: caps } = NETWORK_LIMITS;
  const candidateCount = Math.min(caps.max, Math.max(caps.min, input.limit * caps.perNode));
  const { pairs, candidates } = await memberPairs(ctx.scope, window, {
    candidates: candidateCount,
    minStrength: input.minStrength,
    edges: NETWORK_LIMITS.edges,
  });
  const edges = pairs.map((pair) => ({ source: pair.m1, target: pair.m2, weight: pair.strength }));
  const members = [...new Set(pairs.flatMap((pair) => [pair.m1, pair.m2]))].sort();
  const influence = pageRank(members, edges);
  const community = labelPropagation(members, edges);
  const chosen = [...members]
    .sort((a, b) => (influence.get(b) ?? 0) - (influence.get(a) ?? 0) || (a < b ? -1 : 1))
    .slice(0, input.limit);
  const inGraph = new Set(chosen);
  const profiles = new Map(
    (await nodeProfiles(ctx.scope, chosen, window)).map((row) => [row.id, row]),
  );
  return {
    at: at.toISOString(),
    days: input.days,
    nodes: chosen.map((id) => ({
      id,
      name: profiles.get(id)?.name ?? '',
      primaryTopic: profiles.get(id)?.primary_topic ?? null,
      floor: profiles.get(id)?.floor ?? null,
      influenceScore: influence.get(id) ?? 0,
      community: community.get(id) ?? 0,
    })),
    edges: pairs
      .filter((pair) => inGraph.has(pair.m1) && inGraph.has(pair.m2))
      .slice(0, input.maxEdges)
      .map((pair) => ({
        source: pair.m1,
        target: pair.m2,
        strength: pair.strength,
        reason: reasonOf(pair),
        eventCount: pair.shared_gatherings,
      })),
    graph: {
      candidates,
      nodes: members.length,
      edges: pairs.length,
      communities: new Set(community.values()).size,
    },
  };
}

/** The part contributing most to the strength; ties go to the more deliberate tie. */
function reasonOf(pair: PairRow): EdgeReason {
  const parts: [EdgeReason, number][] = [
    ['connection', pair.connected ? EDGE_WEIGHTS.connection : 0],
    ['co-attendance', pair.shared_gatherings * EDGE_WEIGHTS.coAttendance],
    ['shared-interests', pair.shared_interests * EDGE_WEIGHTS.sharedInterest],
  ];
  return parts.reduce((best, part) => (part[1] > best[1] ? part : best))[0];
}
