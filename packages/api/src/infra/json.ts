/**
 * `JSON.stringify` returns undefined for undefined, functions and symbols; storing or
 * publishing that would silently turn into a miss, so both twins refuse it up front.
 */
export function toJson(value: unknown, what: string): string {
  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new TypeError(`${what} is not JSON-serialisable (got ${typeof value})`);
  }
  return json;
}
