import type { WorkspaceScope } from '@pulse/db';
import type { BuildingRef } from '../spaces/presence.queries.js';
import { busyWindow, DAY, HOUR, nextLocalTime, periodWindow } from './assistant.calendar.js';
import type { AssistantAnswer } from './assistant.contract.js';
import type { Intent } from './assistant.intents.js';
import {
  busyness,
  floorSchedule,
  freeRooms,
  localCalendar,
  meetCandidates,
} from './assistant.queries.js';

type Answer = Omit<AssistantAnswer, 'provider'>;
const MEET_LIMIT = 5;

export const SUGGESTIONS = [
  "What's on floor 4 tonight?",
  'Who should I meet about robotics?',
  'Which rooms are free at 3 pm?',
  'How busy was last week?',
];

export interface AnswerContext {
  scope: WorkspaceScope;
  building: BuildingRef | undefined;
  askerId: string | null;
  at: Date;
}

/** The answer to one understood question, from the stored rows. */
export async function answerIntent(ctx: AnswerContext, intent: Intent): Promise<Answer> {
  const { building } = ctx;
  if (
    intent.kind === 'help' ||
    (!building && intent.kind !== 'meet' && intent.kind !== 'busyness')
  ) {
    return {
      message: building
        ? 'I can tell you what is on a floor, who to meet about a topic, which rooms are free and how busy the building was.'
        : 'This workspace has no building yet; add one, then ask me about it.',
      data: { intent: 'help' },
      suggestions: SUGGESTIONS,
    };
  }
  const timezone = building?.timezone ?? 'UTC';
  const calendar = await localCalendar(ctx.scope, timezone, ctx.at);
  switch (intent.kind) {
    case 'floor_schedule': {
      const [from, to] = periodWindow(intent.period, calendar, ctx.at);
      const rows = await floorSchedule(ctx.scope, building?.id ?? '', intent.floor, from, to);
      const when = intent.period.replace('_', ' ');
      const gatherings = rows.map((row) => ({
        id: row.id,
        title: row.title,
        tags: row.tags,
        room: row.room_name,
        startsAt: new Date(row.starts_at).toISOString(),
        endsAt: new Date(row.ends_at).toISOString(),
        attendeeCount: row.attendees,
        capacity: row.capacity,
      }));
      return {
        message:
          gatherings.length === 0
            ? `Nothing is scheduled on floor ${intent.floor} ${when}.`
            : `${gatherings.length} on floor ${intent.floor} ${when}: ${gatherings
                .slice(0, 5)
                .map((g) => `${g.title} (${g.room}, ${g.attendeeCount} going)`)
                .join('; ')}.`,
        data: {
          intent: intent.kind,
          floor: intent.floor,
          period: intent.period,
          from: from.toISOString(),
          to: to.toISOString(),
          gatherings,
        },
        suggestions: [`What's on floor ${intent.floor} tomorrow?`, 'Which rooms are free at 3 pm?'],
      };
    }
    case 'meet': {
      const ranked = (
        await meetCandidates(ctx.scope, ctx.askerId, intent.topic, ctx.at, MEET_LIMIT)
      ).map((row) => ({
        id: row.id,
        name: row.name,
        headline: row.headline,
        score: row.score,
        reasons: {
          interest: row.has_interest,
          topicGatherings: row.topic_gatherings,
          sharedInterests: row.shared_interests,
          mutualConnections: row.mutual_connections,
        },
      }));
      return {
        message:
          ranked.length === 0
            ? `I found nobody into ${intent.topic} yet.`
            : `For ${intent.topic}, meet ${ranked.map((m) => m.name).join(', ')}.`,
        data: { intent: intent.kind, topic: intent.topic, members: ranked },
        suggestions: [`What's on floor 4 tonight?`, 'Which rooms are free at 3 pm?'],
      };
    }
    case 'free_rooms': {
      const from =
        intent.hour === null ? ctx.at : nextLocalTime(calendar, ctx.at, intent.hour, intent.minute);
      const to = new Date(from.getTime() + HOUR);
      const rooms = (await freeRooms(ctx.scope, building?.id ?? '', from, to)).map((room) => ({
        id: room.id,
        name: room.name,
        floor: room.floor,
        capacity: room.capacity,
        hourlyPrice: Number(room.hourly_price),
      }));
      return {
        message:
          rooms.length === 0
            ? 'Every room is taken then.'
            : `${rooms.length} free from ${from.toISOString()} for an hour: ${rooms
                .slice(0, 8)
                .map((room) => `${room.name} (floor ${room.floor})`)
                .join(', ')}.`,
        data: { intent: intent.kind, from: from.toISOString(), to: to.toISOString(), rooms },
        suggestions: ['How busy was last week?'],
      };
    }
    case 'busyness': {
      const [from, to] = busyWindow(intent.period, calendar, ctx.at);
      // Compared with the same span one day (or one week) earlier.
      const shift = intent.period === 'today' || intent.period === 'yesterday' ? DAY : 7 * DAY;
      const [now, before] = await Promise.all([
        busyness(ctx.scope, { timezone }, from, to),
        busyness(
          ctx.scope,
          { timezone },
          new Date(from.getTime() - shift),
          new Date(to.getTime() - shift),
        ),
      ]);
      const change =
        before.check_ins === 0 ? null : (now.check_ins - before.check_ins) / before.check_ins;
      const label = intent.period.replace('_', ' ');
      return {
        message: `${label[0]?.toUpperCase()}${label.slice(1)}: ${now.check_ins} check-ins by ${now.members} members, ${now.gatherings} gatherings${
          change === null
            ? ''
            : ` (${change >= 0 ? '+' : ''}${Math.round(change * 100)} % on the ${shift === DAY ? 'day' : 'week'} before)`
        }${now.busiest_day ? `; busiest day ${now.busiest_day}` : ''}.`,
        data: {
          intent: intent.kind,
          period: intent.period,
          from: from.toISOString(),
          to: to.toISOString(),
          checkIns: now.check_ins,
          members: now.members,
          gatherings: now.gatherings,
          busiestDay: now.busiest_day,
          busiestDayCheckIns: now.busiest_day_check_ins,
          previousCheckIns: before.check_ins,
          change,
        },
        suggestions: ["What's on floor 4 tonight?"],
      };
    }
  }
}
