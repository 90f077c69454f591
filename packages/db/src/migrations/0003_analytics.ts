import type { Kysely } from 'kysely';

// Frozen once landed: typed against Kysely<any> so later schema changes never break it.
// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function up(_db: Kysely<any>): Promise<void> {}

// biome-ignore lint/suspicious/noExplicitAny: frozen migration, see up().
export async function down(_db: Kysely<any>): Promise<void> {}
