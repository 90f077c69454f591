import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { Infra } from './index.js';
import { compareStreamIds, ZERO_STREAM_ID } from './stream.js';

const eventually = { timeout: 2_000, interval: 5 };
const uniqueKey = (label: string) => `${label}-${randomUUID()}`;
const roomy = { maxLength: 1_000, ttlMs: 10_000 };

/** The Stream behaviour both twins promise; part of the infra contract suite. */
export function describeStream(current: () => Infra, open: () => Promise<Infra>): void {
  describe('stream', () => {
    it('appends entries with increasing ids, each linked to the one before', async () => {
      const { stream } = current();
      const key = uniqueKey('chain');
      const appended = [];
      for (let n = 0; n < 5; n++) appended.push(await stream.append(key, { n }, roomy));
      expect(appended[0]?.previousId).toBeNull();
      for (let i = 1; i < appended.length; i++) {
        expect(appended[i]?.previousId).toBe(appended[i - 1]?.id);
        expect(compareStreamIds(appended[i]?.id ?? '', appended[i - 1]?.id ?? '')).toBeGreaterThan(
          0,
        );
      }
      const read = await stream.read(key, null, 10);
      expect(read).toEqual({
        entries: appended.map((entry, n) => ({ id: entry.id, data: { n } })),
        truncated: false,
        lastId: appended.at(-1)?.id,
      });
    });

    it('reads the entries after an id, a page at a time', async () => {
      const { stream } = current();
      const key = uniqueKey('pages');
      const ids: string[] = [];
      for (let n = 0; n < 7; n++) ids.push((await stream.append(key, n, roomy)).id);
      const page = async (after: string) => (await stream.read(key, after, 3)).entries;
      expect((await page(ids[2] as string)).map((e) => e.data)).toEqual([3, 4, 5]);
      expect((await page(ids[5] as string)).map((e) => e.data)).toEqual([6]);
      expect(await page(ids[6] as string)).toEqual([]);
      expect((await page(ZERO_STREAM_ID)).map((e) => e.data)).toEqual([0, 1, 2]);
      expect((await stream.read(key, ids[0] as string, 0)).entries).toEqual([]);
    });

    it('links concurrent appends into one chain in id order', async () => {
      const { stream } = current();
      const key = uniqueKey('concurrent');
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, n) => stream.append(key, n, roomy)),
      );
      const previousOf = new Map(appended.map((entry) => [entry.id, entry.previousId]));
      const { entries } = await stream.read(key, null, 100);
      expect(entries).toHaveLength(20);
      entries.forEach((entry, i) => {
        expect(previousOf.get(entry.id)).toBe(i === 0 ? null : entries[i - 1]?.id);
      });
    });

    it('trims to about maxLength and tells readers that fell behind', async () => {
      const { stream } = current();
      const key = uniqueKey('trim');
      const ids: string[] = [];
      // Sequential so `ids` is in append order; Redis trims whole nodes of ~100 entries.
      for (let n = 0; n < 250; n++)
        ids.push((await stream.append(key, n, { ...roomy, maxLength: 10 })).id);
      const held = await stream.read(key, null, 1_000);
      expect(held.entries.length).toBeGreaterThanOrEqual(10);
      expect(held.entries.length).toBeLessThan(250);
      expect(held.entries.at(-1)?.data).toBe(249);
      expect(held.truncated).toBe(false);
      expect((await stream.read(key, ids[0] as string, 10)).truncated).toBe(true);
      expect((await stream.read(key, ZERO_STREAM_ID, 10)).truncated).toBe(true);
      const firstHeld = held.entries[0]?.id as string;
      expect((await stream.read(key, firstHeld, 1)).truncated).toBe(false);
      const recent = await stream.read(key, ids[245] as string, 10);
      expect(recent).toMatchObject({ truncated: false, lastId: ids[249] });
      expect(recent.entries.map((e) => e.data)).toEqual([246, 247, 248, 249]);
    });

    it('treats a missing or expired key as unable to vouch for a reader’s past', async () => {
      const { stream } = current();
      const missing = uniqueKey('missing');
      expect(await stream.read(missing, null, 5)).toEqual({
        entries: [],
        truncated: false,
        lastId: null,
      });
      expect((await stream.read(missing, ZERO_STREAM_ID, 5)).truncated).toBe(false);
      expect((await stream.read(missing, '1700000000000-0', 5)).truncated).toBe(true);

      const key = uniqueKey('expiring');
      const { id: old } = await stream.append(key, 'old', { maxLength: 10, ttlMs: 60 });
      await vi.waitFor(
        async () => expect((await stream.read(key, null, 5)).lastId).toBeNull(),
        eventually,
      );
      const fresh = await stream.append(key, 'new', roomy);
      expect(fresh.previousId).toBeNull();
      const read = await stream.read(key, old, 5);
      expect(read.truncated).toBe(true); // the key began again after `old`
      expect(read.entries.map((e) => e.data)).toEqual(['new']);
    });

    it('round-trips JSON and hands out copies', async () => {
      const { stream } = current();
      const key = uniqueKey('json');
      await stream.append(key, { at: new Date(0), list: [1, null], dropped: undefined }, roomy);
      const first = await stream.read(key, null, 1);
      expect(first.entries[0]?.data).toEqual({ at: '1970-01-01T00:00:00.000Z', list: [1, null] });
      const copy = first.entries[0]?.data as { list: unknown[] };
      copy.list.push('mutated');
      expect((await stream.read(key, null, 1)).entries[0]?.data).toEqual({
        at: '1970-01-01T00:00:00.000Z',
        list: [1, null],
      });
    });

    it('keeps keys and instances apart', async () => {
      const other = await open();
      const key = uniqueKey('shared-name');
      await current().stream.append(key, 'mine', roomy);
      expect((await current().stream.read(uniqueKey('neighbour'), null, 5)).entries).toEqual([]);
      expect((await other.stream.read(key, null, 5)).entries).toEqual([]);
    });

    it('refuses malformed ids, limits, options and payloads', async () => {
      const { stream } = current();
      const key = uniqueKey('invalid');
      for (const id of ['', 'abc', '1-', '-1', '1-2-3', '99999999999999999-0']) {
        await expect(stream.read(key, id, 1)).rejects.toThrow(RangeError);
      }
      await expect(stream.read(key, null, -1)).rejects.toThrow(RangeError);
      await expect(stream.read(key, null, 1.5)).rejects.toThrow(RangeError);
      for (const options of [
        { maxLength: 0, ttlMs: 1_000 },
        { maxLength: 10, ttlMs: 0 },
      ]) {
        await expect(stream.append(key, 'x', options)).rejects.toThrow(RangeError);
      }
      await expect(stream.append(key, undefined, roomy)).rejects.toThrow(TypeError);
      expect((await stream.read(key, null, 5)).lastId).toBeNull();
    });
  });
}
