import { z } from 'zod';
import type { PulseMeta } from '../trpc.js';
import { INTENT_KINDS } from './assistant.intents.js';

export const CHAT_RATE_LIMIT = { limit: 15, windowMs: 60_000 } as const;

export const assistantQueryInput = z.strictObject({
  chatId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.:-]+$/, 'may contain only letters, digits and _ . : -')
    .describe(`The conversation; each allows ${CHAT_RATE_LIMIT.limit} questions a minute`),
  message: z.string().trim().min(1).max(500),
});

export const assistantAnswerSchema = z.object({
  message: z.string().describe('The answer in words'),
  data: z
    .object({ intent: z.enum(INTENT_KINDS) })
    .catchall(z.unknown())
    .describe('The figures and rows behind the answer; their shape depends on `intent`'),
  suggestions: z.array(z.string()).describe('Questions to ask next'),
  provider: z
    .enum(['builtin', 'openai-compatible'])
    .describe('Who understood the question: the built-in patterns or the configured model'),
});

export type AssistantQueryInput = z.infer<typeof assistantQueryInput>;
export type AssistantAnswer = z.infer<typeof assistantAnswerSchema>;

export const assistantQueryMeta = {
  openapi: {
    method: 'POST',
    path: '/assistant/query',
    tags: ['assistant'],
    summary: 'Ask about the building: schedules, people to meet, free rooms, how busy it was',
    description: `Answers are cached 30 s and published to the tower feed as {type: "bot_response", chatId, ...}. ${CHAT_RATE_LIMIT.limit} questions per minute per chat (429 with Retry-After beyond).`,
  },
} satisfies PulseMeta;
