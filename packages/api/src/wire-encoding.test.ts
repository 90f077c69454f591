import { transformTRPCResponse } from '@trpc/server/unstable-core-do-not-import';
import { describe, expect, it } from 'vitest';
import { appRouter } from './root.js';
import {
  encodeSubscriptionData,
  markSharedFeedValue,
  subscriptionStartedBy,
  wireWebSocketEncoder,
} from './wire-encoding.js';

/** What tRPC's WebSocket adapter writes for `yield tracked(trackedId, data)`. */
function adapterFrame(
  id: string | number,
  jsonrpc: '2.0' | undefined,
  trackedId: string,
  data: unknown,
) {
  const result = { type: 'data' as const, data: { id: trackedId, data }, id: trackedId };
  return wireWebSocketEncoder.encode(
    transformTRPCResponse(appRouter._def._config, { id, jsonrpc, result }),
  );
}

describe('frames written directly by the fan-out', () => {
  const message = { kind: 'events', events: [{ id: 'e1', at: new Date(0).toISOString() }] };

  it('are byte for byte the frames the adapter writes', () => {
    const shared = markSharedFeedValue({ ...message });
    for (const [id, jsonrpc] of [
      [7, '2.0'],
      ['abc', undefined],
    ] as const) {
      for (const data of [shared, { ...message }]) {
        expect(encodeSubscriptionData({ id, jsonrpc }, '1700000000000-3', data)).toBe(
          adapterFrame(id, jsonrpc, '1700000000000-3', data),
        );
      }
    }
    for (const trackedId of ['1-0', '2-0', '1-0']) {
      expect(encodeSubscriptionData({ id: 1, jsonrpc: '2.0' }, trackedId, shared)).toBe(
        adapterFrame(1, '2.0', trackedId, shared),
      );
    }
    expect(JSON.parse(encodeSubscriptionData({ id: 7, jsonrpc: '2.0' }, '1-0', shared))).toEqual({
      id: 7,
      jsonrpc: '2.0',
      result: { type: 'data', data: { json: { id: '1-0', data: message } }, id: '1-0' },
    });
  });

  it("name a subscription by its 'started' frame, once, and only the last one encoded", () => {
    const first = wireWebSocketEncoder.encode({
      id: 1,
      jsonrpc: '2.0',
      result: { type: 'started' },
    });
    const second = wireWebSocketEncoder.encode({ id: 2, result: { type: 'started' } });
    expect(subscriptionStartedBy(first)).toBeUndefined();
    expect(subscriptionStartedBy(second)).toEqual({ id: 2, jsonrpc: undefined });
    expect(subscriptionStartedBy(second)).toBeUndefined();
    const data = wireWebSocketEncoder.encode({ id: 3, result: { type: 'data', data: 1 } });
    expect(subscriptionStartedBy(data)).toBeUndefined();
  });
});
