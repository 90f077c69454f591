import { describe, expect, it } from 'vitest';
import { parseModelReply } from './model-reply.js';

describe('parseModelReply', () => {
  it('reads the JSON object it asked for, fenced or not', () => {
    expect(parseModelReply('{"answer": "Three.", "sql": "select 3"}')).toEqual({
      answer: 'Three.',
      sql: 'select 3',
    });
    expect(parseModelReply('```json\n{"answer": "Three.", "sql": " select 3 "}\n```')).toEqual({
      answer: 'Three.',
      sql: 'select 3',
    });
  });

  it('takes a fenced SQL block out of prose', () => {
    expect(parseModelReply('Top types:\n```sql\nselect type from events\n```\nEnjoy.')).toEqual({
      answer: 'Top types:\n\nEnjoy.',
      sql: 'select type from events',
    });
  });

  it('keeps plain prose as the answer, and drops an empty sql', () => {
    expect(parseModelReply('  I cannot tell.  ')).toEqual({ answer: 'I cannot tell.' });
    expect(parseModelReply('{"answer": "No data needed.", "sql": ""}')).toEqual({
      answer: 'No data needed.',
      sql: undefined,
    });
    expect(parseModelReply('{"sql": "select 1"}')).toEqual({
      answer: 'Here is what the data says.',
      sql: 'select 1',
    });
  });
});
