import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';

const run = promisify(execFile);

describe('REST from a non-TypeScript client (python3 standard library)', () => {
  const server = useTestServer();

  it('registers, logs in, reads and updates me, refreshes, logs out and deletes', async () => {
    const script = fileURLToPath(new URL('./e2e_rest.py', import.meta.url));
    const { stdout } = await run('python3', [script, server.url], { timeout: 60_000 });
    expect(stdout).toContain('all REST checks passed');
    expect(stdout).not.toContain('FAIL');
  });
});
