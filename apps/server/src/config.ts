import { z } from 'zod';

export const DEV_JWT_SECRET = 'pulse-development-secret-change-me-in-production';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    PULSE_DATA_DIR: z.string().min(1).default('./.pulse/data'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_KEY_PREFIX: z.string().min(1).max(64).default('pulse:'),
    JWT_SECRET: z.string().default(DEV_JWT_SECRET),
    JWT_ISSUER: z.string().min(1).default('pulse'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).max(31_536_000).default(2_592_000),
    JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(15),
    RATE_LIMIT_ENABLED: flag.default(true),
    RATE_LIMIT_SCALE: z.coerce.number().positive().max(10_000).default(1),
    CORS_ORIGINS: z.string().default(''),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1_048_576),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    TRUST_PROXY: flag.default(false),
    WS_HEARTBEAT_MS: z.coerce.number().int().min(1000).max(300_000).default(15_000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    PULSE_SEED_DEMO: flag.default(false),
    LIVE_REPLAY_LENGTH: z.coerce.number().int().min(10).max(1_000_000).default(1_000),
    LIVE_SLOW_CONSUMER_BYTES: z.coerce
      .number()
      .int()
      .min(16 * 1024)
      .max(1024 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    LIVE_SLOW_CONSUMER_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    LIVE_OVERVIEW_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
    LIVE_INSIGHTS_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    LIVE_PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    PULSE_WORKERS: flag.default(true),
    ROLLUP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    PARTITION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
    RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
    PARTITION_DAYS_AHEAD: z.coerce.number().int().min(1).max(366).default(7),
    RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
    ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
    HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
    SQL_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(50).max(300_000).default(5_000),
    LLM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    LLM_API_KEY: z.string().optional(),
    LLM_MODEL: z.string().min(1).optional(),
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
    LLM_MAX_TOKENS: z.coerce.number().int().min(16).max(32_768).default(800),
  })
  .superRefine((env, ctx) => {
    if (env.ROLLUP_RETENTION_DAYS < env.RETENTION_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['ROLLUP_RETENTION_DAYS'],
        message: `must be at least RETENTION_DAYS (${env.RETENTION_DAYS}): rollups summarise raw data and outlive it`,
      });
    }
    if (env.LLM_BASE_URL && !env.LLM_MODEL) {
      ctx.addIssue({
        code: 'custom',
        path: ['LLM_MODEL'],
        message: 'is required with LLM_BASE_URL',
      });
    }
    if (new TextEncoder().encode(env.JWT_SECRET).byteLength < 32) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be at least 32 bytes' });
    }
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is the public development default; set a secret of your own in production',
      });
    }
  });

export type ServerConfig = ReturnType<typeof toServerConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once at start-up; a wrong value stops the process with its name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // Empty strings count as unset, as they do in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`),
    );
  }
  return toServerConfig(parsed.data);
}

function toServerConfig(env: z.infer<typeof envSchema>) {
  const publicUrl =
    env.PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    database: env.DATABASE_URL
      ? ({
          kind: 'postgres',
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          schema: env.DATABASE_SCHEMA,
        } as const)
      : ({ kind: 'pglite', dataDir: env.PULSE_DATA_DIR } as const),
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    api: {
      publicUrl,
      auth: {
        jwtSecret: env.JWT_SECRET,
        issuer: env.JWT_ISSUER,
        accessTokenTtlSec: env.ACCESS_TOKEN_TTL_SECONDS,
        refreshTokenTtlSec: env.REFRESH_TOKEN_TTL_SECONDS,
        clockToleranceSec: env.JWT_CLOCK_TOLERANCE_SECONDS,
        passwordHashCost: env.PASSWORD_HASH_COST,
      },
      rateLimits: { enabled: env.RATE_LIMIT_ENABLED, scale: env.RATE_LIMIT_SCALE },
      sqlStatementTimeoutMs: env.SQL_STATEMENT_TIMEOUT_MS,
      ...(env.LLM_BASE_URL && env.LLM_MODEL
        ? {
            languageModel: {
              baseUrl: env.LLM_BASE_URL,
              apiKey: env.LLM_API_KEY,
              model: env.LLM_MODEL,
              timeoutMs: env.LLM_TIMEOUT_MS,
              maxTokens: env.LLM_MAX_TOKENS,
            },
          }
        : {}),
    },
    http: {
      corsOrigins: env.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trustProxy: env.TRUST_PROXY,
      wsHeartbeatMs: env.WS_HEARTBEAT_MS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    logLevel: env.LOG_LEVEL,
    seedDemo: env.PULSE_SEED_DEMO,
    live: {
      replayLength: env.LIVE_REPLAY_LENGTH,
      slowConsumerBytes: env.LIVE_SLOW_CONSUMER_BYTES,
      slowConsumerMs: env.LIVE_SLOW_CONSUMER_MS,
      overviewIntervalMs: env.LIVE_OVERVIEW_INTERVAL_MS,
      insightsIntervalMs: env.LIVE_INSIGHTS_INTERVAL_MS,
      presenceHeartbeatMs: env.LIVE_PRESENCE_HEARTBEAT_MS,
    },
    workers: {
      /** Run the jobs inside `pulse server`; `pulse worker` runs them regardless. */
      inProcess: env.PULSE_WORKERS,
      rollupIntervalMs: env.ROLLUP_INTERVAL_MS,
      partitionIntervalMs: env.PARTITION_INTERVAL_MS,
      retentionIntervalMs: env.RETENTION_INTERVAL_MS,
      partitionDaysAhead: env.PARTITION_DAYS_AHEAD,
      retentionDays: env.RETENTION_DAYS,
      rollupRetentionDays: env.ROLLUP_RETENTION_DAYS,
      historyRetentionDays: env.HISTORY_RETENTION_DAYS,
    },
  };
}
