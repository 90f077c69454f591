import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ingest, type Shop, seedShop } from './analytics.sql.support.js';
import { rest, startTestServer, type TestServer } from './harness.js';

/** An OpenAI-compatible chat-completions server on loopback, told what to do per request. */
interface FakeModel {
  url: string;
  requests: Array<{ authorization?: string; body: { model: string; messages: unknown[] } }>;
  reply: (response: ServerResponse) => void;
  close(): Promise<void>;
}

async function startFakeModel(): Promise<FakeModel> {
  const model: FakeModel = {
    url: '',
    requests: [],
    reply: () => {},
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      model.requests.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
      model.reply(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  model.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return model;
}

const completion = (content: string) => (response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
};

describe('analytics.ask with an OpenAI-compatible model', () => {
  let model: FakeModel;
  let server: TestServer;
  let shop: Shop;

  beforeAll(async () => {
    model = await startFakeModel();
    server = await startTestServer({
      LLM_BASE_URL: model.url,
      LLM_API_KEY: 'sk-test',
      LLM_MODEL: 'fake-model',
      LLM_TIMEOUT_MS: '300',
    });
    shop = await seedShop(server);
  });
  afterAll(async () => {
    await server?.close();
    await model?.close();
  });

  const ask = (question: string) =>
    rest(server, 'POST', '/analytics/ask', { token: shop.owner.accessToken, body: { question } });

  it('runs the SQL the model writes through the sandbox and adds the figures', async () => {
    model.reply = completion(
      JSON.stringify({
        answer: 'You had this many purchases.',
        sql: "select count(*) as purchases from events where type = 'purchase'",
      }),
    );
    const response = await ask('How many purchases have we had, ever?');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // Two purchases today and one yesterday.
    expect(response.body).toEqual({
      answer: 'You had this many purchases. (purchases = 3)',
      sql: "select count(*) as purchases from events where type = 'purchase'",
      columns: [{ name: 'purchases', type: 'bigint' }],
      rows: [[3]],
      provider: 'openai-compatible',
    });
    const request = model.requests.at(-1);
    expect(request?.authorization).toBe('Bearer sk-test');
    expect(request?.body.model).toBe('fake-model');
    // The model is told the views (and not the real tables' workspace_id) and the rules.
    const system = JSON.stringify(request?.body.messages[0]);
    expect(system).toContain('event_rollups');
    expect(system).not.toContain('workspace_id');
  });

  it('accepts a fenced SQL block in a prose reply', async () => {
    model.reply = completion(
      "Here are the buyers:\n```sql\nselect distinct user_id from events where type = 'purchase' order by 1\n```",
    );
    const response = await ask('Who bought something?');
    expect(response.status).toBe(200);
    expect(response.body.rows).toEqual([['u1'], ['u2'], ['u4']]);
  });

  it('refuses unsafe SQL from the model with a 502, and runs nothing', async () => {
    for (const unsafe of ['select pg_sleep(60)', 'delete from events', 'select * from users']) {
      model.reply = completion(JSON.stringify({ answer: 'Sure.', sql: unsafe }));
      const response = await ask(`Please run ${unsafe}`);
      expect(response.status).toBe(502);
      expect(response.body.data.domainCode).toBe('UPSTREAM_FAILED');
      expect(response.body.message).toMatch(/language model's SQL was refused \(sql: /);
    }
    const count = await rest(server, 'POST', '/analytics/query', {
      token: shop.owner.accessToken,
      body: { sql: 'select count(*) as n from events' },
    });
    expect(count.body.rows).toEqual([[12]]);
  });

  it('answers 502 when the model fails and 504 when it is too slow', async () => {
    model.reply = (response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'overloaded' } }));
    };
    const failing = await ask('What happened?');
    expect(failing.status).toBe(502);
    expect(failing.body.message).toBe('The language model answered HTTP 500: overloaded');

    model.reply = (response) => response.socket?.destroy();
    const down = await ask('Is anyone there?');
    expect(down.status).toBe(502);
    expect(down.body.message).toMatch(/could not be reached/);

    model.reply = completion('not json and no sql');
    const prose = await ask('Say something');
    expect(prose.status).toBe(200);
    expect(prose.body).toEqual({ answer: 'not json and no sql', provider: 'openai-compatible' });

    // Slower than LLM_TIMEOUT_MS (300 ms).
    model.reply = (response) => setTimeout(() => completion('{}')(response), 2_000);
    const slow = await ask('Are you slow?');
    expect(slow.status).toBe(504);
    expect(slow.body.data.domainCode).toBe('UPSTREAM_TIMEOUT');
    expect(slow.body.message).toBe('The language model did not answer within 300 ms');
  });

  it('keeps the model’s SQL to the caller’s workspace', async () => {
    const other = await seedShop(server);
    await ingest(server, other.owner, [
      { id: 'z1', type: 'purchase', userId: 'u9', price: 1, at: other.todayAt },
    ]);
    model.reply = completion(
      JSON.stringify({
        answer: 'Purchases:',
        sql: "select count(*) as n from events where type = 'purchase'",
      }),
    );
    const response = await rest(server, 'POST', '/analytics/ask', {
      token: other.owner.accessToken,
      body: { question: 'purchases in my shop?' },
    });
    // The other shop's own 3 seeded purchases and z1; none of the first shop's.
    expect(response.body.rows).toEqual([[4]]);
  });
});

describe('language model configuration', () => {
  it('is off by default and needs a model name with a base URL', () => {
    expect(loadConfig({}).api.languageModel).toBeUndefined();
    expect(() => loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' })).toThrow(
      /LLM_MODEL is required with LLM_BASE_URL/,
    );
    expect(() => loadConfig({ LLM_BASE_URL: 'ftp://x', LLM_MODEL: 'm' })).toThrow(/LLM_BASE_URL/);
    expect(
      loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3' }).api
        .languageModel,
    ).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: undefined,
      model: 'llama3',
      timeoutMs: 20_000,
      maxTokens: 800,
    });
  });
});
