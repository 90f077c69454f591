import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

const run = promisify(execFile);

describe('REST from a non-TypeScript client (python3 standard library)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('registers, logs in, reads and updates me, refreshes, logs out and deletes', async () => {
    const script = fileURLToPath(new URL('./e2e_rest.py', import.meta.url));
    const { stdout } = await run('python3', [script, server.url], { timeout: 60_000 });
    expect(stdout).toContain('all REST checks passed');
    expect(stdout).not.toContain('FAIL');
  });
});
