import { router } from '../trpc.js';
import {
  checkInInput,
  checkInOutput,
  checkInSchema,
  checkInsMeta,
  checkOutInput,
  getCheckInInput,
  listCheckInsInput,
  listCheckInsOutput,
} from './check-ins.contract.js';
import { getCheckIn, listWorkspaceCheckIns } from './check-ins.reads.js';
import { checkIn, checkOut } from './check-ins.service.js';
import {
  listRsvpsInput,
  listRsvpsOutput,
  rsvpsMeta,
  setRsvpInput,
  setRsvpOutput,
} from './rsvps.contract.js';
import { listGatheringRsvps, setRsvp } from './rsvps.service.js';
import { activityAccess, readAccess } from './spaces.access.js';

export const checkInsRouter = router({
  checkIn: activityAccess
    .meta(checkInsMeta.checkIn)
    .input(checkInInput)
    .output(checkInOutput)
    .mutation(({ ctx, input }) => checkIn(ctx, input)),
  checkOut: activityAccess
    .meta(checkInsMeta.checkOut)
    .input(checkOutInput)
    .output(checkInSchema)
    .mutation(({ ctx, input }) => checkOut(ctx, input)),
  list: readAccess
    .meta(checkInsMeta.list)
    .input(listCheckInsInput)
    .output(listCheckInsOutput)
    .query(({ ctx, input }) => listWorkspaceCheckIns(ctx, input)),
  get: readAccess
    .meta(checkInsMeta.get)
    .input(getCheckInInput)
    .output(checkInSchema)
    .query(({ ctx, input }) => getCheckIn(ctx, input.id)),
});

export const rsvpsRouter = router({
  set: activityAccess
    .meta(rsvpsMeta.set)
    .input(setRsvpInput)
    .output(setRsvpOutput)
    .mutation(({ ctx, input }) => setRsvp(ctx, input)),
  list: readAccess
    .meta(rsvpsMeta.list)
    .input(listRsvpsInput)
    .output(listRsvpsOutput)
    .query(({ ctx, input }) => listGatheringRsvps(ctx, input)),
});
