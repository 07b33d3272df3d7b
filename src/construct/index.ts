export * from './cis-log-monitoring';
export * from './props';
