import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as ingestion from './0002_ingestion.js';

/**
 * Every migration, in order. A static list rather than a folder scan so the same set ships
 * in any bundle and runs identically on PostgreSQL and PGlite.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_ingestion': ingestion,
};
