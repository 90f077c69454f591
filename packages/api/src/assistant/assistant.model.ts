import { z } from 'zod';
import type { Context } from '../context.js';
import { ChatCompletionsClient } from '../language-model/index.js';
import type { Intent } from './assistant.intents.js';

const PERIODS = ['now', 'today', 'tonight', 'tomorrow', 'this_week'] as const;
const BUSY_PERIODS = ['today', 'yesterday', 'this_week', 'last_week'] as const;

// The model only classifies; every figure still comes from the database.
const modelIntent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('floor_schedule'),
    floor: z.number().int().min(-10).max(999),
    period: z.enum(PERIODS),
  }),
  z.object({ kind: z.literal('meet'), topic: z.string().trim().min(1).max(60) }),
  z.object({
    kind: z.literal('free_rooms'),
    hour: z.number().int().min(0).max(23).nullable(),
    minute: z.number().int().min(0).max(59).default(0),
  }),
  z.object({ kind: z.literal('busyness'), period: z.enum(BUSY_PERIODS) }),
  z.object({ kind: z.literal('help') }),
]);

const INSTRUCTIONS = `You classify questions about a building (floors, rooms, gatherings, members).
Answer with one JSON object and nothing else, one of:
{"kind":"floor_schedule","floor":<floor number>,"period":${PERIODS.map((p) => `"${p}"`).join('|')}}
{"kind":"meet","topic":"<the subject the person wants to meet someone about, lower case>"}
{"kind":"free_rooms","hour":<0-23 local hour, or null for now>,"minute":<0-59>}
{"kind":"busyness","period":${BUSY_PERIODS.map((p) => `"${p}"`).join('|')}}
{"kind":"help"} when the question is about none of these.`;

/**
 * The question's intent according to the configured OpenAI-compatible model, or null when
 * none is configured or its reply is unusable (the built-in patterns answer then).
 */
export async function understandWithModel(
  ctx: Pick<Context, 'config'>,
  message: string,
): Promise<Intent | null> {
  const config = ctx.config.languageModel;
  if (!config) return null;
  try {
    const reply = await new ChatCompletionsClient(config).complete(
      [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: message },
      ],
      { json: true },
    );
    const parsed = modelIntent.safeParse(JSON.parse(reply));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
