export * from './cis-log-monitoring';
export * from './props';
export * from './cis-exclusion';
export * from './cis-severity-route';
export * from './cis-alarm-destination';
