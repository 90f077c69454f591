import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const sdkDir = join(repoRoot, 'packages/sdk');
const pnpmVersion = (
  await import(join(repoRoot, 'package.json'), { with: { type: 'json' } })
).default.packageManager.split('@')[1] as string;

// Packs the SDK as it would be published, installs the tarball into a project outside the
// workspace (npm, no workspace links), typechecks a consumer against it and runs it.
describe('the packed SDK in a project outside the workspace', () => {
  const server = useTestServer();
  const project = mkdtempSync(join(tmpdir(), 'pulse-sdk-consumer-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('installs, typechecks with only its own dependencies, and talks to a live server', async () => {
    await run(
      join(repoRoot, 'node_modules/.bin/tsc'),
      ['-p', join(sdkDir, 'tsconfig.build.json')],
      { cwd: sdkDir },
    );
    await run('npx', ['--yes', `pnpm@${pnpmVersion}`, 'pack', '--pack-destination', project], {
      cwd: sdkDir,
    });
    const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'sdk-consumer',
        private: true,
        type: 'module',
        dependencies: { '@pulse/sdk': `file:./${tarball}`, ws: '8.23.0' },
        devDependencies: { typescript: '5.9.3', '@types/ws': '8.18.2', '@types/node': '20.19.8' },
      }),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          types: ['node'],
          skipLibCheck: false,
        },
        files: ['consumer.ts'],
      }),
    );
    cpSync(
      fileURLToPath(new URL('./fixtures/sdk-consumer/consumer.ts', import.meta.url)),
      join(project, 'consumer.ts'),
    );
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      {
        cwd: project,
        timeout: 240_000,
      },
    );
    // skipLibCheck is off: the SDK's own .d.ts files must typecheck too.
    await run(join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: project });
    const { stdout } = await run('node', [join(project, 'out/consumer.js'), server.url], {
      cwd: project,
      timeout: 30_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    expect(result).toMatchObject({ role: 'owner', failed: 'pulse-error' });
    expect(result.email).toMatch(/^packed-\d+@example\.test$/);
  }, 300_000);
});
