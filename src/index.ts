export * from './catalog';
export * from './engine';
export * from './construct';
export * from './organizations';
export * from './check';
