export * from './catalog';
export * from './engine';
export * from './construct';
