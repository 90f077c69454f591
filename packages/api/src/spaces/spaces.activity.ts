import type { RsvpStatus } from '@pulse/db';
import { type PublishContext, publishQuietly } from '../live/live.publisher.js';

/**
 * What happened in the building, announced after the write committed on the tower feed's
 * replay stream, so a tower subscriber that reconnects with its last id gets the check-ins,
 * RSVPs and bookings it missed. The durable record is the tables (and, for check-ins and
 * RSVPs, the Pulse events stored in the same transaction); the stream keeps the latest ones.
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

type AnnounceContext = PublishContext & { scope: { workspaceId: string } };

/** Never throws: the write it follows has committed and must still succeed. */
export async function announceSpaceActivity(
  ctx: AnnounceContext,
  activity: SpaceActivity,
): Promise<void> {
  await publishQuietly(ctx, ctx.scope.workspaceId, 'tower', {
    kind: 'tower',
    type: activity.kind,
    activity: { ...activity },
  });
}
