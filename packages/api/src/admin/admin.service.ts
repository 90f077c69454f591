import { recordAudit } from '../audit/audit.service.js';
import type { UserContext } from '../auth/caller.js';
import type { BroadcastMessage } from '../live/live.contract.js';
import { publishBroadcast } from '../live/live.publisher.js';
import { liveHub } from '../live/live.service.js';
import type { BroadcastInput, ConnectionsOutput } from './admin.contract.js';

export async function connections(ctx: UserContext): Promise<ConnectionsOutput> {
  const hub = liveHub(ctx);
  const live = await hub.connections.workspace(ctx.caller.workspaceId);
  return { process: hub.processId, ...live };
}

/** Through the replay streams and the bus, so every process delivers it to its subscribers. */
export async function broadcast(
  ctx: UserContext,
  input: BroadcastInput,
): Promise<{ delivered: number; at: string }> {
  const { workspaceId, userId, name } = ctx.caller;
  const at = new Date().toISOString();
  const message: BroadcastMessage = {
    kind: 'broadcast',
    message: input.message,
    level: input.level,
    from: { userId, name },
    at,
  };
  const { total } = await liveHub(ctx).connections.workspace(workspaceId);
  await publishBroadcast(ctx, workspaceId, message);
  await recordAudit(ctx, ctx.scope, {
    actorUserId: userId,
    action: 'live.broadcast',
    targetType: 'workspace',
    targetId: workspaceId,
    metadata: { level: input.level, length: input.message.length, delivered: total },
  });
  return { delivered: total, at };
}
