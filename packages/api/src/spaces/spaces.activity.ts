import type { RsvpStatus } from '@pulse/db';
import type { Context } from '../context.js';

/**
 * What happened in the building, announced on the bus after the write committed, for the
 * live tower feed. At-most-once like every bus message: the durable record is the tables
 * (and, for check-ins and RSVPs, the Pulse events stored in the same transaction).
 */
export type SpaceActivity =
  | {
      kind: 'check_in' | 'check_out';
      checkInId: string;
      memberId: string;
      roomId: string | null;
      floorId: string | null;
      gatheringId: string | null;
      at: string;
    }
  | {
      kind: 'rsvp';
      gatheringId: string;
      memberId: string;
      status: RsvpStatus;
      roomId: string;
      floorId: string;
      at: string;
    }
  | {
      kind: 'booking';
      change: 'created' | 'cancelled';
      bookingId: string;
      roomId: string;
      floorId: string;
      memberId: string | null;
      startsAt: string;
      endsAt: string;
      at: string;
    }
  | {
      kind: 'gathering';
      change: 'created' | 'updated' | 'deleted';
      gatheringId: string;
      roomId: string;
      floorId: string;
      title: string;
      tags: string[];
      startsAt: string;
      endsAt: string;
      at: string;
    }
  | {
      kind: 'room';
      change: 'created' | 'updated' | 'deleted';
      roomId: string;
      floorId: string;
      at: string;
    };

export type SpaceActivityKind = SpaceActivity['kind'];

/** One bus message: the activity and the workspace it belongs to. */
export interface SpaceActivityMessage {
  workspaceId: string;
  activity: SpaceActivity;
}

export const spaceActivityChannel = (workspaceId: string) => `spaces:${workspaceId}:activity`;

type AnnounceContext = Pick<Context, 'infra'> & { scope: { workspaceId: string } };

/** Never throws: the write it follows has committed and must still succeed. */
export async function announceSpaceActivity(
  ctx: AnnounceContext,
  activity: SpaceActivity,
): Promise<void> {
  const workspaceId = ctx.scope.workspaceId;
  const message: SpaceActivityMessage = { workspaceId, activity };
  try {
    await ctx.infra.bus.publish(spaceActivityChannel(workspaceId), message);
  } catch (error) {
    console.error(`[pulse] space activity for workspace ${workspaceId} was not announced`, error);
  }
}
