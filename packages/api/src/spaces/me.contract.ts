import { z } from 'zod';
import { memberSchema } from '../community/members.contract.js';
import type { PulseMeta } from '../trpc.js';
import { checkInSchema } from './check-ins.contract.js';
import { gatheringSchema } from './gatherings.contract.js';

export const MY_UPCOMING_LIMIT = 20;

export const spacesMeOutput = z.object({
  member: memberSchema.nullable().describe('null until you create your profile'),
  openCheckIn: checkInSchema.nullable().describe('Where you are checked in now'),
  upcoming: z
    .array(gatheringSchema)
    .describe(
      `Up to ${MY_UPCOMING_LIMIT} gatherings not yet over that you are going to or interested in`,
    ),
});

export const spacesMeMeta = {
  openapi: {
    method: 'GET',
    path: '/spaces/me',
    tags: ['spaces'],
    summary: 'You in the building: your profile, where you are, what you are going to',
  },
} satisfies PulseMeta;
