import superjson from 'superjson';

/**
 * superjson on the wire, with a shortcut: a value that is already plain JSON (the usual case,
 * e.g. a batch of 1,000 events) is sent as `{ json }` without superjson's copying walk, which
 * cost more than the request itself. Dates, Maps, BigInts, undefined in arrays and non-finite
 * numbers still go through superjson, so the server reads both forms identically.
 */
export const wireTransformer = {
  serialize: (value: unknown) =>
    isPlainJson(value) ? { json: value } : superjson.serialize(value),
  deserialize: (value: unknown) =>
    superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]),
};

function isPlainJson(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    switch (typeof value) {
      case 'string':
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(value) || Object.is(value, -0)) return false;
        continue;
      case 'object': {
        if (value === null) continue;
        if (Array.isArray(value)) {
          for (const item of value) {
            if (item === undefined) return false;
            pending.push(item);
          }
          continue;
        }
        const prototype = Object.getPrototypeOf(value);
        if (prototype !== Object.prototype && prototype !== null) return false;
        for (const key in value) {
          const item = (value as Record<string, unknown>)[key];
          // An undefined property is dropped by JSON, which is what an absent one means.
          if (item !== undefined) pending.push(item);
        }
        continue;
      }
      default:
        return false;
    }
  }
  return true;
}
