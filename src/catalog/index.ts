export * from './cis-control';
export * from './cis-pattern-set';
export * from './cis-severity';
