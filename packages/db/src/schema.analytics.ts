// biome-ignore lint/suspicious/noEmptyInterface: filled in by this session's work on the domain.
export interface AnalyticsTables {}
