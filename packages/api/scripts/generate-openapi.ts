// Writes the committed OpenAPI document from the routers; `--check` fails when it drifted.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/openapi.js';

const target = new URL('../../../openapi.json', import.meta.url);
const serverPackage = new URL('../../../apps/server/package.json', import.meta.url);
const { version } = JSON.parse(readFileSync(serverPackage, 'utf8')) as { version: string };

const document = buildOpenApiDocument({ version, baseUrl: 'http://127.0.0.1:3000' });
const fresh = `${JSON.stringify(document, null, 2)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing counts as drift
  }
  if (committed !== fresh) {
    console.error(
      'openapi.json is out of date with the routers: run `pnpm gen` and commit the result.',
    );
    process.exit(1);
  }
  console.log('openapi.json matches the routers');
} else {
  writeFileSync(target, fresh);
  console.log(`wrote ${target.pathname}`);
}
