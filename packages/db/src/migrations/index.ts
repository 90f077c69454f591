import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.js';
import * as ingestion from './0002_ingestion.js';
import * as analytics from './0003_analytics.js';
import * as dataHealth from './0004_data_health.js';
import * as historyAndSandbox from './0005_history_and_sandbox.js';
import * as spaces from './0006_spaces.js';
import * as commerceRollups from './0007_commerce_rollups.js';
import * as roomHourUsage from './0008_room_hour_usage.js';
import * as memberActivity from './0009_member_activity.js';
import * as eventIdsCleanupTrigger from './0010_event_ids_cleanup_trigger.js';
import * as memberGatherings from './0011_member_gatherings.js';
import * as qualityRollups from './0012_quality_rollups.js';

/**
 * Every migration, in order. A static list rather than a folder scan so the same set ships
 * in any bundle and runs identically on PostgreSQL and PGlite.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_ingestion': ingestion,
  '0003_analytics': analytics,
  '0004_data_health': dataHealth,
  '0005_history_and_sandbox': historyAndSandbox,
  '0006_spaces': spaces,
  '0007_commerce_rollups': commerceRollups,
  '0008_room_hour_usage': roomHourUsage,
  '0009_member_activity': memberActivity,
  '0010_event_ids_cleanup_trigger': eventIdsCleanupTrigger,
  '0011_member_gatherings': memberGatherings,
  '0012_quality_rollups': qualityRollups,
};
