import { describe, expect, it } from 'vitest';
import { checkPropertySchema, type PropertySchema } from './property-schema.js';
import { validateProperties } from './property-validation.js';
import { tally } from './schema-compliance.js';

const order: PropertySchema = {
  type: 'object',
  required: ['orderId', 'total'],
  additionalProperties: false,
  properties: {
    orderId: { type: 'string', maxLength: 6 },
    total: { type: 'number', minimum: 0, maximum: 1000 },
    channel: { enum: ['web', 'app'] },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sku'],
        properties: { sku: { type: 'string' }, qty: { type: 'integer' } },
      },
    },
  },
};

describe('property schemas', () => {
  it('accepts the documented subset', () => {
    expect(checkPropertySchema(order)).toEqual([]);
    expect(checkPropertySchema({})).toEqual([]);
  });

  it('names the path of every problem', () => {
    expect(
      checkPropertySchema({
        type: 'object',
        properties: {
          price: { type: 'money', minimum: 5, maximum: 1 },
          sku: { type: 'string', pattern: '^a' },
          tags: { type: 'array', items: { maxLength: -1 } },
        },
        required: ['a', 'a'],
        additionalProperties: 'no',
      }),
    ).toEqual([
      { path: 'schema.additionalProperties', message: 'must be true or false' },
      { path: 'schema.required', message: 'must be a list of distinct property names' },
      {
        path: 'schema.properties.price.type',
        message: 'must be one of string, number, integer, boolean, object, array',
      },
      { path: 'schema.properties.price.minimum', message: 'must not be greater than maximum' },
      { path: 'schema.properties.sku.pattern', message: 'is not a supported keyword' },
      {
        path: 'schema.properties.tags.items.maxLength',
        message: 'must be a non-negative integer',
      },
    ]);
    expect(checkPropertySchema({ type: 'string' })).toEqual([
      {
        path: 'schema.type',
        message: 'must be object: the schema describes the properties object',
      },
    ]);
    expect(checkPropertySchema({ properties: { a: 'string' } })).toEqual([
      { path: 'schema.properties.a', message: 'must be an object' },
    ]);
    expect(checkPropertySchema({ properties: { e: { enum: [] } } })[0]?.path).toBe(
      'schema.properties.e.enum',
    );
  });

  it('refuses schemas nested too deep', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10; i++) deep = { type: 'object', properties: { x: deep } };
    expect(checkPropertySchema(deep).map((issue) => issue.message)).toContain(
      'nests deeper than 8 levels',
    );
  });

  it('reports every violation with its path and reason', () => {
    expect(validateProperties(order, { orderId: 'o-1', total: 10 })).toEqual([]);
    expect(
      validateProperties(order, {
        orderId: 'o-1234567',
        total: -1,
        channel: 'fax',
        coupon: 'x',
        items: [{ sku: 'a', qty: 1.5 }, { qty: 2 }, 'nope'],
      }),
    ).toEqual([
      { path: 'orderId', reason: 'maxLength' },
      { path: 'total', reason: 'minimum' },
      { path: 'channel', reason: 'enum' },
      { path: 'coupon', reason: 'additionalProperties' },
      { path: 'items.*.qty', reason: 'type' },
      { path: 'items.*.sku', reason: 'required' },
      { path: 'items.*', reason: 'type' },
    ]);
    expect(validateProperties(order, { total: 1001 })).toEqual([
      { path: 'orderId', reason: 'required' },
      { path: 'total', reason: 'maximum' },
    ]);
    // An integer is a number, but 2.5 is not an integer; a type mismatch stops the checks below it.
    expect(
      validateProperties({ properties: { n: { type: 'integer', minimum: 3 } } }, { n: 2.5 }),
    ).toEqual([{ path: 'n', reason: 'type' }]);
  });

  it('tallies a sample: each violation once per event, most frequent first', () => {
    const sample = [
      { orderId: 'a', total: 1 },
      { orderId: 'b', total: 1, items: [{}, {}] }, // items.*.sku required, twice in one event
      { total: 1, items: [{}] },
      { orderId: 7, total: 1 },
    ];
    expect(tally(order, sample)).toEqual({
      checked: 4,
      compliant: 1,
      complianceRate: 0.25,
      topViolations: [
        { path: 'items.*.sku', reason: 'required', count: 2 },
        { path: 'orderId', reason: 'required', count: 1 },
        { path: 'orderId', reason: 'type', count: 1 },
      ],
    });
  });
});
