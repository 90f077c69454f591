import type { WorkspaceContext } from '../auth/caller.js';
import { cachedRead } from '../cached-read.js';
import { findMemberByUser } from '../community/members.queries.js';
import { publishTowerMessage } from '../live/live.tower.js';
import { enforceRateLimitFor } from '../rate-limit.js';
import { SPACES_TOPIC } from '../spaces/floor-pulse.service.js';
import { findBuilding } from '../spaces/presence.queries.js';
import { answerIntent } from './assistant.answers.js';
import {
  type AssistantAnswer,
  type AssistantQueryInput,
  CHAT_RATE_LIMIT,
} from './assistant.contract.js';
import { parseIntent } from './assistant.intents.js';
import { understandWithModel } from './assistant.model.js';

const ANSWER_TTL_SECONDS = 30;

/**
 * Understands the question (the configured language model when there is one, else the
 * built-in patterns), answers it from the stored rows, caches the answer 30 s per asker and
 * wording, and publishes it to the tower feed.
 */
export async function askAssistant(
  ctx: WorkspaceContext,
  input: AssistantQueryInput,
): Promise<AssistantAnswer> {
  await enforceRateLimitFor(
    ctx,
    `rl:assistant.query:chat:${ctx.scope.workspaceId}:${input.chatId}`,
    CHAT_RATE_LIMIT,
  );
  const asker =
    ctx.caller.kind === 'user' ? await findMemberByUser(ctx.scope, ctx.caller.userId) : undefined;
  const askerId = asker?.id ?? null;
  const wording = input.message.toLowerCase().replace(/\s+/g, ' ');
  const answer = await cachedRead(ctx, {
    topic: SPACES_TOPIC,
    parts: ['assistant', askerId, wording],
    ttlSeconds: ANSWER_TTL_SECONDS,
    compute: async (): Promise<AssistantAnswer> => {
      const understood = await understandWithModel(ctx, input.message);
      const intent = understood ?? parseIntent(input.message);
      const building = await findBuilding(ctx.scope, undefined);
      const answered = await answerIntent(
        { scope: ctx.scope, building, askerId, at: new Date() },
        intent,
      );
      return { ...answered, provider: understood ? 'openai-compatible' : 'builtin' };
    },
  });
  await publishTowerMessage(ctx, ctx.scope.workspaceId, {
    type: 'bot_response',
    chatId: input.chatId,
    ...answer,
  });
  return answer;
}
