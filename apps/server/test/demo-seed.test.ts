import { describe, expect, it } from 'vitest';
import { DEMO_OWNER, seedDemo } from '../src/demo-seed.js';
import { rest, useTestServer } from './harness.js';

describe('the demo seed behind npm start', () => {
  const server = useTestServer();

  it('creates the demo workspace with members, a day of events and metrics, once', async () => {
    expect(await seedDemo(server.config, server.app.pulse)).toEqual({ created: true });
    expect(await seedDemo(server.config, server.app.pulse)).toEqual({ created: false });

    const login = await rest(server, 'POST', '/auth/login', {
      body: { email: DEMO_OWNER.email, password: DEMO_OWNER.password },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken;
    const members = await rest(server, 'GET', '/workspaces/members', { token });
    expect(members.body.items.map((m: { role: string }) => m.role).sort()).toEqual([
      'admin',
      'member',
      'owner',
      'viewer',
    ]);

    const purchases = await rest(server, 'GET', '/events?type=purchase&limit=200', { token });
    expect(purchases.body.items.length).toBeGreaterThan(20);
    expect(purchases.body.items.every((e: { price: number | null }) => e.price !== null)).toBe(
      true,
    );

    const from = new Date(Date.now() - 25 * 3_600_000).toISOString();
    const cpu = await rest(
      server,
      'GET',
      `/metrics/aggregate/cpu?from=${encodeURIComponent(from)}&interval=1d&fn=count&groupBy=host`,
      { token },
    );
    expect(cpu.status).toBe(200);
    const counts = cpu.body.series.reduce(
      (sum: number, point: { value: number }) => sum + point.value,
      0,
    );
    expect(counts).toBe(288 * 3);
  });
});
