export * from './catalog';
export * from './engine';
