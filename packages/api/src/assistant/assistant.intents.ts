/**
 * The questions the assistant understands, recognised by patterns (the built-in provider).
 * An optional language model may produce the same shapes from freer wording.
 */
export type Period = 'now' | 'today' | 'tonight' | 'tomorrow' | 'this_week';
export type BusyPeriod = 'today' | 'yesterday' | 'this_week' | 'last_week';

export type Intent =
  | { kind: 'floor_schedule'; floor: number; period: Period }
  | { kind: 'meet'; topic: string }
  | { kind: 'free_rooms'; hour: number | null; minute: number }
  | { kind: 'busyness'; period: BusyPeriod }
  | { kind: 'help' };

export const INTENT_KINDS = ['floor_schedule', 'meet', 'free_rooms', 'busyness', 'help'] as const;

export function parseIntent(message: string): Intent {
  const text = message.toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();

  const meet =
    /\b(?:meet|talk to|connect with|know|ask)\b.*?\b(?:about|on|for|into|interested in)\s+([\w +#./-]{2,60}?)\s*[?.!]*$/.exec(
      text,
    ) ?? /\bwho (?:knows|works on|is into)\s+([\w +#./-]{2,60}?)\s*[?.!]*$/.exec(text);
  if (meet?.[1]) return { kind: 'meet', topic: meet[1].trim() };

  if (/\bhow (?:busy|full|active)\b|\bhow many (?:people|check-?ins|members)\b/.test(text)) {
    return { kind: 'busyness', period: busyPeriodOf(text) };
  }

  const floor = /\b(?:floor|level)\s+(\d{1,3})\b|\b(\d{1,3})(?:st|nd|rd|th) floor\b/.exec(text);
  if (floor && /\b(?:what|what's|whats|anything|events?|happening|on)\b/.test(text)) {
    return { kind: 'floor_schedule', floor: Number(floor[1] ?? floor[2]), period: periodOf(text) };
  }

  if (
    /\b(?:free|available|empty|open)\b/.test(text) &&
    /\b(?:rooms?|spaces?|desks?)\b/.test(text)
  ) {
    const time = /\b(?:at|from|around)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/.exec(text);
    if (!time?.[1]) return { kind: 'free_rooms', hour: null, minute: 0 };
    let hour = Number(time[1]) % 24;
    if (time[3] === 'pm' && hour < 12) hour += 12;
    if (time[3] === 'am' && hour === 12) hour = 0;
    return { kind: 'free_rooms', hour, minute: Math.min(59, Number(time[2] ?? 0)) };
  }
  return { kind: 'help' };
}

function periodOf(text: string): Period {
  if (/\btonight\b|\bthis evening\b/.test(text)) return 'tonight';
  if (/\btomorrow\b/.test(text)) return 'tomorrow';
  if (/\bthis week\b/.test(text)) return 'this_week';
  if (/\bnow\b|\bright now\b|\bcurrently\b/.test(text)) return 'now';
  return 'today';
}

function busyPeriodOf(text: string): BusyPeriod {
  if (/\blast week\b/.test(text)) return 'last_week';
  if (/\bthis week\b/.test(text)) return 'this_week';
  if (/\byesterday\b/.test(text)) return 'yesterday';
  return 'today';
}
