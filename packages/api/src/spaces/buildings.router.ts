import { router } from '../trpc.js';
import {
  buildingSchema,
  buildingsMeta,
  createBuildingInput,
  createFloorInput,
  deletedOutput,
  floorSchema,
  floorsMeta,
  idInput,
  listBuildingsInput,
  listBuildingsOutput,
  listFloorsInput,
  listFloorsOutput,
  updateBuildingInput,
  updateFloorInput,
} from './buildings.contract.js';
import * as buildings from './buildings.service.js';
import { manageAccess, readAccess } from './spaces.access.js';

export const buildingsRouter = router({
  list: readAccess
    .meta(buildingsMeta.list)
    .input(listBuildingsInput)
    .output(listBuildingsOutput)
    .query(({ ctx, input }) => buildings.listWorkspaceBuildings(ctx, input)),
  create: manageAccess
    .meta(buildingsMeta.create)
    .input(createBuildingInput)
    .output(buildingSchema)
    .mutation(({ ctx, input }) => buildings.createBuilding(ctx, input)),
  get: readAccess
    .meta(buildingsMeta.get)
    .input(idInput)
    .output(buildingSchema)
    .query(({ ctx, input }) => buildings.getBuilding(ctx, input.id)),
  update: manageAccess
    .meta(buildingsMeta.update)
    .input(updateBuildingInput)
    .output(buildingSchema)
    .mutation(({ ctx, input }) => buildings.changeBuilding(ctx, input)),
  delete: manageAccess
    .meta(buildingsMeta.delete)
    .input(idInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => buildings.removeBuildingPart(ctx, 'buildings', input.id)),
});

export const floorsRouter = router({
  list: readAccess
    .meta(floorsMeta.list)
    .input(listFloorsInput)
    .output(listFloorsOutput)
    .query(({ ctx, input }) => buildings.listWorkspaceFloors(ctx, input)),
  create: manageAccess
    .meta(floorsMeta.create)
    .input(createFloorInput)
    .output(floorSchema)
    .mutation(({ ctx, input }) => buildings.createFloor(ctx, input)),
  get: readAccess
    .meta(floorsMeta.get)
    .input(idInput)
    .output(floorSchema)
    .query(({ ctx, input }) => buildings.getFloor(ctx, input.id)),
  update: manageAccess
    .meta(floorsMeta.update)
    .input(updateFloorInput)
    .output(floorSchema)
    .mutation(({ ctx, input }) => buildings.changeFloor(ctx, input)),
  delete: manageAccess
    .meta(floorsMeta.delete)
    .input(idInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => buildings.removeBuildingPart(ctx, 'floors', input.id)),
});
