import { initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import type { Context } from './context.js';
import { domainCodeOf, type FieldIssue, PulseError } from './errors.js';
import type { RateLimitMeta } from './rate-limit.js';
import { wireTransformer } from './wire-encoding.js';

export type PulseMeta = OpenApiMeta<{ rateLimit?: RateLimitMeta; auth?: 'public' | 'required' }>;

const t = initTRPC
  .context<Context>()
  .meta<PulseMeta>()
  .create({
    transformer: wireTransformer,
    // Stack traces never leave the server, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error }) {
      const issues = fieldIssuesOf(error.cause, error);
      const domainCode = domainCodeOf(error);
      const internal = domainCode === 'INTERNAL';
      return {
        message: internal ? 'Internal server error' : messageWithFields(error.message, issues),
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          domainCode,
          issues,
        },
      };
    },
  });

function fieldIssuesOf(cause: unknown, error: unknown): FieldIssue[] {
  if (error instanceof PulseError) return error.issues;
  if (cause instanceof ZodError) {
    return cause.issues.flatMap((issue) => {
      const path = issue.path.map(String);
      // An unknown field is named by its own path, so clients can point at it.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({
          path: [...path, key].join('.'),
          message: 'is not a known field',
        }));
      }
      return [{ path: path.join('.'), message: issue.message }];
    });
  }
  return [];
}

function messageWithFields(message: string, issues: FieldIssue[]): string {
  if (issues.length === 0 || !message.trimStart().startsWith('[')) return message;
  // tRPC's default message for input errors is the raw JSON of the issues: say it plainly.
  return issues
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
}

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
export const baseProcedure = t.procedure;
