import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenService } from './tokens.js';

const config = {
  jwtSecret: 'a-test-secret-that-is-at-least-32-bytes-long',
  issuer: 'pulse-test',
  accessTokenTtlSec: 60,
  refreshTokenTtlSec: 3600,
  clockToleranceSec: 5,
  passwordHashCost: 1,
};
const claims = { userId: 'u1', workspaceId: 'w1', role: 'admin' as const, familyId: 'f1' };

describe('access tokens checked once and remembered', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers the same claims every time', async () => {
    const tokens = new TokenService(config);
    const { token } = await tokens.signAccess(claims);
    expect(await tokens.verifyAccess(token)).toEqual(claims);
    expect(await tokens.verifyAccess(token)).toEqual(claims);
  });

  it('still expires a remembered token, after the clock tolerance', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] });
    const tokens = new TokenService(config);
    const { token } = await tokens.signAccess(claims);
    await tokens.verifyAccess(token);
    vi.setSystemTime(Date.now() + (config.accessTokenTtlSec + config.clockToleranceSec - 1) * 1000);
    expect(await tokens.verifyAccess(token)).toEqual(claims);
    vi.setSystemTime(Date.now() + 2_000);
    await expect(tokens.verifyAccess(token)).rejects.toMatchObject({ domainCode: 'TOKEN_EXPIRED' });
  });

  it('does not let a remembered token vouch for a tampered one, or for another type', async () => {
    const tokens = new TokenService(config);
    const { token } = await tokens.signAccess(claims);
    await tokens.verifyAccess(token);
    const [header, payload, signature = ''] = token.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(tokens.verifyAccess(forged)).rejects.toMatchObject({
      domainCode: 'TOKEN_INVALID',
    });
    await expect(tokens.verifyRefresh(token)).rejects.toMatchObject({
      domainCode: 'TOKEN_INVALID',
    });
  });
});
