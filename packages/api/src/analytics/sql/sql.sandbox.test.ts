import { scopeTo } from '@pulse/db';
import { describe, expect, it } from 'vitest';
import { newWorkspace, useTestDatabase } from '../../history/database.test-suite.js';
import { runInSandbox } from './sql.queries.js';
import { ANALYST_VIEWS } from './sql.views.js';

// These statements skip the parser check on purpose: they show what the database role and the
// read-only transaction stop on their own, should a statement ever get past the parser.
describe('the SQL sandbox without the parser in front', () => {
  const database = useTestDatabase('sandbox');
  const run = (workspaceId: string, statement: string) =>
    runInSandbox(database(), {
      workspaceId,
      statement,
      views: ANALYST_VIEWS,
      limit: 10,
      timeoutMs: 2_000,
    });

  async function seed() {
    const [mine, theirs] = [await newWorkspace(database()), await newWorkspace(database())];
    for (const [workspace, ids] of [
      [mine, ['a', 'b']],
      [theirs, ['c', 'd', 'e']],
    ] as const) {
      await scopeTo(database().db, workspace)
        .insertInto(
          'events',
          ids.map((id) => ({ id, type: 'page_view', timestamp: new Date(), properties: '{}' })),
        )
        .execute();
    }
    return { mine, theirs };
  }

  it('reads the caller’s workspace through the views, typed, with truncation', async () => {
    const { mine } = await seed();
    const result = await run(mine, 'select id, 1::int8 as one from events order by id');
    expect(result).toEqual({
      columns: [
        { name: 'id', type: 'text' },
        { name: 'one', type: 'bigint' },
      ],
      rows: [
        ['a', 1],
        ['b', 1],
      ],
      truncated: false,
    });
  });

  // Denied outright, or invisible (no USAGE on the deployment's schema): either way, no rows.
  const NO_ACCESS = /permission denied|does not exist/;

  it('lets the analyst role read no table and call no privileged function', async () => {
    const { mine, theirs } = await seed();
    await expect(run(mine, 'select count(*) as n from users')).rejects.toMatchObject({
      domainCode: 'VALIDATION_FAILED',
      message: expect.stringMatching(NO_ACCESS),
    });
    await expect(
      run(mine, `select count(*) as n from workspaces where id = '${theirs}'`),
    ).rejects.toMatchObject({ message: expect.stringMatching(NO_ACCESS) });
    await expect(run(mine, "select pg_read_file('/etc/passwd') as secret")).rejects.toMatchObject({
      message: expect.stringMatching(/permission denied/),
    });
    // SET ROLE is checked against the session user, so it could be undone by a statement
    // allowed to call set_config: that is why the parser's allowlist leaves it out.
  });

  it('refuses writes through the read-only transaction', async () => {
    const { mine } = await seed();
    await expect(
      run(mine, "select set_config('transaction_read_only', 'off', true) as r"),
    ).rejects.toMatchObject({ domainCode: 'VALIDATION_FAILED' });
    const after = await run(mine, 'select count(*) as n from events');
    expect(after.rows).toEqual([[2]]);
  });
});
