import type { WorkspaceContext } from '../../auth/caller.js';
import { cachedRead } from '../../cached-read.js';
import { PulseError } from '../../errors.js';
import type {
  DataDescription,
  LanguageModelProvider,
  ResultTable,
} from '../../language-model/language-model.js';
import { OpenAiCompatibleProvider } from '../../language-model/openai-compatible.js';
import { getCommerceSettings } from '../commerce/settings.service.js';
import { BuiltinProvider } from './ask.builtin.js';
import { commerceTerms } from './ask.templates.js';
import type { AskOutput } from './sql.contract.js';
import { runAnalystQuery } from './sql.service.js';
import { ANALYST_VIEWS } from './sql.views.js';

/** Rows returned with an answer: enough for a chart or a top list, small enough to read. */
const ANSWER_ROWS = 200;
/** "Revenue today" may be asked by every dashboard at once; the figures move slowly enough. */
const ANSWER_TTL_SECONDS = 30;

/**
 * The configured model, else the templates with this workspace's commerce settings; `variant`
 * names what else shapes the answer, so new settings (or another model) mean new cache keys.
 */
async function providerFor(
  ctx: WorkspaceContext,
): Promise<{ provider: LanguageModelProvider; variant: string }> {
  const model = ctx.config.languageModel;
  if (model) return { provider: new OpenAiCompatibleProvider(model), variant: model.model };
  const terms = commerceTerms(await getCommerceSettings(ctx));
  return {
    provider: new BuiltinProvider(terms),
    variant: `${terms.pageView} ${terms.purchase} ${terms.revenue}`,
  };
}

export async function askQuestion(ctx: WorkspaceContext, question: string): Promise<AskOutput> {
  const { provider, variant } = await providerFor(ctx);
  return cachedRead(ctx, {
    topic: 'analytics.ask',
    parts: [provider.name, variant, question.toLowerCase().replace(/\s+/g, ' ')],
    ttlSeconds: ANSWER_TTL_SECONDS,
    compute: () => answer(ctx, provider, question),
  });
}

async function answer(
  ctx: WorkspaceContext,
  provider: LanguageModelProvider,
  question: string,
): Promise<AskOutput> {
  const reply = await provider.answerQuestion({ question, data: dataDescription() });
  if (!reply.sql) return { answer: reply.answer, provider: provider.name };
  const result = await runAnalystQuery(ctx, { sql: reply.sql, limit: ANSWER_ROWS }).catch(
    (error: unknown) => {
      // The caller asked a fair question; a statement the model got wrong is the model's fault.
      if (provider.name !== 'builtin' && error instanceof PulseError) {
        throw new PulseError(
          'UPSTREAM_FAILED',
          `The language model's SQL was refused (${error.message}); nothing was run or changed`,
          { field: 'sql', cause: error },
        );
      }
      throw error;
    },
  );
  return {
    answer: reply.phrase ? reply.phrase(result) : withFigures(reply.answer, result),
    sql: reply.sql,
    columns: result.columns,
    rows: result.rows,
    provider: provider.name,
  };
}

/** A model words its answer before seeing the rows; one row of figures is added to it. */
function withFigures(answer: string, result: ResultTable): string {
  const [row] = result.rows;
  if (result.rows.length !== 1 || !row || result.columns.length > 6) return answer;
  const figures = result.columns.map((c, i) => `${c.name} = ${JSON.stringify(row[i])}`).join(', ');
  return `${answer} (${figures})`;
}

function dataDescription(): DataDescription {
  return {
    dialect: 'postgresql',
    now: new Date().toISOString(),
    relations: ANALYST_VIEWS.map(({ name, description, columns }) => ({
      name,
      description,
      columns,
    })),
    rules: [
      'One SELECT (WITH … SELECT allowed, not RECURSIVE); no writes, DDL, SET or FOR UPDATE.',
      'Only the relations above; no schema-qualified names, no pg_* or information_schema.',
      'Only aggregate, window, math, string, date/time, JSON and array functions.',
      'Give every result column a distinct name; times are UTC.',
      `At most ${ANSWER_ROWS} rows are returned.`,
    ],
  };
}
