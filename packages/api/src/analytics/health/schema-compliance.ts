import type { WorkspaceScope } from '@pulse/db';
import type { DataQualityOutput } from './data-quality.contract.js';
import { newestProperties } from './data-quality.queries.js';
import type { PropertySchema } from './property-schema.js';
import { validateProperties } from './property-validation.js';

/**
 * Per type, the newest SAMPLE_LIMIT events of the range are checked: enough for a share
 * within ±2.2 points (95 %) whatever the volume, at a bounded cost per report. At most
 * MAX_CHECKED_TYPES schemas are checked per report, the types with most events first.
 */
export const SAMPLE_LIMIT = 2_000;
const MAX_CHECKED_TYPES = 50;
const TOP_VIOLATIONS = 10;

export interface RegisteredSchema {
  type: string;
  version: number;
  schema: PropertySchema;
}

type Compliance = DataQualityOutput['schemaCompliance'];

/** `eventsOf`: the range's events of each registered type (absent: none). */
export async function checkCompliance(
  scope: WorkspaceScope,
  range: { from: Date; to: Date },
  schemas: readonly RegisteredSchema[],
  eventsOf: ReadonlyMap<string, number>,
): Promise<Compliance> {
  if (schemas.length === 0) return { score: null, sampleLimit: SAMPLE_LIMIT, schemas: [] };
  const ordered = [...schemas]
    .sort(
      (a, b) =>
        (eventsOf.get(b.type) ?? 0) - (eventsOf.get(a.type) ?? 0) || (a.type < b.type ? -1 : 1),
    )
    .slice(0, MAX_CHECKED_TYPES);
  const results: Compliance['schemas'] = [];
  for (const registered of ordered) {
    const events = eventsOf.get(registered.type) ?? 0;
    const sample =
      events === 0 ? [] : await newestProperties(scope, registered.type, range, SAMPLE_LIMIT);
    const result = tally(registered.schema, sample);
    results.push({
      type: registered.type,
      version: registered.version,
      events,
      ...result,
      sampled: result.checked < events,
    });
  }
  const checked = results.reduce((sum, r) => sum + r.checked, 0);
  const compliant = results.reduce((sum, r) => sum + r.compliant, 0);
  return {
    score: checked === 0 ? null : compliant / checked,
    sampleLimit: SAMPLE_LIMIT,
    schemas: results.sort((a, b) => (a.type < b.type ? -1 : 1)),
  };
}

/** Compliance of a sample; a violation counts once per event however often it recurs in it. */
export function tally(schema: PropertySchema, sample: readonly unknown[]) {
  const violations = new Map<string, { path: string; reason: string; count: number }>();
  let compliant = 0;
  for (const properties of sample) {
    const found = validateProperties(schema, properties);
    if (found.length === 0) compliant += 1;
    const seen = new Set<string>();
    for (const { path, reason } of found) {
      const key = `${reason}\u0000${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = violations.get(key) ?? { path, reason, count: 0 };
      entry.count += 1;
      violations.set(key, entry);
    }
  }
  const topViolations = [...violations.values()]
    .sort(
      (a, b) =>
        b.count - a.count ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : a.reason < b.reason ? -1 : 1),
    )
    .slice(0, TOP_VIOLATIONS);
  return {
    checked: sample.length,
    compliant,
    complianceRate: sample.length === 0 ? null : compliant / sample.length,
    topViolations,
  };
}
