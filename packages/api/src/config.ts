import type { LanguageModelConfig } from './language-model/language-model.js';

export interface AuthConfig {
  /** HS256 key material; at least 32 bytes. */
  jwtSecret: string;
  issuer: string;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  /** Accepted clock difference between servers when checking `exp`/`nbf`/`iat`. */
  clockToleranceSec: number;
  /** scrypt cost as log2(N); 15 (32 MiB, ~100 ms) in production, lower in tests. */
  passwordHashCost: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Multiplies every limit; 1 in production. Load tests and suites raise it. */
  scale: number;
}

export interface ApiConfig {
  auth: AuthConfig;
  rateLimits: RateLimitConfig;
  /** Public base URL, used for the OpenAPI `servers` entry. */
  publicUrl: string;
  /** Time limit of one analyst query (analytics.query, analytics.ask); default 5 s. */
  sqlStatementTimeoutMs?: number;
  /** An OpenAI-compatible model for questions in plain language; absent = built-in templates. */
  languageModel?: LanguageModelConfig;
}

export const TOKEN_AUDIENCE = 'pulse-api';
