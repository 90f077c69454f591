import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has working defaults: embedded database, in-process infra, 127.0.0.1:3000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './.pulse/data' });
    expect(config.redis.url).toBeUndefined();
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.api.auth.accessTokenTtlSec).toBe(900);
  });

  it('picks PostgreSQL and Redis from their URLs', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/pulse',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(config.database).toMatchObject({ kind: 'postgres', url: 'postgres://u@db:5432/pulse' });
    expect(config.redis.url).toBe('redis://cache:6379');
  });

  it('names every wrong variable', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', RATE_LIMIT_ENABLED: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('RATE_LIMIT_ENABLED');
    }
  });

  it('refuses a short secret anywhere and the default secret in production', () => {
    expect(() => loadConfig({ JWT_SECRET: 'too-short' })).toThrow(
      /JWT_SECRET must be at least 32 bytes/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET is the public development default/,
    );
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).env).toBe(
      'production',
    );
    expect(DEV_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite');
  });
});
