import type { QuestionAnswer } from './language-model.js';

/**
 * Reads what a model sent back. Models asked for JSON still wrap it in code fences or answer in
 * prose with a fenced SQL block now and then; all three shapes are accepted so a usable answer
 * is not lost to formatting. Whatever SQL comes out is untrusted and checked by the caller.
 */
export function parseModelReply(reply: string): QuestionAnswer {
  const trimmed = reply.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(trimmed);
  const json = tryParseObject(fenced?.[1] ?? trimmed);
  if (json) {
    const answer = typeof json.answer === 'string' ? json.answer.trim() : '';
    const sql =
      typeof json.sql === 'string' && json.sql.trim() !== '' ? json.sql.trim() : undefined;
    return { answer: answer || (sql ? 'Here is what the data says.' : trimmed), sql };
  }
  const sqlBlock = /```sql\s*([\s\S]*?)```/i.exec(trimmed);
  if (sqlBlock?.[1]) {
    const answer = trimmed.replace(sqlBlock[0], '').trim();
    return { answer: answer || 'Here is what the data says.', sql: sqlBlock[1].trim() };
  }
  return { answer: trimmed };
}

function tryParseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
