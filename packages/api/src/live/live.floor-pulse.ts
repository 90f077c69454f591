import { type TrackedEnvelope, tracked } from '@trpc/server';
import type { WorkspaceContext } from '../auth/caller.js';
import { PULSE_HISTORY_WEEKS, TREND_WINDOW_HOURS } from '../spaces/floor-pulse.contract.js';
import { computeFloorPulse } from '../spaces/floor-pulse.service.js';
import type { GapMessage } from './live.contract.js';
import { followFeed } from './live.feed.js';
import { liveHub } from './live.service.js';
import type {
  FloorPulseFeedInput,
  FloorPulseFeedMessage,
  FloorPulseMessage,
} from './live.tower.contract.js';
import { stateTickersOf } from './live.tower.js';

/**
 * One floor's pulse: at once, then whenever it changes (checked every `overviewIntervalMs`,
 * 2 s by default), plus broadcasts. Pulses carry the id of the last broadcast, so a resuming
 * client gets the broadcasts it missed and the current pulse.
 */
export async function followFloorPulse(
  ctx: WorkspaceContext,
  input: FloorPulseFeedInput,
  signal: AbortSignal | undefined,
): Promise<AsyncGenerator<TrackedEnvelope<FloorPulseFeedMessage | GapMessage>, void>> {
  const hub = liveHub(ctx);
  const workspaceId = ctx.scope.workspaceId;
  const pulseOf = async (): Promise<FloorPulseMessage> => ({
    kind: 'floor_pulse',
    ...(await computeFloorPulse(
      ctx,
      {
        floorId: input.floorId,
        weeks: PULSE_HISTORY_WEEKS.default,
        trendHours: TREND_WINDOW_HOURS.default,
      },
      new Date(),
    )),
  });
  // An unknown floor is refused before the subscription starts (404 over SSE).
  await pulseOf();
  return changedPulses(
    followFeed<FloorPulseFeedMessage>({
      ctx,
      hub,
      workspaceId,
      feed: 'tower',
      lastEventId: input.lastEventId,
      signal,
      select: (message) => (message.kind === 'broadcast' ? message : null),
      ticks: (push) =>
        stateTickersOf<FloorPulseMessage>(hub).watch(
          `floor:${workspaceId}:${input.floorId}`,
          pulseOf,
          push,
        ),
    }),
  );
}

async function* changedPulses(
  feed: AsyncGenerator<TrackedEnvelope<FloorPulseFeedMessage | GapMessage>, void>,
): AsyncGenerator<TrackedEnvelope<FloorPulseFeedMessage | GapMessage>, void> {
  let lastSent = '';
  for await (const [id, value] of feed) {
    if (value.kind === 'floor_pulse') {
      // `at` moves on every computation; only a change of the figures is news.
      const { at: _, ...figures } = value;
      const fingerprint = JSON.stringify(figures);
      if (fingerprint === lastSent) continue;
      lastSent = fingerprint;
    }
    yield tracked(id, value);
  }
}
