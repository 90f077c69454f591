import { beforeAll, describe, expect, it } from 'vitest';
import { rest, useTestServer } from './harness.js';
import {
  ago,
  booking,
  building,
  checkIn,
  connect,
  DAY,
  floor,
  gathering,
  HOUR,
  later,
  MINUTE,
  member,
  newWorkspace,
  room,
  rsvp,
  WEEK,
  type Workspace,
} from './spaces.fixture.js';

/** Monday 00:00 UTC of the week holding `at` (ISO weeks, as date_trunc('week') counts). */
const mondayOf = (at: number) => {
  const day = Math.floor(at / DAY) * DAY;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
};

/**
 * The asker ("Me", the signed-in owner) likes robotics and design and knows Ada. Ada knows
 * Ben. A robotics demo runs on floor 4 now (Ben and Cy going). Last week: four check-ins by
 * three people (three on Tuesday, one on Wednesday) and one gathering; the week before, two.
 */
async function buildAssistantBuilding(ws: Workspace, now: number) {
  const s = ws.scope;
  const towerId = await building(s);
  const f4 = await floor(s, towerId, 4);
  const f5 = await floor(s, towerId, 5);
  const lab = await room(s, f4, { name: 'Lab', capacity: 10 });
  const booth = await room(s, f4, { name: 'Booth', capacity: 4 });
  const hall = await room(s, f5, { name: 'Hall', capacity: 20 });
  const me = await member(s, 'Me', { interests: ['robotics', 'design'], userId: ws.userId });
  const ada = await member(s, 'Ada', { interests: ['robotics'] });
  const ben = await member(s, 'Ben', { interests: ['robotics'] });
  const cy = await member(s, 'Cy', { interests: ['design'] });
  const dee = await member(s, 'Dee', { interests: ['robotics', 'music'] });
  await member(s, 'Eve', { interests: ['music'] });
  await connect(s, me, ada);
  await connect(s, ada, ben);
  const demo = await gathering(s, lab, {
    title: 'Robot demo',
    tags: ['robotics'],
    startsAt: ago(10 * MINUTE, now),
    endsAt: later(30 * MINUTE, now),
  });
  await rsvp(s, demo, [ben, cy]);
  await gathering(s, hall, {
    title: 'Crit',
    startsAt: ago(5 * MINUTE, now),
    endsAt: later(20 * MINUTE, now),
  });

  const lastMonday = mondayOf(now) - WEEK;
  const visit = (m: string, at: number) =>
    checkIn(s, m, { roomId: hall, at: new Date(at), out: new Date(at + HOUR) });
  for (const m of [ben, cy, dee]) await visit(m, lastMonday + DAY + 10 * HOUR);
  await visit(ben, lastMonday + 2 * DAY + 10 * HOUR);
  await gathering(s, hall, {
    title: 'Weekly jam',
    startsAt: new Date(lastMonday + DAY + 18 * HOUR),
    endsAt: new Date(lastMonday + DAY + 19 * HOUR),
  });
  for (const m of [ben, cy]) await visit(m, lastMonday - 4 * DAY);
  return { towerId, lab, booth, hall, me, ada, ben, cy, dee, demo, lastMonday };
}

describe('assistant.query', () => {
  const server = useTestServer();
  const now = Date.now();
  let ws: Workspace;
  let b: Awaited<ReturnType<typeof buildAssistantBuilding>>;

  beforeAll(async () => {
    ws = await newWorkspace(server);
    b = await buildAssistantBuilding(ws, now);
  });

  const ask = (message: string, chatId = 'chat-1') =>
    ws.client.api.assistant.query.mutate({ chatId, message });

  it("says what's on a floor now (SDK)", async () => {
    const answer = await ask("What's on floor 4 now?");
    expect(answer.data).toMatchObject({
      intent: 'floor_schedule',
      floor: 4,
      period: 'now',
      // Going RSVPs: Ben and Cy. The crit is on floor 5.
      gatherings: [{ id: b.demo, title: 'Robot demo', room: 'Lab', attendeeCount: 2 }],
    });
    expect(answer.message).toContain('Robot demo');
    expect(answer.provider).toBe('builtin');
  });

  it('recommends people by interest, attendance, shared interests and mutual connections', async () => {
    const answer = await ask('Who should I meet about robotics?');
    // Ada is excluded (already connected). Ben: interest 2 + one robotics gathering 1 +
    // shared interest 0.5 + mutual connection (Ada) 1 = 4.5. Dee: 2 + 0 + 0.5 + 0 = 2.5.
    // Cy: 0 + 1 (going to the demo) + 0.5 (design) + 0 = 1.5. Eve: not into robotics.
    const members = (answer.data.members as { name: string; score: number }[]).map((m) => [
      m.name,
      m.score,
    ]);
    expect(members).toEqual([
      ['Ben', 4.5],
      ['Dee', 2.5],
      ['Cy', 1.5],
    ]);
    expect(answer.message).toBe('For robotics, meet Ben, Dee, Cy.');
  });

  it('finds the rooms free at an hour (REST)', async () => {
    // Five hours after the current hour, which is always ahead: today or tomorrow.
    const from = Math.floor(now / HOUR) * HOUR + 5 * HOUR;
    await booking(ws.scope, b.booth, {
      startsAt: new Date(from),
      endsAt: new Date(from + HOUR),
      price: 20,
    });
    const hour = new Date(from).getUTCHours();
    const spoken = `${hour % 12 === 0 ? 12 : hour % 12} ${hour < 12 ? 'am' : 'pm'}`;
    const response = await rest(server, 'POST', '/assistant/query', {
      token: ws.token,
      body: { chatId: 'chat-rest', message: `Which rooms are free at ${spoken}?` },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({
      intent: 'free_rooms',
      from: new Date(from).toISOString(),
      to: new Date(from + HOUR).toISOString(),
      // The Booth is booked then; the demo and the crit are over by then.
      rooms: [
        { id: b.lab, name: 'Lab', floor: 4 },
        { id: b.hall, name: 'Hall', floor: 5 },
      ],
    });
  });

  it('says how busy last week was against the week before', async () => {
    const answer = await ask('How busy was last week?');
    const tuesday = new Date(b.lastMonday + DAY).toISOString().slice(0, 10);
    expect(answer.data).toMatchObject({
      intent: 'busyness',
      period: 'last_week',
      from: new Date(b.lastMonday).toISOString(),
      to: new Date(b.lastMonday + WEEK).toISOString(),
      checkIns: 4,
      members: 3,
      gatherings: 1,
      busiestDay: tuesday,
      busiestDayCheckIns: 3,
      previousCheckIns: 2,
      change: 1, // (4 − 2) / 2
    });
    expect(answer.message).toContain('+100 %');
  });

  it('offers help for anything else, and caches answers 30 s', async () => {
    const first = await rest(server, 'POST', '/assistant/query', {
      token: ws.token,
      body: { chatId: 'chat-help', message: 'Tell me a joke' },
    });
    expect(first.body).toMatchObject({ data: { intent: 'help' } });
    expect(first.body.suggestions.length).toBeGreaterThan(0);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const again = await rest(server, 'POST', '/assistant/query', {
      token: ws.token,
      body: { chatId: 'chat-help', message: 'tell me  a JOKE' },
    });
    expect(again.headers.get('x-cache')).toBe('HIT');
  });

  it('names the field of bad input', async () => {
    for (const [body, field] of [
      [{ chatId: 'has spaces', message: 'hi' }, 'chatId'],
      [{ chatId: 'c', message: '   ' }, 'message'],
      [{ chatId: 'c' }, 'message'],
    ] as const) {
      const response = await rest(server, 'POST', '/assistant/query', { token: ws.token, body });
      expect(response.status).toBe(400);
      expect(response.body.data.issues[0].path).toBe(field);
    }
  });

  it("answers from the asker's own workspace only", async () => {
    const other = await newWorkspace(server, 'Elsewhere');
    const answer = await other.client.api.assistant.query.mutate({
      chatId: 'chat-1',
      message: 'Who should I meet about robotics?',
    });
    expect(answer.data.members).toEqual([]);
    const busy = await other.client.api.assistant.query.mutate({
      chatId: 'x',
      message: 'How busy was last week?',
    });
    expect(busy.data).toMatchObject({ checkIns: 0, members: 0, gatherings: 0 });
  });
});

describe('assistant rate limit', () => {
  const server = useTestServer({ RATE_LIMIT_SCALE: '1' });

  it('allows 15 questions a minute per chat, then 429 with Retry-After; other chats go on', async () => {
    const ws = await newWorkspace(server);
    const post = (chatId: string) =>
      rest(server, 'POST', '/assistant/query', {
        token: ws.token,
        body: { chatId, message: 'hello' },
      });
    for (let i = 0; i < 15; i++) expect((await post('busy-chat')).status).toBe(200);
    const refused = await post('busy-chat');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post('other-chat')).status).toBe(200);
  });
});
