import { describe, expect, it } from 'vitest';
import { registerOwner } from './accounts.js';
import { rest, useTestServer } from './harness.js';

describe('REST conditional GETs', () => {
  const server = useTestServer();

  it('tags every successful GET with a strong ETag and answers If-None-Match with 304', async () => {
    const owner = await registerOwner(server);
    const first = await rest(server, 'GET', '/users/me', { token: owner.accessToken });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);

    const again = await rest(server, 'GET', '/users/me', { token: owner.accessToken });
    expect(again.headers.get('etag')).toBe(etag);

    const unchanged = await rest(server, 'GET', '/users/me', {
      token: owner.accessToken,
      headers: { 'if-none-match': `"stale", ${etag}` },
    });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe('');

    // The tag follows the content: a changed profile no longer matches.
    const renamed = await rest(server, 'PUT', '/users/me', {
      token: owner.accessToken,
      body: { name: 'Renamed Owner' },
    });
    expect(renamed.status).toBe(200);
    const changed = await rest(server, 'GET', '/users/me', {
      token: owner.accessToken,
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.name).toBe('Renamed Owner');
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('never tags errors or writes', async () => {
    const missing = await rest(server, 'GET', '/users/me');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('etag')).toBeNull();
    const owner = await registerOwner(server);
    const write = await rest(server, 'PUT', '/users/me', {
      token: owner.accessToken,
      body: { name: 'Another Name' },
    });
    expect(write.headers.get('etag')).toBeNull();
  });
});
