import { beforeAll, describe, expect, it } from 'vitest';
import { rest, useTestServer } from './harness.js';
import {
  ago,
  building,
  checkIn,
  connect,
  DAY,
  floor,
  gathering,
  HOUR,
  member,
  newWorkspace,
  room,
  rsvp,
  type Workspace,
} from './spaces.fixture.js';

interface Node {
  id: string;
  name: string;
  primaryTopic: string | null;
  floor: number | null;
  influenceScore: number;
  community: number;
}

/**
 * Two triangles joined by one explicit connection (Cy–Dee):
 *   Ada, Ben, Cy attended two robotics gatherings together and share the interest robotics:
 *     each pair 2 × 1 + 0.5 = 2.5 (co-attendance).
 *   Dee, Eve, Fay attended three music gatherings together: 3 each; Eve and Fay also share
 *     the interest music: 3.5.
 *   Cy–Dee: connection 2, no shared interest.
 *   Gus attended a gathering alone: no edge, no node. Ada and Dee met 40 days ago: outside
 *   the 30-day window.
 * Strengths: Dee 3 + 3 + 2 = 8, Cy 2.5 + 2.5 + 2 = 7, Eve = Fay 6.5, Ada = Ben 5.
 */
async function buildCommunity(ws: Workspace) {
  const s = ws.scope;
  const f4 = await floor(s, await building(s), 4);
  const lab = await room(s, f4, { name: 'Lab', capacity: 30 });
  const ids = {
    ada: await member(s, 'Ada', { interests: ['robotics', 'ai'], homeFloorId: f4 }),
    ben: await member(s, 'Ben', { interests: ['robotics'] }),
    cy: await member(s, 'Cy', { interests: ['robotics'] }),
    dee: await member(s, 'Dee', { interests: ['design'] }),
    eve: await member(s, 'Eve', { interests: ['music'] }),
    fay: await member(s, 'Fay', { interests: ['music'] }),
    gus: await member(s, 'Gus', { interests: ['chess'] }),
  };
  const meet = (title: string, tags: string[], daysAgo: number) =>
    gathering(s, lab, {
      title,
      tags,
      startsAt: ago(daysAgo * DAY),
      endsAt: ago(daysAgo * DAY - HOUR),
    });
  const r1 = await meet('Robots I', ['robotics'], 3);
  const r2 = await meet('Robots II', ['robotics', 'hardware'], 2);
  for (const m of [ids.ada, ids.ben, ids.cy]) {
    await checkIn(s, m, {
      roomId: lab,
      gatheringId: r1,
      at: ago(3 * DAY),
      out: ago(3 * DAY - HOUR),
    });
  }
  await rsvp(s, r2, [ids.ada, ids.ben, ids.cy]);
  for (const [index, daysAgo] of [5, 4, 1].entries()) {
    const jam = await meet(`Jam ${index}`, ['music'], daysAgo);
    await rsvp(s, jam, [ids.dee, ids.eve, ids.fay]);
  }
  await connect(s, ids.cy, ids.dee);
  const solo = await meet('Chess', ['chess'], 2);
  await rsvp(s, solo, [ids.gus]);
  const old = await meet('Old times', ['history'], 40);
  await rsvp(s, old, [ids.ada, ids.dee]);
  return ids;
}

describe('community.network', () => {
  const server = useTestServer();
  let ws: Workspace;
  let ids: Awaited<ReturnType<typeof buildCommunity>>;

  beforeAll(async () => {
    ws = await newWorkspace(server);
    ids = await buildCommunity(ws);
  });

  it('weighs edges, ranks influence and finds the two communities (SDK)', async () => {
    const network = await ws.client.api.community.network.query({ days: 30 });
    const byName = new Map(network.nodes.map((node: Node) => [node.name, node]));
    // PageRank follows the bridges and the strengths: Dee (8, bridge), Cy (7, bridge),
    // then Eve = Fay (6.5), then Ada = Ben (5); symmetric members score alike.
    expect(network.nodes.map((node: Node) => node.name).slice(0, 2)).toEqual(['Dee', 'Cy']);
    expect(new Set(network.nodes.slice(2, 4).map((node: Node) => node.name))).toEqual(
      new Set(['Eve', 'Fay']),
    );
    expect(new Set(network.nodes.slice(4).map((node: Node) => node.name))).toEqual(
      new Set(['Ada', 'Ben']),
    );
    expect(byName.get('Eve')?.influenceScore).toBeCloseTo(
      byName.get('Fay')?.influenceScore ?? 0,
      12,
    );
    const total = network.nodes.reduce((sum: number, node: Node) => sum + node.influenceScore, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(byName.has('Gus')).toBe(false);

    const community = (name: string) => byName.get(name)?.community;
    expect(community('Ben')).toBe(community('Ada'));
    expect(community('Cy')).toBe(community('Ada'));
    expect(community('Eve')).toBe(community('Dee'));
    expect(community('Fay')).toBe(community('Dee'));
    expect(community('Dee')).not.toBe(community('Ada'));

    expect(byName.get('Ada')).toMatchObject({ primaryTopic: 'robotics', floor: 4 });
    expect(byName.get('Dee')).toMatchObject({ primaryTopic: 'music', floor: null });

    const edge = (a: string, b: string) =>
      network.edges.find(
        (e: { source: string; target: string }) =>
          (e.source === a && e.target === b) || (e.source === b && e.target === a),
      );
    expect(network.edges).toHaveLength(7);
    expect(edge(ids.ada, ids.ben)).toMatchObject({
      strength: 2.5,
      reason: 'co-attendance',
      eventCount: 2,
    });
    expect(edge(ids.eve, ids.fay)).toMatchObject({
      strength: 3.5,
      reason: 'co-attendance',
      eventCount: 3,
    });
    expect(edge(ids.dee, ids.eve)).toMatchObject({ strength: 3, eventCount: 3 });
    expect(edge(ids.cy, ids.dee)).toMatchObject({
      strength: 2,
      reason: 'connection',
      eventCount: 0,
    });
    expect(edge(ids.ada, ids.dee)).toBeUndefined();
    expect(network.graph).toMatchObject({ nodes: 6, edges: 7, communities: 2 });
  });

  it('bounds the graph: top-N by influence, minimum strength, the window (REST)', async () => {
    const top = await rest(server, 'GET', '/community/network?limit=2', { token: ws.token });
    expect(top.status, JSON.stringify(top.body)).toBe(200);
    expect(top.body.nodes.map((node: Node) => node.name)).toEqual(['Dee', 'Cy']);
    expect(top.body.edges).toEqual([
      expect.objectContaining({ strength: 2, reason: 'connection' }),
    ]);

    // The strongest edges first: Eve–Fay 3.5, then Dee–Eve and Dee–Fay at 3.
    const few = await rest(server, 'GET', '/community/network?maxEdges=3', { token: ws.token });
    expect(few.body.edges.map((e: { strength: number }) => e.strength)).toEqual([3.5, 3, 3]);
    expect(few.body.nodes).toHaveLength(6);

    // At 2.5 only the Cy–Dee bridge (2) goes: two separate triangles remain.
    const strong = await rest(server, 'GET', '/community/network?minStrength=2.5', {
      token: ws.token,
    });
    expect(strong.body.edges).toHaveLength(6);
    expect(strong.body.graph.communities).toBe(2);

    // Sixty days reach the gathering Ada and Dee attended 40 days ago: one more edge of 1.
    const long = await rest(server, 'GET', '/community/network?days=60', { token: ws.token });
    const adaDee = long.body.edges.find(
      (e: { source: string; target: string }) =>
        [e.source, e.target].sort().join() === [ids.ada, ids.dee].sort().join(),
    );
    expect(adaDee).toMatchObject({ strength: 1, reason: 'co-attendance', eventCount: 1 });
    expect(long.headers.get('cache-control')).toBe('private, max-age=300');
  });

  it('refuses out-of-range parameters by name', async () => {
    for (const [query, field] of [
      ['days=0', 'days'],
      ['days=400', 'days'],
      ['limit=501', 'limit'],
      ['minStrength=-1', 'minStrength'],
      ['maxEdges=5001', 'maxEdges'],
    ]) {
      const response = await rest(server, 'GET', `/community/network?${query}`, {
        token: ws.token,
      });
      expect(response.status).toBe(400);
      expect(response.body.data.issues[0].path).toBe(field);
    }
  });

  it("never shows another workspace's members", async () => {
    const other = await newWorkspace(server, 'Elsewhere');
    await member(other.scope, 'Solo');
    const network = await other.client.api.community.network.query();
    expect(network.nodes).toEqual([]);
    expect(network.edges).toEqual([]);
  });
});
