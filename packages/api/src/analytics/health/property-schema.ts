import type { FieldIssue } from '../../errors.js';

/**
 * The JSON-Schema subset event property schemas are written in:
 *
 *   type                  string | number | integer | boolean | object | array
 *   enum                  a non-empty list of strings, numbers, booleans or null
 *   minimum, maximum      numbers and integers (inclusive)
 *   maxLength             strings, in UTF-16 code units like JSON Schema's own implementations
 *   properties, required  objects; `required` lists keys that must be present
 *   additionalProperties  objects; `false` refuses keys not listed in `properties`
 *   items                 arrays; one schema every element must match
 *   description           free text, ignored by validation
 *
 * The root describes an event's `properties` object, so its type is `object` (or absent).
 * Anything else (`$ref`, `oneOf`, `pattern`, …) is refused at registration rather than
 * silently ignored, so a schema never checks less than its author believes.
 */
export const PROPERTY_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export interface PropertySchema {
  type?: PropertyType;
  enum?: (string | number | boolean | null)[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  properties?: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: PropertySchema;
  description?: string;
}

export type ViolationReason =
  | 'required'
  | 'type'
  | 'enum'
  | 'minimum'
  | 'maximum'
  | 'maxLength'
  | 'additionalProperties';

/** `path` is dotted from the properties object; array elements appear as `*`. */
export interface Violation {
  path: string;
  reason: ViolationReason;
}

const KEYWORDS = new Set([
  'type',
  'enum',
  'minimum',
  'maximum',
  'maxLength',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'description',
]);
// Bounds on what one registration may cost every validation afterwards.
const MAX_DEPTH = 8;
const MAX_NODES = 500;
const MAX_ENUM = 200;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Issues name the offending keyword by path under `root` (e.g. `schema.properties.price.type`). */
export function checkPropertySchema(schema: unknown, root = 'schema'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let nodes = 0;
  const visit = (node: unknown, path: string, depth: number) => {
    nodes += 1;
    if (nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1)
        issues.push({ path: root, message: `has more than ${MAX_NODES} schemas` });
      return;
    }
    if (!isRecord(node)) return issues.push({ path, message: 'must be an object' });
    if (depth > MAX_DEPTH)
      return issues.push({ path, message: `nests deeper than ${MAX_DEPTH} levels` });
    const at = (key: string) => `${path}.${key}`;
    const problem = (key: string, message: string) => issues.push({ path: at(key), message });
    for (const key of Object.keys(node)) {
      if (!KEYWORDS.has(key)) problem(key, 'is not a supported keyword');
    }
    const { type } = node;
    if (type !== undefined && !PROPERTY_TYPES.includes(type as PropertyType)) {
      problem('type', `must be one of ${PROPERTY_TYPES.join(', ')}`);
    }
    if (depth === 0 && type !== undefined && type !== 'object') {
      problem('type', 'must be object: the schema describes the properties object');
    }
    if (node.enum !== undefined) {
      const values = node.enum;
      const primitive = (v: unknown) =>
        v === null || ['string', 'number', 'boolean'].includes(typeof v);
      if (
        !Array.isArray(values) ||
        values.length === 0 ||
        values.length > MAX_ENUM ||
        !values.every(primitive)
      ) {
        problem('enum', `must be 1–${MAX_ENUM} strings, numbers, booleans or null`);
      }
    }
    for (const key of ['minimum', 'maximum'] as const) {
      if (
        node[key] !== undefined &&
        (typeof node[key] !== 'number' || !Number.isFinite(node[key]))
      ) {
        problem(key, 'must be a finite number');
      }
    }
    if (
      typeof node.minimum === 'number' &&
      typeof node.maximum === 'number' &&
      node.minimum > node.maximum
    ) {
      problem('minimum', 'must not be greater than maximum');
    }
    const { maxLength } = node;
    if (maxLength !== undefined && !(Number.isInteger(maxLength) && (maxLength as number) >= 0)) {
      problem('maxLength', 'must be a non-negative integer');
    }
    if (node.additionalProperties !== undefined && typeof node.additionalProperties !== 'boolean') {
      problem('additionalProperties', 'must be true or false');
    }
    if (node.description !== undefined && typeof node.description !== 'string') {
      problem('description', 'must be a string');
    }
    const { required } = node;
    if (required !== undefined) {
      const distinctNames =
        Array.isArray(required) &&
        required.every((name) => typeof name === 'string') &&
        new Set(required).size === required.length;
      if (!distinctNames) {
        problem('required', 'must be a list of distinct property names');
      }
    }
    if (node.properties !== undefined) {
      if (!isRecord(node.properties)) problem('properties', 'must be an object of schemas');
      else {
        for (const [name, child] of Object.entries(node.properties)) {
          visit(child, `${at('properties')}.${name}`, depth + 1);
        }
      }
    }
    if (node.items !== undefined) visit(node.items, at('items'), depth + 1);
  };
  visit(schema, root, 0);
  return issues;
}
