import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function memoryFor(cost: number, blockSize: number): number {
  // scrypt needs 128·N·r bytes; Node refuses above maxmem, so give it that plus headroom.
  return 128 * 2 ** cost * blockSize * 2;
}

/** scrypt (memory-hard), self-describing so the cost can rise without breaking old hashes. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await scryptAsync(password.normalize('NFKC'), salt, {
    N,
    r: BLOCK_SIZE,
    p: PARALLELISM,
    maxmem: memoryFor(cost, BLOCK_SIZE),
  });
  return [
    'scrypt',
    cost,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, costText, rText, pText, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !costText || !rText || !pText || !saltText || !keyText) return false;
  const cost = Number(costText);
  const blockSize = Number(rText);
  const expected = Buffer.from(keyText, 'base64');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(saltText, 'base64'), {
    N: 2 ** cost,
    r: blockSize,
    p: Number(pText),
    maxmem: memoryFor(cost, blockSize),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Spends the same time as a real check so a login for an unknown email cannot be told apart
 * by its latency.
 */
export async function burnPasswordCheck(password: string, cost: number): Promise<void> {
  await hashPassword(password, cost);
}
