// What other domains (insights, assistants) reuse from commerce analytics.

export * from './anomalies.js';
export type * from './commerce.contract.js';
export * from './forecast.js';
export { computeKpis, type WindowKpis, windowKpis } from './kpis.service.js';
export type * from './series.contract.js';
export { parseSeries, resolveSeries, type SeriesSpec } from './series.js';
export { computeTrend, detectAnomalies, forecastSeries } from './series.service.js';
export { COMMERCE_CACHE_TOPIC, getCommerceSettings } from './settings.service.js';
export * from './statistics.js';
export { computeUserFeatures } from './user-features.service.js';
export * from './windows.js';
