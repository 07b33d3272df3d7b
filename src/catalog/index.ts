export * from './cis-control';
export * from './cis-pattern-set';
