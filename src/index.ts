/** What the package exports: the downstream contract's types (docs/redis.md). */
export type * from './store/contract-types.js';
