import { router } from '../trpc.js';
import {
  bookingIdInput,
  bookingSchema,
  bookingsMeta,
  createBookingInput,
  listBookingsInput,
  listBookingsOutput,
} from './bookings.contract.js';
import * as bookings from './bookings.service.js';
import { activityAccess, readAccess } from './spaces.access.js';

export const bookingsRouter = router({
  create: activityAccess
    .meta(bookingsMeta.create)
    .input(createBookingInput)
    .output(bookingSchema)
    .mutation(({ ctx, input }) => bookings.createBooking(ctx, input)),
  list: readAccess
    .meta(bookingsMeta.list)
    .input(listBookingsInput)
    .output(listBookingsOutput)
    .query(({ ctx, input }) => bookings.listRoomBookings(ctx, input)),
  get: readAccess
    .meta(bookingsMeta.get)
    .input(bookingIdInput)
    .output(bookingSchema)
    .query(({ ctx, input }) => bookings.getBooking(ctx, input.id)),
  cancel: activityAccess
    .meta(bookingsMeta.cancel)
    .input(bookingIdInput)
    .output(bookingSchema)
    .mutation(({ ctx, input }) => bookings.cancelRoomBooking(ctx, input.id)),
});
