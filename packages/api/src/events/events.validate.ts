import { timestampSchema } from '../fields.js';
import {
  type EventDto,
  type EventInput,
  eventInput,
  type IngestBatchResult,
} from './events.contract.js';
import type { NewEvent } from './events.queries.js';

// Clocks drift and devices lie; an event stamped more than a day ahead is a bug upstream.
const MAX_FUTURE_MS = 24 * 3_600_000;
const MAX_PROPERTIES_BYTES = 16 * 1024;

export type Rejection = IngestBatchResult['rejected'][number];

/** An event ready to store, and the same event as the live feed will carry it once stored. */
export interface AcceptedEvent {
  event: NewEvent;
  dto: EventDto;
}

/**
 * One batch item: accepted, or the reasons it is not. Zod walks every field of every item
 * and copies it, which cost more than the insert at 1,000 items per request; a well-formed
 * item (the usual case) is recognised by `isPlainEventInput` instead, whose every "yes" the
 * schema also says, and anything else goes through the schema for its exact issues.
 */
export function acceptEvent(
  raw: unknown,
  index: number,
  arrived: Arrival,
): AcceptedEvent | Rejection[] {
  let input: EventInput;
  if (isPlainEventInput(raw)) {
    input = raw;
  } else {
    const parsed = eventInput.safeParse(raw);
    if (!parsed.success) return parsed.error.issues.map((issue) => rejectionOf(index, issue));
    input = parsed.data;
  }
  const accepted = normalize(input, arrived);
  const problem = problemWith(accepted.event);
  return problem ? [{ index, ...problem }] : accepted;
}

/** When the batch arrived, once per batch (the default timestamp of every event in it). */
export interface Arrival {
  at: Date;
  iso: string;
}

export function arrival(at = new Date()): Arrival {
  return { at, iso: at.toISOString() };
}

// What Date#toISOString answers: such a string can be used as it came.
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function normalize(input: EventInput, arrived: Arrival): AcceptedEvent {
  let timestamp = arrived.at;
  let timestampIso = arrived.iso;
  if (input.timestamp) {
    timestamp = new Date(input.timestamp);
    if (CANONICAL_ISO.test(input.timestamp)) timestampIso = input.timestamp;
    else timestampIso = Number.isNaN(timestamp.getTime()) ? '' : timestamp.toISOString();
  }
  const properties = input.properties ?? {};
  const event: NewEvent = {
    id: input.id,
    type: input.type,
    timestamp,
    timestampIso,
    userId: input.userId ?? null,
    anonymousId: input.anonymousId ?? null,
    sessionId: input.sessionId ?? null,
    properties,
    propertiesJson: toJson(properties),
    productId: input.productId ?? null,
    price: input.price ?? null,
    quantity: input.quantity ?? null,
    currency: input.currency ?? null,
  };
  const dto: EventDto = {
    id: event.id,
    type: event.type,
    timestamp: timestampIso,
    receivedAt: arrived.iso,
    userId: event.userId,
    anonymousId: event.anonymousId,
    sessionId: event.sessionId,
    properties: properties as EventDto['properties'],
    productId: event.productId,
    price: event.price,
    quantity: event.quantity,
    currency: event.currency,
  };
  return { event, dto };
}

/** '' when the value cannot be JSON (a BigInt or a cycle smuggled through superjson). */
function toJson(properties: Record<string, unknown>): string {
  try {
    return JSON.stringify(properties);
  } catch {
    return '';
  }
}

export function problemWith(event: NewEvent): { path: string; message: string } | undefined {
  const time = event.timestamp.getTime();
  if (Number.isNaN(time)) return { path: 'timestamp', message: 'is not a valid date' };
  if (time - Date.now() > MAX_FUTURE_MS) {
    return { path: 'timestamp', message: 'is more than 24 hours in the future' };
  }
  if (event.propertiesJson === '') return { path: 'properties', message: 'must be plain JSON' };
  if (event.propertiesJson.length > MAX_PROPERTIES_BYTES) {
    return {
      path: 'properties',
      message: `must be at most ${MAX_PROPERTIES_BYTES / 1024} KiB as JSON`,
    };
  }
  return undefined;
}

function rejectionOf(
  index: number,
  issue: { path: PropertyKey[]; message: string; code: string; keys?: string[] },
): Rejection {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return { index, path: issue.keys.join(','), message: 'is not a known field' };
  }
  return { index, path, message: issue.message };
}

const ISO_TIMESTAMP = timestampSchema._zod.pattern;
const CURRENCY = /^[A-Z]{3}$/;

/** A string the schema's `.min(1).max(max)` accepts (UTF-16 length ≥ code points). */
const text = (value: unknown, max: number): boolean =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;

/**
 * Every field as `eventInput` wants it, checked without allocating. Deliberately stricter
 * than the schema where that is simpler (a "no" just means "ask the schema"), never looser.
 */
export function isPlainEventInput(raw: unknown): raw is EventInput {
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype)
    return false;
  const item = raw as Record<string, unknown>;
  let fields = 2;
  if (!text(item.id, 128) || !text(item.type, 100)) return false;
  for (const key of ['userId', 'anonymousId', 'sessionId', 'productId'] as const) {
    const value = item[key];
    if (value === undefined) continue;
    if (!text(value, 128)) return false;
    fields += 1;
  }
  const { timestamp, properties, price, quantity, currency } = item;
  if (timestamp !== undefined) {
    if (typeof timestamp !== 'string' || !ISO_TIMESTAMP?.test(timestamp)) return false;
    fields += 1;
  }
  if (properties !== undefined) {
    if (
      typeof properties !== 'object' ||
      properties === null ||
      Object.getPrototypeOf(properties) !== Object.prototype
    )
      return false;
    fields += 1;
  }
  if (price !== undefined) {
    if (typeof price !== 'number' || !(price >= 0 && price <= 1e12)) return false;
    fields += 1;
  }
  if (quantity !== undefined) {
    if (!Number.isInteger(quantity) || !((quantity as number) >= 0 && (quantity as number) <= 1e6))
      return false;
    fields += 1;
  }
  if (currency !== undefined) {
    if (typeof currency !== 'string' || !CURRENCY.test(currency)) return false;
    fields += 1;
  }
  // Strict: any other key (or a known one set to undefined, which JSON never sends) → schema.
  let keys = 0;
  for (const _ in item) keys += 1;
  return keys === fields;
}
