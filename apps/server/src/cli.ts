#!/usr/bin/env node
import { migrateToLatest } from '@pulse/db';
import { ConfigError, loadConfig } from './config.js';
import { DEMO_OWNER, seedDemo } from './demo-seed.js';
import { runServer } from './main.js';
import { openResources } from './resources.js';
import { parseSpacesFlags, runSpacesSeed } from './spaces-seed.command.js';
import { runWorker } from './workers.js';

const USAGE = `Usage: pulse <command>

Commands:
  server        Start the API server (default)
  worker        Run the background jobs (rollups, partitions, retention) alone
  migrate       Apply pending database migrations and exit
  seed demo     Create the demo workspace and exit
  seed spaces [--size small|large] [--workspace <id>]
                Load a demo building (default: small, into the demo workspace) and exit

Configuration comes from the environment; see .env.example.`;

async function main(argv: string[]): Promise<void> {
  const [command = 'server', subject] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'server':
      return runServer(config);
    case 'worker':
      return runWorker(config);
    case 'migrate': {
      const resources = await openResources(config, { migrate: false });
      try {
        const results = await migrateToLatest(resources.database.db);
        console.log(
          results.length
            ? results.map((r) => `applied ${r.migrationName}`).join('\n')
            : 'schema is up to date',
        );
      } finally {
        await resources.close();
      }
      return;
    }
    case 'seed': {
      if (subject === 'spaces') {
        const flags = parseSpacesFlags(argv.slice(2));
        if (typeof flags === 'string') throw new UsageError(flags);
        return runSpacesSeed(config, flags);
      }
      if (subject !== 'demo')
        throw new UsageError(`unknown seed "${subject ?? ''}"; try: pulse seed demo`);
      const resources = await openResources(config);
      try {
        const { created } = await seedDemo(config, resources);
        console.log(
          `${created ? 'created' : 'already present'}: ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`,
        );
      } finally {
        await resources.close();
      }
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(error.message);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
