/**
 * Reads a JWT's payload without verifying it: the SDK only needs `exp` to know when to refresh.
 * Never trust these claims for anything else; the server verifies every token.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(base64UrlToBytes(parts[1])));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** When the token expires according to its `exp` claim; `undefined` if it has none. */
export function jwtExpiresAt(token: string): Date | undefined {
  const exp = decodeJwtPayload(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : undefined;
}

/** Decodes unpadded (or padded) base64url; throws on anything else. */
export function base64UrlToBytes(text: string): Uint8Array {
  const unpadded = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(unpadded) || unpadded.length % 4 === 1) {
    throw new TypeError('not base64url');
  }
  const base64 = unpadded.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
