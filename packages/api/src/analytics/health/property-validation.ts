import {
  isRecord,
  type PropertySchema,
  type PropertyType,
  type Violation,
  type ViolationReason,
} from './property-schema.js';

function typeMatches(type: PropertyType, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === type;
  }
}

/** Every violation of `value` against a schema `checkPropertySchema` accepted. */
export function validateProperties(schema: PropertySchema, value: unknown): Violation[] {
  const violations: Violation[] = [];
  const walk = (node: PropertySchema, current: unknown, path: string) => {
    const here = (reason: ViolationReason) => violations.push({ path: path || '(root)', reason });
    if (node.type && !typeMatches(node.type, current)) return here('type');
    if (node.enum && !node.enum.some((option) => option === current)) here('enum');
    if (typeof current === 'number') {
      if (node.minimum !== undefined && current < node.minimum) here('minimum');
      if (node.maximum !== undefined && current > node.maximum) here('maximum');
    }
    if (
      typeof current === 'string' &&
      node.maxLength !== undefined &&
      current.length > node.maxLength
    ) {
      here('maxLength');
    }
    const child = (key: string) => (path ? `${path}.${key}` : key);
    if (isRecord(current)) {
      for (const key of node.required ?? []) {
        if (!Object.hasOwn(current, key)) violations.push({ path: child(key), reason: 'required' });
      }
      for (const [key, item] of Object.entries(current)) {
        const declared =
          node.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
        if (declared) walk(declared, item, child(key));
        else if (node.additionalProperties === false) {
          violations.push({ path: child(key), reason: 'additionalProperties' });
        }
      }
    }
    if (Array.isArray(current) && node.items) {
      for (const item of current) walk(node.items, item, child('*'));
    }
  };
  walk(schema, value, '');
  return violations;
}
