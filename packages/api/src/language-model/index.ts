export type {
  DataDescription,
  LanguageModelConfig,
  LanguageModelProvider,
  QuestionAnswer,
  QuestionRequest,
  RelationDescription,
  ResultTable,
} from './language-model.js';
export { parseModelReply } from './model-reply.js';
export {
  ChatCompletionsClient,
  type ChatMessage,
  type ChatOptions,
  OpenAiCompatibleProvider,
} from './openai-compatible.js';
