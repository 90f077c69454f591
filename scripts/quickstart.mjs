#!/usr/bin/env node
// The README's two commands: `npm start` and `npm test`. Needs only Node and npm: pnpm is
// fetched through npx at the version the repository pins, dependencies are installed when the
// lockfile or any package.json changed, and what the command needs is built.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
).packageManager.split('@')[1];
const stampFile = join(root, 'node_modules', '.pulse-install-stamp');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(command, args, env = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function manifestsDigest() {
  const hash = createHash('sha256');
  const files = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'];
  for (const group of ['packages', 'apps', 'tooling']) {
    for (const name of readdirSync(join(root, group)))
      files.push(join(group, name, 'package.json'));
  }
  for (const file of files)
    if (existsSync(join(root, file))) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest('hex');
}

function ensureInstalled() {
  const digest = manifestsDigest();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) return;
  console.log(`Installing dependencies with pnpm ${pnpmVersion}…`);
  run('npx', ['--yes', `pnpm@${pnpmVersion}`, 'install', '--frozen-lockfile'], {
    npm_config_update_notifier: 'false',
  });
  writeFileSync(stampFile, digest);
}

function build(...filters) {
  run(
    bin('turbo'),
    ['run', 'build', ...filters.map((f) => `--filter=${f}`), '--output-logs=errors-only'],
    {
      TURBO_TELEMETRY_DISABLED: '1',
    },
  );
}

const [command = 'start', ...rest] = process.argv.slice(2);
ensureInstalled();
switch (command) {
  case 'install':
    break;
  case 'start': {
    build('@pulse/server...', '@pulse/demo-client');
    const child = spawn(
      process.execPath,
      [join(root, 'apps/server/dist/cli.js'), 'server', ...rest],
      {
        cwd: root,
        stdio: 'inherit',
        env: { PULSE_SEED_DEMO: 'true', ...process.env },
      },
    );
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    break;
  }
  case 'test':
    // The SDK's packaging test installs the built tarball, so the SDK is built first.
    build('@pulse/sdk');
    run(bin('vitest'), ['run', ...rest]);
    break;
  default:
    console.error(`unknown command "${command}" (start | test | install)`);
    process.exit(2);
}
