import { router } from '../trpc.js';
import { deletedOutput, idInput } from './buildings.contract.js';
import { removeBuildingPart } from './buildings.service.js';
import {
  createRoomInput,
  listRoomsInput,
  listRoomsOutput,
  roomSchema,
  roomsMeta,
  updateRoomInput,
} from './rooms.contract.js';
import * as rooms from './rooms.service.js';
import { manageAccess, readAccess } from './spaces.access.js';

export const roomsRouter = router({
  list: readAccess
    .meta(roomsMeta.list)
    .input(listRoomsInput)
    .output(listRoomsOutput)
    .query(({ ctx, input }) => rooms.listWorkspaceRooms(ctx, input)),
  create: manageAccess
    .meta(roomsMeta.create)
    .input(createRoomInput)
    .output(roomSchema)
    .mutation(({ ctx, input }) => rooms.createRoom(ctx, input)),
  get: readAccess
    .meta(roomsMeta.get)
    .input(idInput)
    .output(roomSchema)
    .query(({ ctx, input }) => rooms.getRoom(ctx, input.id)),
  update: manageAccess
    .meta(roomsMeta.update)
    .input(updateRoomInput)
    .output(roomSchema)
    .mutation(({ ctx, input }) => rooms.changeRoom(ctx, input)),
  delete: manageAccess
    .meta(roomsMeta.delete)
    .input(idInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => removeBuildingPart(ctx, 'rooms', input.id)),
});
