import { SignJWT } from 'jose';

/** Hand-made JWTs for attacking the API: each differs from a real one in one respect. */
export async function craftToken(
  claims: Record<string, unknown>,
  options: {
    secret: string;
    alg?: 'HS256' | 'HS512';
    issuer?: string;
    audience?: string;
    expiresAt?: number;
    issuedAt?: number;
  },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer ?? 'pulse')
    .setAudience(options.audience ?? 'pulse-api')
    .setIssuedAt(options.issuedAt ?? now)
    .setExpirationTime(options.expiresAt ?? now + 600)
    .sign(new TextEncoder().encode(options.secret));
}

/** An unsigned token (`alg: none`), which a careless verifier would accept. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: 'pulse', aud: 'pulse-api', iat: now, exp: now + 600, ...claims })}.`;
}

export function decodePayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
