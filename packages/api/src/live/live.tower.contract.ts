import { z } from 'zod';
import { idSchema, timestampSchema } from '../fields.js';
import { floorPulseOutput } from '../spaces/floor-pulse.contract.js';
import { broadcastMessageSchema, gapMessageSchema, lastEventId } from './live.contract.js';

export const towerFeedInput = z.strictObject({ lastEventId }).optional();
export const floorPulseFeedInput = z.strictObject({ floorId: idSchema, lastEventId });

/** Stored in the tower's replay stream, so a resuming client gets every answer it missed. */
export const botResponseSchema = z.object({
  kind: z.literal('tower'),
  type: z.literal('bot_response'),
  chatId: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
  suggestions: z.array(z.string()),
  provider: z.string(),
  at: timestampSchema,
});

/**
 * The building's comings and goings as the spaces writes announce them. Stored in the tower's
 * replay stream, so a resuming client gets the ones it missed.
 */
export const spaceActivityMessageSchema = z.object({
  kind: z.literal('tower'),
  type: z.enum(['check_in', 'check_out', 'rsvp', 'booking', 'gathering', 'room']),
  activity: z.record(z.string(), z.unknown()),
});

/** A room's activity changed (or, first thing on a new subscription, its current level). */
export const roomActivitySchema = z.object({
  kind: z.literal('tower'),
  type: z.literal('room_activity'),
  roomId: idSchema,
  floorId: idSchema,
  activityLevel: z.number().min(0).max(1).describe("The room's activityHeat (see floor pulse)"),
  attendeeCount: z.number().int(),
  capacity: z.number().int(),
});

export const gatheringStartedSchema = z.object({
  kind: z.literal('tower'),
  type: z.literal('gathering_started'),
  gatheringId: idSchema,
  roomId: idSchema,
  floorId: idSchema,
  title: z.string(),
  tags: z.array(z.string()),
  startsAt: timestampSchema,
  endsAt: timestampSchema,
});

export const towerFeedMessage = z.union([
  botResponseSchema,
  spaceActivityMessageSchema,
  roomActivitySchema,
  gatheringStartedSchema,
  broadcastMessageSchema,
  gapMessageSchema,
]);

export const floorPulseMessageSchema = floorPulseOutput.extend({ kind: z.literal('floor_pulse') });
export const floorPulseFeedMessage = z.union([
  floorPulseMessageSchema,
  broadcastMessageSchema,
  gapMessageSchema,
]);

export type TowerFeedInput = z.infer<typeof towerFeedInput>;
export type FloorPulseFeedInput = z.infer<typeof floorPulseFeedInput>;
export type BotResponseMessage = z.infer<typeof botResponseSchema>;
export type SpaceActivityFeedMessage = z.infer<typeof spaceActivityMessageSchema>;
export type TowerLocalMessage =
  | z.infer<typeof roomActivitySchema>
  | z.infer<typeof gatheringStartedSchema>;
export type TowerFeedMessage = z.infer<typeof towerFeedMessage>;
export type FloorPulseMessage = z.infer<typeof floorPulseMessageSchema>;
export type FloorPulseFeedMessage = z.infer<typeof floorPulseFeedMessage>;
