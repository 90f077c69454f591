import type {
  LanguageModelProvider,
  QuestionAnswer,
  QuestionRequest,
} from '../../language-model/language-model.js';
import { type CommerceTerms, matchTemplate, TEMPLATE_EXAMPLES } from './ask.templates.js';

/**
 * Answers common questions from templates, with no network and no model: the question picks
 * a template by its words, the template's SQL runs like any analyst's, and its rows are put
 * into a sentence. A question no template knows gets the list of what can be asked.
 */
export class BuiltinProvider implements LanguageModelProvider {
  readonly name = 'builtin';

  constructor(private readonly terms: CommerceTerms) {}

  async answerQuestion(request: QuestionRequest): Promise<QuestionAnswer> {
    const template = matchTemplate(request.question, this.terms);
    if (!template) {
      return {
        answer: `I can answer questions about this workspace's events like: ${TEMPLATE_EXAMPLES.map((e) => `"${e}"`).join(', ')}. Periods: today, yesterday, this week, last week, this month, the last hour, 24 hours, 7 or 30 days. For anything else, write SQL with analytics.query (POST /api/v1/analytics/query).`,
      };
    }
    return { answer: '', sql: template.sql, phrase: template.phrase };
  }
}
