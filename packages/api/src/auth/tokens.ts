import { createHash, createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import type { Role } from '@pulse/db';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { type AuthConfig, TOKEN_AUDIENCE } from '../config.js';
import { PulseError } from '../errors.js';

const ALGORITHM = 'HS256';
const VERIFIED_TOKENS_KEPT = 10_000;

export interface AccessClaims {
  userId: string;
  workspaceId: string;
  role: Role;
  /** The refresh-token family this session belongs to. */
  familyId: string;
}

export interface RefreshClaims {
  tokenId: string;
  familyId: string;
  userId: string;
  workspaceId: string;
}

export interface SignedToken {
  token: string;
  expiresAt: Date;
}

/** Issues and checks Pulse's JWTs. HS256 only: `alg` is pinned, never read from the token. */
export class TokenService {
  // Imported once: given raw bytes, jose imports the key again on every sign and verify.
  readonly #key: KeyObject;
  readonly #verified = new Map<string, JWTPayload>();

  constructor(private readonly config: AuthConfig) {
    const secret = new TextEncoder().encode(config.jwtSecret);
    if (secret.byteLength < 32) throw new Error('JWT secret must be at least 32 bytes');
    this.#key = createSecretKey(secret);
  }

  get accessTokenTtlSec(): number {
    return this.config.accessTokenTtlSec;
  }

  signAccess(claims: AccessClaims): Promise<SignedToken> {
    return this.#sign(
      { typ: 'access', wid: claims.workspaceId, role: claims.role, fam: claims.familyId },
      claims.userId,
      randomUUID(),
      this.config.accessTokenTtlSec,
    );
  }

  signRefresh(claims: RefreshClaims): Promise<SignedToken> {
    return this.#sign(
      { typ: 'refresh', wid: claims.workspaceId, fam: claims.familyId },
      claims.userId,
      claims.tokenId,
      this.config.refreshTokenTtlSec,
    );
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    const payload = await this.#verify(token, 'access');
    const role = payload.role;
    if (typeof role !== 'string') throw invalid('access token has no role');
    return {
      userId: payload.sub,
      workspaceId: payload.wid,
      role: role as Role,
      familyId: payload.fam,
    };
  }

  async verifyRefresh(token: string): Promise<RefreshClaims> {
    const payload = await this.#verify(token, 'refresh');
    if (typeof payload.jti !== 'string') throw invalid('refresh token has no id');
    return {
      tokenId: payload.jti,
      familyId: payload.fam,
      userId: payload.sub,
      workspaceId: payload.wid,
    };
  }

  async #sign(
    claims: Record<string, unknown>,
    subject: string,
    id: string,
    ttlSec: number,
  ): Promise<SignedToken> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + ttlSec;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(this.config.issuer)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(id)
      .sign(this.#key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /**
   * The checked payload of `token`. Checking an HS256 signature through WebCrypto costs about
   * 100 µs and a dashboard sends the same token with every request, so a checked payload is
   * remembered (bounded, oldest forgotten first) and reused while it has not expired.
   */
  async #verifiedPayload(token: string): Promise<JWTPayload> {
    const known = this.#verified.get(token);
    if (known && (known.exp ?? 0) > Date.now() / 1000 - this.config.clockToleranceSec) {
      return known;
    }
    this.#verified.delete(token);
    const { payload } = await jwtVerify(token, this.#key, {
      algorithms: [ALGORITHM],
      issuer: this.config.issuer,
      audience: TOKEN_AUDIENCE,
      clockTolerance: this.config.clockToleranceSec,
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    if (this.#verified.size >= VERIFIED_TOKENS_KEPT) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(token, Object.freeze(payload));
    return payload;
  }

  async #verify(token: string, expectedType: 'access' | 'refresh') {
    try {
      const payload = await this.#verifiedPayload(token);
      if (payload.typ !== expectedType) throw invalid(`not an ${expectedType} token`);
      if (typeof payload.wid !== 'string' || typeof payload.fam !== 'string') {
        throw invalid('token lacks workspace or session claims');
      }
      return {
        ...payload,
        sub: payload.sub as string,
        wid: payload.wid,
        fam: payload.fam,
        role: payload.role,
      };
    } catch (error) {
      if (error instanceof PulseError) throw error;
      if (error instanceof errors.JWTExpired) {
        throw new PulseError('TOKEN_EXPIRED', `The ${expectedType} token has expired`);
      }
      throw invalid(error instanceof Error ? error.message : 'unreadable token');
    }
  }
}

function invalid(reason: string): PulseError {
  return new PulseError('TOKEN_INVALID', `Invalid token: ${reason}`);
}

/** Refresh tokens are stored only as a digest: a database leak does not leak sessions. */
export function digestToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
