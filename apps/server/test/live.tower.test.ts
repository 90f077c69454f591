import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestServer } from './harness.js';
import { connectWs, eventually, openSse, type Received, record } from './live.support.js';
import {
  ago,
  building,
  floor,
  gathering,
  later,
  MINUTE,
  member,
  newWorkspace,
  room,
  type Workspace,
} from './spaces.fixture.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function buildFloor(ws: Workspace) {
  const s = ws.scope;
  const f4 = await floor(s, await building(s), 4);
  const lab = await room(s, f4, { name: 'Lab', capacity: 10 });
  const ada = await member(s, 'Ada');
  const ben = await member(s, 'Ben');
  const demo = await gathering(s, lab, {
    title: 'Robot demo',
    tags: ['robotics'],
    startsAt: ago(10 * MINUTE),
    endsAt: later(50 * MINUTE),
  });
  return { f4, lab, ada, ben, demo };
}

// biome-ignore lint/suspicious/noExplicitAny: feed messages are asserted on loosely.
const ofType = (messages: Received[], type: string): any[] =>
  messages.map((m) => m.data).filter((data) => data.type === type);

describe('live.tower and live.floorPulse', () => {
  // Tower state and pulses are recomputed every 200 ms; SSE heartbeats every second.
  const server = useTestServer({ LIVE_OVERVIEW_INTERVAL_MS: '200', WS_HEARTBEAT_MS: '1000' });
  let ws: Workspace;
  let b: Awaited<ReturnType<typeof buildFloor>>;

  beforeAll(async () => {
    ws = await newWorkspace(server);
    b = await buildFloor(ws);
  });

  it('carries room activity, gathering starts, check-ins and assistant answers; resumes answers', async () => {
    const socket = connectWs(server, ws.token);
    cleanups.push(() => socket.close());
    const feed = record((handlers) => socket.client.live.tower.subscribe(undefined, handlers));
    cleanups.push(() => feed.stop());

    // First the current state: the demo is running, the Lab is empty.
    await vi.waitFor(() => {
      expect(ofType(feed.messages, 'gathering_started')).toEqual([
        expect.objectContaining({
          kind: 'tower',
          gatheringId: b.demo,
          roomId: b.lab,
          floorId: b.f4,
          title: 'Robot demo',
        }),
      ]);
      expect(ofType(feed.messages, 'room_activity')).toEqual([
        expect.objectContaining({
          roomId: b.lab,
          activityLevel: 0,
          attendeeCount: 0,
          capacity: 10,
        }),
      ]);
    }, eventually);

    // A check-in: announced as it happens, then the Lab's activity changes (1 check-in in
    // the last hour where there usually is none: level 1).
    await ws.client.api.spaces.checkIns.checkIn.mutate({ memberId: b.ada, roomId: b.lab });
    await vi.waitFor(() => {
      expect(ofType(feed.messages, 'check_in')).toEqual([
        expect.objectContaining({
          activity: expect.objectContaining({ memberId: b.ada, roomId: b.lab }),
        }),
      ]);
      expect(ofType(feed.messages, 'room_activity').at(-1)).toMatchObject({
        roomId: b.lab,
        activityLevel: 1,
        attendeeCount: 1,
      });
    }, eventually);
    // The demo started once, whatever the number of recomputations since.
    expect(ofType(feed.messages, 'gathering_started')).toHaveLength(1);

    const answer = await ws.client.api.assistant.query.mutate({
      chatId: 'lobby',
      message: 'How busy is it today?',
    });
    await vi.waitFor(() => {
      expect(ofType(feed.messages, 'bot_response')).toEqual([
        expect.objectContaining({
          chatId: 'lobby',
          message: answer.message,
          suggestions: answer.suggestions,
        }),
      ]);
    }, eventually);

    // Answers and check-ins are stored: a client resuming from the start of the feed gets
    // them again, in the order they happened, before the current state.
    const resumed = record((handlers) =>
      socket.client.live.tower.subscribe({ lastEventId: '0-0' }, handlers),
    );
    cleanups.push(() => resumed.stop());
    await vi.waitFor(() => {
      expect(ofType(resumed.messages, 'bot_response')).toEqual([
        expect.objectContaining({ chatId: 'lobby', message: answer.message }),
      ]);
    }, eventually);
    const replayed = resumed.messages.map((m) => m.data.type);
    expect(replayed.indexOf('check_in')).toBeGreaterThanOrEqual(0);
    expect(replayed.indexOf('check_in')).toBeLessThan(replayed.indexOf('bot_response'));
    expect(ofType(resumed.messages, 'check_in')).toEqual([
      expect.objectContaining({
        activity: expect.objectContaining({ memberId: b.ada, roomId: b.lab }),
      }),
    ]);
  });

  it('streams a floor pulse over SSE when it changes, with heartbeats', async () => {
    const stream = await openSse(server, `/stream/floors/${b.f4}`, { token: ws.token });
    cleanups.push(() => stream.close());
    expect(stream.status).toBe(200);
    const pulses = () => stream.events.filter((e) => e.event === 'floor_pulse').map((e) => e.data);
    await vi.waitFor(() => expect(pulses().length).toBeGreaterThan(0), eventually);
    const before = pulses().at(-1).rooms[0].liveMetrics.attendeeCount;

    await ws.client.api.spaces.checkIns.checkIn.mutate({ memberId: b.ben, roomId: b.lab });
    await vi.waitFor(() => {
      expect(pulses().at(-1).rooms[0]).toMatchObject({
        roomName: 'Lab',
        event: { id: b.demo },
        liveMetrics: { attendeeCount: before + 1 },
      });
    }, eventually);
    // Only changes are pushed: no two consecutive pulses carry the same figures.
    const figures = pulses().map(({ at: _, ...rest }) => JSON.stringify(rest));
    for (let i = 1; i < figures.length; i++) expect(figures[i]).not.toBe(figures[i - 1]);
    await vi.waitFor(() => expect(stream.comments).toContain('ping'), eventually);
  });

  it('serves the tower over SSE, and refuses unknown or foreign floors with 404', async () => {
    const tower = await openSse(server, '/stream/tower', { token: ws.token });
    cleanups.push(() => tower.close());
    await vi.waitFor(() => {
      expect(tower.events.some((e) => e.event === 'tower' && e.data.type === 'room_activity')).toBe(
        true,
      );
    }, eventually);

    const unknown = await openSse(server, `/stream/floors/${crypto.randomUUID()}`, {
      token: ws.token,
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).data.domainCode).toBe('NOT_FOUND');

    const other = await newWorkspace(server, 'Elsewhere');
    const foreign = await openSse(server, `/stream/floors/${b.f4}`, { token: other.token });
    expect(foreign.status).toBe(404);
    await foreign.done;

    // Their tower feed knows nothing of this building.
    const theirs = await openSse(server, '/stream/tower', { token: other.token });
    cleanups.push(() => theirs.close());
    await vi.waitFor(() => expect(theirs.comments).toContain('ping'), eventually);
    expect(theirs.events.filter((e) => e.event === 'tower')).toEqual([]);
  });
});
