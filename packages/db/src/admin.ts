import pg from 'pg';

/**
 * Schema management outside any Kysely instance: used to give a deployment (or a test run)
 * its own schema inside a shared PostgreSQL database.
 */
export async function createSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (client) =>
    client.query(`create schema if not exists ${quoteIdent(schema)}`),
  );
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (client) =>
    client.query(`drop schema if exists ${quoteIdent(schema)} cascade`),
  );
}

async function withClient(
  url: string,
  work: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

export function quoteIdent(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
