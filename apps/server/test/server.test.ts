import { describe, expect, it } from 'vitest';
import { readJson, rest, startTestServer, useTestServer } from './harness.js';

describe('server: health, readiness, metrics, docs, headers', () => {
  const server = useTestServer({ CORS_ORIGINS: 'https://dash.example.com' });

  it('answers liveness with version and uptime', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      uptimeSeconds: expect.any(Number),
    });
  });

  it('answers readiness with each dependency and its latency', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(body.status).toBe('ready');
    expect(body.checks.database).toMatchObject({
      status: 'up',
      kind: server.config.database.kind,
      latencyMs: expect.any(Number),
    });
    expect(body.checks.redis.status).toBe('up');
  });

  it('exposes Prometheus metrics per route and per procedure', async () => {
    await rest(server, 'GET', '/system/health');
    await fetch(`${server.url}/trpc/system.health`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(
      /pulse_http_requests_total\{method="GET",route="\/api\/v1\/\*",status_code="200"\} \d+/,
    );
    expect(text).toMatch(
      /pulse_procedure_calls_total\{procedure="system.health",type="query",outcome="ok"\} [2-9]/,
    );
    expect(text).toContain('pulse_procedure_duration_seconds_bucket');
    expect(text).toContain('pulse_websocket_connections');
    expect(text).toMatch(/pulse_db_pool_connections\{state="total"\} \d+/);
    expect(text).toContain('pulse_cache_hits_total');
    expect(text).toMatch(/pulse_live_subscriptions \d+/);
    expect(text).toMatch(/pulse_live_publish_failures_total \d+/);
  });

  it('serves the OpenAPI document and the interactive docs', async () => {
    const document = await readJson(await fetch(`${server.url}/openapi.json`));
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/auth/register',
        '/auth/login',
        '/auth/refresh',
        '/auth/logout',
        '/users/me',
        '/workspaces/invites',
      ]),
    );
    expect(
      document.paths['/users/me'].delete.requestBody.content['application/json'].schema.required,
    ).toEqual(['password']);
    const docs = await fetch(`${server.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('echoes a caller-supplied request id and mints one otherwise', async () => {
    const given = await fetch(`${server.url}/health`, {
      headers: { 'x-request-id': 'trace-abc.123' },
    });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const minted = await fetch(`${server.url}/health`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and CORS only for allowed origins', async () => {
    const allowed = await fetch(`${server.url}/api/v1/system/health`, {
      headers: { origin: 'https://dash.example.com' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example.com');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    const other = await fetch(`${server.url}/api/v1/system/health`, {
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('server: readiness when the database is gone', () => {
  it('answers 503 naming the failing dependency, while liveness stays up', async () => {
    const server = await startTestServer();
    try {
      await server.app.pulse.database.close();
      const ready = await fetch(`${server.url}/healthz`);
      expect(ready.status).toBe(503);
      const body = await readJson(ready);
      expect(body.checks.database.status).toBe('down');
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
