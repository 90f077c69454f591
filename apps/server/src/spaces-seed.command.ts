import type { ServerConfig } from './config.js';
import { demoWorkspaceId, seedDemo } from './demo-seed.js';
import { openResources } from './resources.js';
import { isSeedSize, type SeedSizeName, seedSpaces } from './spaces-seed.js';

export interface SpacesSeedFlags {
  size: SeedSizeName;
  workspaceId?: string;
}

/** `--size small|large [--workspace <id>]`; a message when the flags make no sense. */
export function parseSpacesFlags(args: readonly string[]): SpacesSeedFlags | string {
  const flags: SpacesSeedFlags = { size: 'small' };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === '--size' && value && isSeedSize(value)) flags.size = value;
    else if (flag === '--workspace' && value) flags.workspaceId = value;
    else return `pulse seed spaces: unexpected "${[flag, value].filter(Boolean).join(' ')}"`;
  }
  return flags;
}

/** `pulse seed spaces`: the demo workspace (created without a building) unless one is named. */
export async function runSpacesSeed(config: ServerConfig, flags: SpacesSeedFlags): Promise<void> {
  const resources = await openResources(config);
  try {
    let workspaceId = flags.workspaceId;
    if (!workspaceId) {
      await seedDemo(config, resources, { spaces: null });
      workspaceId = await demoWorkspaceId(config, resources);
    }
    const result = await seedSpaces(resources.database.db, { workspaceId, size: flags.size });
    if (!result.created) {
      console.log(`workspace ${workspaceId} already has a building; nothing loaded`);
      return;
    }
    const { created: _created, durationMs, ...counts } = result;
    const figures = Object.entries(counts).map(
      ([name, count]) => `${name} ${count.toLocaleString('en')}`,
    );
    console.log(
      `loaded a ${flags.size} building into ${workspaceId} in ${(durationMs / 1000).toFixed(1)} s`,
    );
    console.log(figures.join(', '));
    console.log('Pulse events: check-ins and check-outs of the last 24 hours only');
  } finally {
    await resources.close();
  }
}
