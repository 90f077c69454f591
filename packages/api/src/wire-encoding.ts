import superjson from 'superjson';

/**
 * Feed messages are shared by every subscriber of a feed (parsed once per process) and are
 * plain JSON by contract. Serialising the same message again for each of a thousand sockets
 * dominated fan-out, so a message marked here is turned into JSON once and that text is
 * spliced into each subscriber's frame. The wire format is unchanged: superjson's `{json}`
 * without `meta`, which every client already reads.
 */
const sharedJson = new WeakMap<object, string>();
const marked = new WeakSet<object>();

/** Declares `value` plain JSON that will not change; call before yielding it to many. */
export function markSharedFeedValue<T>(value: T): T {
  if (typeof value === 'object' && value !== null) marked.add(value);
  return value;
}

function jsonOf(value: object): string {
  let json = sharedJson.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    sharedJson.set(value, json);
  }
  return json;
}

/** A tracked subscription item as tRPC hands it to the transformer: `{ id, data }`. */
function sharedItemOf(value: unknown): { id: unknown; data: object } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const data = (value as { data?: unknown }).data;
  return typeof data === 'object' && data !== null && marked.has(data)
    ? (value as { id: unknown; data: object })
    : undefined;
}

/**
 * superjson, minus the walk over marked feed messages (which carry no Dates or Maps), and
 * without its defensive deep copy on the way in: what arrives was just parsed from the wire
 * and belongs to nobody else (copying a 1,000-event batch cost more than validating it).
 */
export const wireTransformer = {
  serialize: (value: unknown) =>
    sharedItemOf(value) ? { json: value } : superjson.serialize(value),
  deserialize: (value: unknown) =>
    superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0], { inPlace: true }),
} as const;

const SLOT = '"\\u0000pulse-shared-feed-value\\u0000"';
const SLOT_VALUE = '\u0000pulse-shared-feed-value\u0000';

/**
 * tRPC's WebSocket encoder with the same output as its JSON default, except that a marked
 * feed message is stringified once for all subscribers instead of once per frame.
 */
export const wireWebSocketEncoder = {
  encode(message: unknown): string {
    if ((message as { result?: { type?: unknown } })?.result?.type === 'started') {
      return noteStarted(message as { id: SubscriptionAddress['id']; jsonrpc?: '2.0' });
    }
    const item = sharedItemOf(
      (message as { result?: { data?: { json?: unknown } } })?.result?.data?.json,
    );
    if (!item) return JSON.stringify(message);
    const envelope = message as { result: { data: { json: { id: unknown; data: unknown } } } };
    const frame = JSON.stringify({
      ...envelope,
      result: {
        ...envelope.result,
        data: { ...envelope.result.data, json: { ...item, data: SLOT_VALUE } },
      },
    });
    return frame.replace(SLOT, () => jsonOf(item.data));
  },
  decode(data: string | ArrayBuffer | Uint8Array): unknown {
    if (typeof data !== 'string') throw new Error('Pulse speaks JSON in text frames');
    return JSON.parse(data);
  },
};

/** Where a WebSocket subscription's frames are addressed: its JSON-RPC request id. */
export interface SubscriptionAddress {
  id: string | number;
  jsonrpc: '2.0' | undefined;
}

let lastStarted: { frame: string; address: SubscriptionAddress } | undefined;

function noteStarted(message: { id: SubscriptionAddress['id']; jsonrpc?: '2.0' }): string {
  const frame = JSON.stringify(message);
  lastStarted = { frame, address: { id: message.id, jsonrpc: message.jsonrpc } };
  return frame;
}

/**
 * The subscription whose `started` frame `frame` is, when it is the one encoded last; each
 * such frame is claimed once. tRPC's WebSocket adapter sends `started` and then, in the same
 * synchronous step, asks the subscription's generator for its first item: a transport that
 * claims the address here while sending can hand it to that generator (see live.feed.ts).
 */
export function subscriptionStartedBy(frame: unknown): SubscriptionAddress | undefined {
  const started = lastStarted;
  if (started === undefined || started.frame !== frame) return undefined;
  lastStarted = undefined;
  return started.address;
}

/**
 * The frame tRPC's adapter writes when a subscription yields `tracked(trackedId, data)`:
 * the same encoder, the same envelope (`{id, jsonrpc, result: {type, data, id}}`, the data
 * through the transformer), so a client cannot tell a frame written directly from one that
 * went through the adapter's per-item loop.
 */
export function encodeSubscriptionData(
  address: SubscriptionAddress,
  trackedId: string,
  data: unknown,
): string {
  if (typeof data === 'object' && data !== null && marked.has(data)) {
    // A shared message goes to many subscriptions: its part of the frame is made once.
    let shared = sharedFrameTails.get(data);
    if (shared?.trackedId !== trackedId) {
      const id = JSON.stringify(trackedId);
      shared = { trackedId, tail: `{"json":{"id":${id},"data":${jsonOf(data)}}},"id":${id}}}` };
      sharedFrameTails.set(data, shared);
    }
    return framePrefixOf(address) + shared.tail;
  }
  return wireWebSocketEncoder.encode({
    id: address.id,
    jsonrpc: address.jsonrpc,
    result: {
      type: 'data',
      data: wireTransformer.serialize({ id: trackedId, data }),
      id: trackedId,
    },
  });
}

const sharedFrameTails = new WeakMap<object, { trackedId: string; tail: string }>();
const framePrefixes = new WeakMap<SubscriptionAddress, string>();

/** `{"id":…,"jsonrpc":"2.0","result":{"type":"data","data":` for one subscription. */
function framePrefixOf(address: SubscriptionAddress): string {
  let prefix = framePrefixes.get(address);
  if (prefix === undefined) {
    const probe = JSON.stringify({
      id: address.id,
      jsonrpc: address.jsonrpc,
      result: { type: 'data', data: 0 },
    });
    prefix = probe.slice(0, -'0}}'.length);
    framePrefixes.set(address, prefix);
  }
  return prefix;
}
