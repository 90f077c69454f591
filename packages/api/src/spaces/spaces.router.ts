import { z } from 'zod';
import { roleProcedure, workspaceProcedure } from '../procedures.js';
import { router } from '../trpc.js';
import { bookingsRouter } from './bookings.router.js';
import {
  buildingLiveInput,
  buildingLiveMeta,
  buildingLiveOutput,
} from './building-live.contract.js';
import { buildingLive } from './building-live.service.js';
import { buildingsRouter, floorsRouter } from './buildings.router.js';
import { checkInsRouter, rsvpsRouter } from './check-ins.router.js';
import { floorPulseInput, floorPulseMeta, floorPulseOutput } from './floor-pulse.contract.js';
import { floorPulse } from './floor-pulse.service.js';
import { gatheringsRouter } from './gatherings.router.js';
import { spacesMeMeta, spacesMeOutput } from './me.contract.js';
import { spacesMe } from './me.service.js';
import { roomsRouter } from './rooms.router.js';

const intelligenceAccess = workspaceProcedure({ role: 'viewer', keyScope: 'read' });

export const spacesRouter = router({
  // The building's parts and people's comings and goings (CRUD).
  buildings: buildingsRouter,
  floors: floorsRouter,
  rooms: roomsRouter,
  gatherings: gatheringsRouter,
  rsvps: rsvpsRouter,
  checkIns: checkInsRouter,
  bookings: bookingsRouter,
  me: roleProcedure('viewer')
    .meta(spacesMeMeta)
    .input(z.void())
    .output(spacesMeOutput)
    .query(({ ctx }) => spacesMe(ctx)),
  // What the building is like now (intelligence).
  floorPulse: intelligenceAccess
    .meta(floorPulseMeta)
    .input(floorPulseInput)
    .output(floorPulseOutput)
    .query(({ ctx, input }) => floorPulse(ctx, input)),
  live: intelligenceAccess
    .meta(buildingLiveMeta)
    .input(buildingLiveInput)
    .output(buildingLiveOutput)
    .query(({ ctx, input }) => buildingLive(ctx, input)),
});
