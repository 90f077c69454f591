import { describe, expect, it } from 'vitest';
import { eventInput } from './events.contract.js';
import { acceptEvent, arrival, isPlainEventInput } from './events.validate.js';

const full = {
  id: 'e-1',
  type: 'purchase',
  timestamp: '2026-03-01T10:00:00.000Z',
  userId: 'u-1',
  anonymousId: 'a-1',
  sessionId: 's-1',
  properties: { path: '/checkout', nested: { ok: true } },
  productId: 'sku-1',
  price: 19.99,
  quantity: 2,
  currency: 'EUR',
};

describe('isPlainEventInput: the fast path never accepts what the schema refuses', () => {
  const accepted: Array<[string, unknown]> = [
    ['every field', full],
    ['only id and type', { id: 'e', type: 't' }],
    ['an offset timestamp', { id: 'e', type: 't', timestamp: '2024-02-29T23:59:59+02:00' }],
    ['zero price and quantity', { id: 'e', type: 't', price: 0, quantity: 0 }],
  ];
  const refused: Array<[string, unknown]> = [
    ['an unknown key', { id: 'e', type: 't', extra: 1 }],
    ['a key set to undefined', { id: 'e', type: 't', userId: undefined }],
    ['null for an optional field', { id: 'e', type: 't', userId: null }],
    ['an empty id', { id: '', type: 't' }],
    ['an id of 129 characters', { id: 'x'.repeat(129), type: 't' }],
    ['a type of 101 characters', { id: 'e', type: 'x'.repeat(101) }],
    ['no type', { id: 'e' }],
    ['a day that does not exist', { id: 'e', type: 't', timestamp: '2023-02-29T00:00:00Z' }],
    ['a timestamp without zone', { id: 'e', type: 't', timestamp: '2024-01-01T00:00:00' }],
    ['a negative price', { id: 'e', type: 't', price: -1 }],
    ['a price as a string', { id: 'e', type: 't', price: '3' }],
    ['a fractional quantity', { id: 'e', type: 't', quantity: 1.5 }],
    ['a lowercase currency', { id: 'e', type: 't', currency: 'eur' }],
    ['properties as an array', { id: 'e', type: 't', properties: [1] }],
    ['properties as a Date', { id: 'e', type: 't', properties: new Date() }],
    ['an array', [full]],
    ['null', null],
  ];

  it.each(accepted)('takes %s, as the schema does', (_, raw) => {
    expect(isPlainEventInput(raw)).toBe(true);
    expect(eventInput.safeParse(raw).success).toBe(true);
  });

  it.each(refused)('leaves %s to the schema', (_, raw) => {
    expect(isPlainEventInput(raw)).toBe(false);
  });
});

describe('acceptEvent', () => {
  const arrived = arrival(new Date('2026-03-01T12:00:00.000Z'));

  it('normalises the timestamp to UTC once, for storage and for the live feed', () => {
    const outcome = acceptEvent(
      { id: 'e', type: 't', timestamp: '2026-03-01T12:30:00+02:00' },
      0,
      arrived,
    );
    if (Array.isArray(outcome)) throw new Error('rejected');
    // 12:30 at +02:00 is 10:30 UTC.
    expect(outcome.dto.timestamp).toBe('2026-03-01T10:30:00.000Z');
    expect(outcome.event.timestampIso).toBe('2026-03-01T10:30:00.000Z');
    expect(outcome.dto.receivedAt).toBe('2026-03-01T12:00:00.000Z');
  });

  it('defaults the timestamp to arrival and properties to {}', () => {
    const outcome = acceptEvent({ id: 'e', type: 't' }, 0, arrived);
    if (Array.isArray(outcome)) throw new Error('rejected');
    expect(outcome.event.timestamp).toBe(arrived.at);
    expect(outcome.event.propertiesJson).toBe('{}');
    expect(outcome.dto).toMatchObject({ timestamp: arrived.iso, userId: null, price: null });
  });

  it('reports every problem of an item by its index, from the schema', () => {
    const outcome = acceptEvent({ id: 'e', type: 't', price: -5, extra: 1 }, 7, arrived);
    expect(outcome).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 7, path: 'price' }),
        { index: 7, path: 'extra', message: 'is not a known field' },
      ]),
    );
  });

  it('refuses a timestamp more than a day ahead of now and oversized properties', () => {
    const ahead = new Date(Date.now() + 25 * 3_600_000).toISOString();
    expect(acceptEvent({ id: 'e', type: 't', timestamp: ahead }, 0, arrived)).toEqual([
      { index: 0, path: 'timestamp', message: 'is more than 24 hours in the future' },
    ]);
    // 16 KiB is the limit: {"big":"…"} with 16,384 characters inside is 16,394 bytes.
    const big = { big: 'x'.repeat(16 * 1024) };
    expect(acceptEvent({ id: 'e', type: 't', properties: big }, 1, arrived)).toEqual([
      { index: 1, path: 'properties', message: 'must be at most 16 KiB as JSON' },
    ]);
  });
});
