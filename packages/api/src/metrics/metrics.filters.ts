import { PulseError } from '../errors.js';

/**
 * `key=value` query filters as one tag object (matched by jsonb containment). A key given
 * twice could never match; it is refused rather than silently answering nothing.
 */
export function parseTagFilters(
  pairs: readonly string[] | undefined,
  field: string,
): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const tags = new Map<string, string>();
  pairs.forEach((pair, index) => {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at);
    if (tags.has(key)) {
      throw new PulseError('VALIDATION_FAILED', `${field}: the tag ${key} is given twice`, {
        field: `${field}.${index}`,
      });
    }
    tags.set(key, pair.slice(at + 1));
  });
  // fromEntries defines own properties, so even a key like __proto__ stays a plain tag.
  return Object.fromEntries(tags);
}
