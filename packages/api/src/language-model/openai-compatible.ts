import { PulseError } from '../errors.js';
import type {
  DataDescription,
  LanguageModelConfig,
  LanguageModelProvider,
  QuestionAnswer,
  QuestionRequest,
} from './language-model.js';
import { parseModelReply } from './model-reply.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  signal?: AbortSignal;
  /** Ask for a JSON object reply (`response_format`), for servers that support it. */
  json?: boolean;
}

/**
 * A client of `POST {baseUrl}/chat/completions`. Every failure leaves as a PulseError:
 * UPSTREAM_TIMEOUT (504) when the time limit passes, UPSTREAM_FAILED (502) for anything else the
 * server or the network does wrong, so callers never see a raw fetch error or a 500.
 */
export class ChatCompletionsClient {
  constructor(
    private readonly config: LanguageModelConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The text of the first choice. */
  async complete(messages: ChatMessage[], options: ChatOptions = {}): Promise<string> {
    const url = `${this.config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
    const body = {
      model: this.config.model,
      messages,
      temperature: 0,
      max_tokens: this.config.maxTokens,
      ...(options.json ? { response_format: { type: 'json_object' } } : {}),
    };
    try {
      const response = await this.fetchImpl(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal,
      });
      const text = await response.text();
      if (!response.ok) throw upstreamStatusError(response.status, text);
      return firstChoiceText(text);
    } catch (error) {
      if (error instanceof PulseError) throw error;
      if (timeout.aborted) {
        throw new PulseError(
          'UPSTREAM_TIMEOUT',
          `The language model did not answer within ${this.config.timeoutMs} ms`,
          { cause: error },
        );
      }
      if (options.signal?.aborted) throw error;
      throw new PulseError(
        'UPSTREAM_FAILED',
        `The language model at ${new URL(url).host} could not be reached`,
        { cause: error },
      );
    }
  }
}

function upstreamStatusError(status: number, body: string): PulseError {
  const reason =
    status === 401 || status === 403
      ? 'rejected the configured API key'
      : status === 429
        ? 'is rate-limiting us'
        : `answered HTTP ${status}`;
  // The upstream's own message helps operators, but only a bounded piece of it.
  const detail = upstreamMessage(body);
  return new PulseError('UPSTREAM_FAILED', `The language model ${reason}${detail}`);
}

function upstreamMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

function firstChoiceText(body: string): string {
  let content: unknown;
  try {
    const parsed = JSON.parse(body) as { choices?: Array<{ message?: { content?: unknown } }> };
    content = parsed.choices?.[0]?.message?.content;
  } catch {
    // handled below
  }
  if (typeof content !== 'string' || content.trim() === '') {
    throw new PulseError('UPSTREAM_FAILED', 'The language model sent a reply without any text');
  }
  return content;
}

/** Answers questions with an OpenAI-compatible model that writes SQL over the described data. */
export class OpenAiCompatibleProvider implements LanguageModelProvider {
  readonly name = 'openai-compatible';
  private readonly client: ChatCompletionsClient;

  constructor(config: LanguageModelConfig, fetchImpl?: typeof fetch) {
    this.client = new ChatCompletionsClient(config, fetchImpl);
  }

  async answerQuestion(request: QuestionRequest): Promise<QuestionAnswer> {
    const reply = await this.client.complete(
      [
        { role: 'system', content: systemPrompt(request.data) },
        { role: 'user', content: request.question },
      ],
      { signal: request.signal, json: true },
    );
    return parseModelReply(reply);
  }
}

function systemPrompt(data: DataDescription): string {
  const relations = data.relations
    .map((relation) => {
      const columns = relation.columns
        .map((c) => `    ${c.name} ${c.type}${c.description ? ` -- ${c.description}` : ''}`)
        .join('\n');
      return `${relation.name}: ${relation.description}\n${columns}`;
    })
    .join('\n\n');
  return [
    'You answer questions about one workspace of an analytics product.',
    `You may write ONE ${data.dialect} SELECT statement over these relations only:`,
    relations,
    'Rules:',
    ...data.rules.map((rule) => `- ${rule}`),
    `The current time is ${data.now}.`,
    'Reply with a JSON object: {"answer": "<one or two sentences>", "sql": "<statement>"}.',
    'Leave out "sql" when the question needs no data; say so plainly when it cannot be answered.',
  ].join('\n');
}
