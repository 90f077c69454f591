import type { WorkspaceScope } from '@pulse/db';
import { type RawBuilder, sql } from 'kysely';
import { epochBucket } from '../../metrics/metrics.queries.js';
import { readWithoutJit } from '../commerce/commerce.queries.js';
import {
  LAG_SECONDS,
  lagBand,
  QUALITY_FLAG_NAMES,
  QUALITY_FLAGS,
  type QualityFlag,
} from './quality-flags.js';

const HOUR_MS = 3_600_000;
/** The lag percentiles data quality reports, as `percentile_cont` takes them. */
export const LAG_PERCENTILES = [0.5, 0.95] as const;

export type TypeQuality = { type: string; events: number } & Record<QualityFlag, number>;

/** A run of equal lags in the range's sorted lags: ranks [upto − events, upto), 0-based. */
export interface LagRun {
  lag: number;
  events: number;
  upto: number;
}

export interface KeptQuality {
  /** Every type with events in the range, most events first, then by type as SQL sorts it. */
  types: TypeQuality[];
  /** The runs of equal lags holding the ranks the percentiles interpolate between. */
  lagRuns: LagRun[];
  /** The largest lag; null without events. */
  lagMax: number | null;
}

/**
 * The per-type quality counts and the lag ranks of [from, to): whole hours without a dirty
 * mark from the kept rows (`quality_rollups`, `quality_lag_bands`, then the exact lags of the
 * few bands holding the percentile ranks from `quality_lag_rollups`); the partial hours at the
 * edges and every hour still marked dirty (late events not rolled up yet) from raw events in
 * the same statement, so the answer is exact at one snapshot.
 */
export async function keptQuality(
  scope: WorkspaceScope,
  range: { from: Date; to: Date },
): Promise<KeptQuality> {
  const { from, to } = range;
  let hourFrom = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  let hourTo = new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS);
  // No whole hour inside: everything is an edge, read raw.
  if (hourFrom > hourTo) [hourFrom, hourTo] = [to, to];
  const workspaceId = sql`${scope.workspaceId}::uuid`;
  const flagColumns = sql.join(QUALITY_FLAG_NAMES.map((name) => sql.ref(name)));
  const rawRows = (start: RawBuilder<unknown> | Date, end: RawBuilder<unknown> | Date) => sql`
    select type, ${LAG_SECONDS} as lag,
           ${sql.join(QUALITY_FLAG_NAMES.map((name) => sql`${QUALITY_FLAGS[name]} as ${sql.ref(name)}`))}
    from events
    where workspace_id = ${workspaceId} and timestamp >= ${start} and timestamp < ${end}`;
  const kept = (table: string) => sql`
    ${sql.table(table)} r
    where r.workspace_id = ${workspaceId} and r.bucket >= ${hourFrom} and r.bucket < ${hourTo}
      and r.bucket not in (select hour from stale)`;
  const nulls = sql.join(QUALITY_FLAG_NAMES.map(() => sql`null`));
  // The 0-based ranks percentile_cont reads for each share, from the `total` events.
  const ranks = sql.join(
    LAG_PERCENTILES.flatMap((share) => [
      sql`(floor(${share}::float8 * (total - 1)::float8)::int8)`,
      sql`(ceil(${share}::float8 * (total - 1)::float8)::int8)`,
    ]),
  );
  // Whether a run of `events` lags ending before rank `upto` holds one of those ranks.
  const holdsRank = sql`exists (select 1 from unnest(array[${ranks}]) as r(rank)
                                where r.rank >= upto - events and r.rank < upto)`;
  // JIT would compile this small aggregate for longer than it runs: the estimate of the stale
  // hours' raw reads can cross jit_above_cost although only a few hours are ever stale.
  const { rows } = await readWithoutJit(
    scope,
    sql<
      {
        kind: 'type' | 'lag' | 'max';
        type: string | null;
        events: string;
        lag: number | null;
        upto: string | null;
      } & Record<QualityFlag, string | null>
    >`
    with stale as (
      select distinct ${epochBucket(sql`d.bucket`, 3_600)} as hour
      from rollup_dirty d
      where d.workspace_id = ${workspaceId} and d.source = 'events'
        and d.bucket >= ${hourFrom} and d.bucket < ${hourTo}
    ),
    unrolled as (
      select e.* from stale s
      -- One index probe per stale hour; OFFSET 0 keeps the planner from flattening it into a
      -- join over the whole range.
      cross join lateral (${rawRows(sql`s.hour`, sql`s.hour + interval '1 hour'`)} offset 0) e
      union all ${rawRows(from, hourFrom)}
      union all ${rawRows(hourTo, to)}
    ),
    types as (
      select type, sum(events) as events,
             ${sql.join(QUALITY_FLAG_NAMES.map((name) => sql`sum(${sql.ref(name)}) as ${sql.ref(name)}`))}
      from (
        select type, events, ${flagColumns} from ${kept('quality_rollups')}
        union all
        select type, count(*),
               ${sql.join(QUALITY_FLAG_NAMES.map((name) => sql`count(*) filter (where ${sql.ref(name)})`))}
        from unrolled group by type
      ) parts
      group by type
    ),
    bands as (
      select band, sum(events) as events, min(min_lag) as lo, max(max_lag) as hi
      from (
        select band, events, min_lag, max_lag from ${kept('quality_lag_bands')}
        union all
        select ${lagBand(sql`lag`)}, count(*), min(lag), max(lag) from unrolled group by 1
      ) parts
      group by band
    ),
    band_runs as (
      select band, events, lo, hi, sum(events) over (order by band) as upto,
             sum(events) over () as total
      from bands
    ),
    -- The bands holding a percentile's ranks, with the rank their first lag has.
    targets as (
      select band, lo, hi, upto - events as start, total from band_runs
      where ${holdsRank}
    ),
    kept_hours as (
      select hour from generate_series(${hourFrom}::timestamptz,
                                       ${hourTo}::timestamptz - interval '1 hour',
                                       interval '1 hour') as hour
      where hour not in (select hour from stale)
    ),
    -- Only the target bands' exact lags are read: one index range per kept hour and band.
    runs as (
      select e.lag, e.events,
             t.start + sum(e.events) over (partition by t.band order by e.lag) as upto, t.total
      from targets t
      cross join lateral (
        select lag, sum(events) as events
        from (
          select q.lag, q.events from kept_hours k
          cross join lateral (
            select lag, events from quality_lag_rollups q
            where q.workspace_id = ${workspaceId} and q.bucket = k.hour
              and q.lag >= t.lo and q.lag <= t.hi
            offset 0
          ) q
          union all
          select lag, 1 from unrolled u where u.lag >= t.lo and u.lag <= t.hi
        ) parts
        group by lag
      ) e
    )
    select 'type' as kind, type, events, ${flagColumns}, null::float8 as lag, null::numeric as upto
    from types
    union all
    select 'lag', null, events, ${nulls}, lag, upto from runs where ${holdsRank}
    union all
    select 'max', null, null, ${nulls}, max(hi), null from bands having count(*) > 0
    order by kind desc, events desc, type`,
  );
  const types: TypeQuality[] = [];
  const lagRuns: LagRun[] = [];
  let lagMax: number | null = null;
  for (const row of rows) {
    if (row.kind === 'max') {
      lagMax = Number(row.lag);
      continue;
    }
    if (row.kind === 'lag') {
      lagRuns.push({ lag: Number(row.lag), events: Number(row.events), upto: Number(row.upto) });
      continue;
    }
    const counts = { type: row.type ?? '', events: Number(row.events) } as TypeQuality;
    for (const name of QUALITY_FLAG_NAMES) counts[name] = Number(row[name]);
    types.push(counts);
  }
  return { types, lagRuns, lagMax };
}
