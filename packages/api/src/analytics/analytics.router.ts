import { router } from '../trpc.js';
import { commerceProcedures } from './commerce/commerce.router.js';
import { healthProcedures } from './health/health.router.js';
import { sqlProcedures } from './sql/sql.router.js';

// One namespace for clients, three sub-areas in the code: commerce KPIs and statistics, data
// health, and analysts' SQL and questions.
export const analyticsRouter = router({
  ...commerceProcedures,
  ...healthProcedures,
  ...sqlProcedures,
});
