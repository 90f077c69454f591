import type { appRouter } from '@pulse/api';

type Caller = ReturnType<typeof appRouter.createCaller>;

const HOUR_MS = 3_600_000;
const PATHS = [
  '/',
  '/pricing',
  '/docs',
  '/blog/launch',
  '/product/sku-1',
  '/product/sku-2',
  '/cart',
];
const PRODUCTS = [
  { id: 'sku-1', price: 19 },
  { id: 'sku-2', price: 49 },
  { id: 'sku-3', price: 129 },
];

/** A small deterministic PRNG so every demo has the same shape (and no Math.random). */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A day of storefront activity and host metrics, ingested through the same procedures clients
 * use: ~3,000 events from 150 visitors with a daily rhythm, and CPU and latency points every
 * five minutes for three hosts. Timestamps end now, so live feeds and rollups have data at once.
 */
export async function seedDemoActivity(
  caller: Caller,
  now = Date.now(),
): Promise<{ events: number; points: number }> {
  const random = generator(20261123);
  const events = [];
  for (let i = 0; i < 3000; i += 1) {
    const hoursAgo = 24 * random() ** 1.6;
    const timestamp = new Date(now - hoursAgo * HOUR_MS - 1000).toISOString();
    const user = `visitor-${Math.floor(random() * 150)}`;
    const roll = random();
    const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)] ?? PRODUCTS[0];
    const base = {
      id: `demo-${i}`,
      timestamp,
      userId: user,
      sessionId: `${user}-${Math.floor(hoursAgo)}`,
    };
    if (roll < 0.72) {
      events.push({
        ...base,
        type: 'page_view',
        properties: { path: PATHS[Math.floor(random() * PATHS.length)] },
      });
    } else if (roll < 0.9) {
      events.push({
        ...base,
        type: 'add_to_cart',
        productId: product?.id,
        price: product?.price,
        quantity: 1,
      });
    } else if (roll < 0.97) {
      const quantity = 1 + Math.floor(random() * 3);
      events.push({
        ...base,
        type: 'purchase',
        productId: product?.id,
        price: product?.price,
        quantity,
        currency: 'EUR',
      });
    } else {
      events.push({
        ...base,
        type: 'checkout_error',
        properties: { code: random() < 0.5 ? 'card_declined' : 'timeout' },
      });
    }
  }
  for (let i = 0; i < events.length; i += 1000) {
    await caller.events.ingestBatch({ events: events.slice(i, i + 1000), partial: false });
  }

  const points = [];
  for (let step = 0; step < 288; step += 1) {
    const timestamp = new Date(now - (288 - step) * 5 * 60_000).toISOString();
    const daily = Math.sin((step / 288) * 2 * Math.PI);
    for (const host of ['web-1', 'web-2', 'worker-1']) {
      points.push({
        name: 'cpu',
        value: Math.round((45 + 25 * daily + 10 * random()) * 10) / 10,
        tags: { host },
        timestamp,
      });
      points.push({
        name: 'http.latency_ms',
        value: Math.round(80 + 40 * daily + 60 * random() ** 3),
        tags: { host },
        timestamp,
      });
    }
  }
  for (let i = 0; i < points.length; i += 1000) {
    await caller.metrics.recordBatch({ points: points.slice(i, i + 1000) });
  }
  return { events: events.length, points: points.length };
}
