import { expect } from 'vitest';
import { type Account, registerOwner } from './accounts.js';
import { rest, type TestServer } from './harness.js';

export interface ShopEvent {
  id: string;
  type: string;
  at: string;
  userId?: string;
  anonymousId?: string;
  productId?: string;
  price?: number;
  quantity?: number;
  properties?: Record<string, unknown>;
}

/** [question, expected answer, expected rows] */
export type AskFixture = [string, string, unknown[][]];

export async function ingest(server: TestServer, account: Account, events: ShopEvent[]) {
  const response = await rest(server, 'POST', '/events/batch', {
    token: account.accessToken,
    body: { events: events.map(({ at, ...event }) => ({ ...event, timestamp: at })) },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

export interface Shop {
  owner: Account;
  /** An instant of today (UTC), never in the future. */
  todayAt: string;
  /** 22:00 UTC yesterday. */
  yesterdayAt: string;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * A small shop with hand-countable numbers. Today: u1 u2 u3 and anonymous a1 view a page,
 * u1 adds p2 to the cart, u1 buys 2 × p1 at 10, u2 buys p2 at 5.5 (no quantity). Yesterday:
 * u4 u5 u6 u7 view a page and u4 buys 1 × p1 at 10.
 */
export async function seedShop(server: TestServer): Promise<Shop> {
  const owner = await registerOwner(server, 'shop');
  const now = Date.now();
  const dayStart = Math.floor(now / DAY) * DAY;
  const todayAt = new Date(Math.max(dayStart, now - 60_000)).toISOString();
  const yesterdayAt = new Date(dayStart - 2 * HOUR).toISOString();
  const today = (id: string, event: Omit<ShopEvent, 'id' | 'at'>) => ({
    id,
    at: todayAt,
    ...event,
  });
  const yesterday = (id: string, event: Omit<ShopEvent, 'id' | 'at'>) => ({
    id,
    at: yesterdayAt,
    ...event,
  });
  await ingest(server, owner, [
    today('e01', { type: 'page_view', userId: 'u1' }),
    today('e02', { type: 'page_view', userId: 'u2' }),
    today('e03', { type: 'page_view', userId: 'u3' }),
    today('e04', { type: 'page_view', anonymousId: 'a1' }),
    today('e05', { type: 'add_to_cart', userId: 'u1', productId: 'p2' }),
    today('e06', { type: 'purchase', userId: 'u1', productId: 'p1', price: 10, quantity: 2 }),
    today('e07', { type: 'purchase', userId: 'u2', productId: 'p2', price: 5.5 }),
    yesterday('e08', { type: 'page_view', userId: 'u4' }),
    yesterday('e09', { type: 'page_view', userId: 'u5' }),
    yesterday('e10', { type: 'page_view', userId: 'u6' }),
    yesterday('e11', { type: 'page_view', userId: 'u7' }),
    yesterday('e12', { type: 'purchase', userId: 'u4', productId: 'p1', price: 10, quantity: 1 }),
  ]);
  return { owner, todayAt, yesterdayAt };
}
