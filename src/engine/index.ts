export * from './errors';
export * from './log-filter-pattern';
