import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../src/backoff.js';
import { isPulseError, pulseErrorCode } from '../src/index.js';
import { base64UrlToBytes, decodeJwtPayload, jwtExpiresAt } from '../src/jwt.js';
import { fakeJwt } from './support/fake-pulse.js';

describe('JWT decoding', () => {
  it('reads exp from the payload as a Date', () => {
    const token = fakeJwt({ sub: 'u1', exp: 1_900_000_000 });
    expect(jwtExpiresAt(token)).toEqual(new Date(1_900_000_000_000));
    expect(decodeJwtPayload(token)).toEqual({ sub: 'u1', exp: 1_900_000_000 });
  });

  it('decodes base64url (- and _, no padding) and UTF-8', () => {
    // {"n":"é?>"} encodes to bytes whose base64 contains + and / (here - and _).
    const payload = Buffer.from(JSON.stringify({ n: 'é?>~~~', exp: 1 })).toString('base64url');
    expect(payload).toMatch(/[-_]/);
    expect(payload).not.toContain('=');
    expect(decodeJwtPayload(`x.${payload}.y`)).toEqual({ n: 'é?>~~~', exp: 1 });
    expect(Array.from(base64UrlToBytes('-_8'))).toEqual([0xfb, 0xff]);
  });

  it('returns undefined for anything that is not a JWT with a JSON object payload', () => {
    for (const token of [
      '',
      'abc',
      'a.b',
      'a.b.c.d',
      'x.!!!.y',
      `x.${btoa('[1,2]')}.y`,
      `x.${btoa('not json')}.y`,
    ]) {
      expect(decodeJwtPayload(token)).toBeUndefined();
    }
    expect(jwtExpiresAt(fakeJwt({ sub: 'no exp' }))).toBeUndefined();
    expect(jwtExpiresAt(fakeJwt({ exp: '1900000000' }))).toBeUndefined();
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially, is jittered, and stays within the bounds', () => {
    const options = { minDelayMs: 100, maxDelayMs: 1000 };
    expect(reconnectDelayMs(0, options, () => 0)).toBe(0);
    expect(reconnectDelayMs(0, options, () => 1)).toBe(100);
    expect(reconnectDelayMs(1, options, () => 0)).toBe(100);
    expect(reconnectDelayMs(1, options, () => 1)).toBe(200);
    expect(reconnectDelayMs(3, options, () => 0.5)).toBe(600);
    expect(reconnectDelayMs(10, options, () => 1)).toBe(1000);
    expect(reconnectDelayMs(1_000, options, () => 0)).toBe(500);
    for (let attempt = 0; attempt < 50; attempt++) {
      const delay = reconnectDelayMs(attempt, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });

  it('has sane defaults and tolerates max < min', () => {
    expect(reconnectDelayMs(20, {}, () => 1)).toBe(30_000);
    expect(reconnectDelayMs(5, { minDelayMs: 500, maxDelayMs: 10 }, () => 1)).toBe(500);
  });
});

describe('error helpers', () => {
  const serverError = (domainCode: string, httpStatus = 401) =>
    TRPCClientError.from({
      error: {
        message: 'nope',
        code: -32001,
        data: { code: 'UNAUTHORIZED', httpStatus, path: 'users.me', domainCode, issues: [] },
      },
    });

  it('recognises errors the Pulse server sent and reads their domainCode', () => {
    const error = serverError('TOKEN_EXPIRED');
    expect(isPulseError(error)).toBe(true);
    expect(isPulseError(error, 'TOKEN_EXPIRED')).toBe(true);
    expect(isPulseError(error, 'TOKEN_REUSED')).toBe(false);
    expect(pulseErrorCode(error)).toBe('TOKEN_EXPIRED');
    if (isPulseError(error)) {
      // Narrowed: data is typed with Pulse's error shape.
      const status: number = error.data.httpStatus;
      expect(status).toBe(401);
    }
  });

  it('rejects network failures and non-tRPC errors', () => {
    const network = TRPCClientError.from(new TypeError('fetch failed'));
    for (const error of [
      network,
      new Error('x'),
      null,
      undefined,
      'TOKEN_EXPIRED',
      { data: { domainCode: 'X' } },
    ]) {
      expect(isPulseError(error)).toBe(false);
      expect(pulseErrorCode(error)).toBeUndefined();
    }
  });
});
