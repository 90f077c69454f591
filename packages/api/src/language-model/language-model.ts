/**
 * What natural-language features (analytics.ask, the assistant) need from a language model,
 * independent of who serves it. A provider turns a question plus a description of the data the
 * caller may query into a prose answer and, when the data is needed, one SQL statement. The
 * caller — never the provider — runs that SQL, through the same safety path as analysts' SQL.
 */
export interface LanguageModelProvider {
  /** Reported to clients (`provider` in analytics.ask), e.g. `builtin` or `openai-compatible`. */
  readonly name: string;
  answerQuestion(request: QuestionRequest): Promise<QuestionAnswer>;
}

export interface QuestionRequest {
  question: string;
  data: DataDescription;
  /** Lets the caller give up early (client gone, server shutting down). */
  signal?: AbortSignal;
}

export interface QuestionAnswer {
  /** Prose for the person asking; may be refined once the SQL's rows are known. */
  answer: string;
  /** One read-only statement over `data.relations`, when the answer needs numbers. */
  sql?: string;
  /** Words the final answer from the statement's rows, for providers that can (templates). */
  phrase?(result: ResultTable): string;
}

/** Rows a statement returned, in column order. */
export interface ResultTable {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
}

/** The data a generated statement may read, as the model is shown it. */
export interface DataDescription {
  dialect: 'postgresql';
  /** ISO time of the request, so "today" and "this week" have a fixed meaning. */
  now: string;
  relations: RelationDescription[];
  /** Hard limits the statement must respect (e.g. allowed functions), in plain words. */
  rules: string[];
}

export interface RelationDescription {
  name: string;
  description: string;
  columns: Array<{ name: string; type: string; description?: string }>;
}

/** Settings of an OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, …). */
export interface LanguageModelConfig {
  /** e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  /** Sent as a Bearer token; local servers often need none. */
  apiKey?: string;
  model: string;
  /** Whole request, including reading the body. */
  timeoutMs: number;
  /** Upper bound on the completion, so one question cannot run up a large bill. */
  maxTokens: number;
}
