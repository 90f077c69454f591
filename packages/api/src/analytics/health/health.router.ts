/** Procedures of `analytics`; analytics.router.ts merges them into one namespace. */
export const healthProcedures = {};
