import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { wireTransformer } from '../src/transformer.js';

describe('wire transformer', () => {
  it('sends plain JSON as {json} without meta, which superjson reads back as is', () => {
    const value = {
      events: [{ id: 'a', price: 1.5, tags: { x: 'y' }, ok: true, none: null }],
      optional: undefined,
    };
    const wire = wireTransformer.serialize(value);
    expect(wire).toEqual({ json: value });
    expect(superjson.deserialize(JSON.parse(JSON.stringify(wire)))).toEqual({
      events: value.events,
    });
  });

  it('falls back to superjson for values JSON cannot carry faithfully', () => {
    const cases: unknown[] = [
      { at: new Date(0) },
      { n: Number.NaN },
      { n: -0 },
      [1, undefined, 3],
      { big: 10n },
      new Map([['a', 1]]),
    ];
    for (const value of cases) {
      const wire = wireTransformer.serialize(value) as { meta?: unknown };
      expect(wire.meta, String(value)).toBeDefined();
      expect(wireTransformer.deserialize(JSON.parse(JSON.stringify(wire)))).toEqual(value);
    }
  });
});
