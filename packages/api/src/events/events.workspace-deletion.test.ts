import { scopeTo } from '@pulse/db';
import { describe, expect, it } from 'vitest';
import { newWorkspace, useTestDatabase } from '../history/database.test-suite.js';
import { type NewEvent, storeEventBatch } from './events.queries.js';

function event(id: string): NewEvent {
  return {
    id,
    type: 'page_view',
    timestamp: new Date(),
    userId: 'u1',
    anonymousId: null,
    sessionId: null,
    properties: {},
    propertiesJson: '{}',
    productId: null,
    price: null,
    quantity: null,
    currency: null,
  };
}

// Idempotency keys are not held to their workspace by a foreign key (it cost every ingested
// event a lookup); these are the guarantees that replaced it.
describe('idempotency keys and workspace deletion', () => {
  const database = useTestDatabase('event_ids');

  async function claimedIds(workspaceId: string): Promise<string[]> {
    const rows = await scopeTo(database().db, workspaceId)
      .selectFrom('event_ids')
      .select('id')
      .orderBy('id')
      .execute();
    return rows.map((row) => row.id);
  }

  it("deleting a workspace forgets its keys and keeps everyone else's", async () => {
    const [doomed, kept] = [await newWorkspace(database()), await newWorkspace(database())];
    const receivedAt = new Date();
    for (const workspaceId of [doomed, kept]) {
      await storeEventBatch(scopeTo(database().db, workspaceId), [event('a'), event('b')], {
        rejected: 0,
        receivedAt,
      });
    }
    await scopeTo(database().db, doomed).deleteWorkspace().execute();
    expect(await claimedIds(doomed)).toEqual([]);
    expect(await claimedIds(kept)).toEqual(['a', 'b']);
  });

  it('a batch for a workspace that does not exist fails whole and claims nothing', async () => {
    const gone = await newWorkspace(database());
    await scopeTo(database().db, gone).deleteWorkspace().execute();
    await expect(
      storeEventBatch(scopeTo(database().db, gone), [event('x')], {
        rejected: 0,
        receivedAt: new Date(),
      }),
    ).rejects.toThrow(/foreign key/);
    expect(await claimedIds(gone)).toEqual([]);
  });
});
