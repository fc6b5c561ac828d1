export { RedisSessionStore } from './RedisSessionStore.js';
export type { RedisSessionStoreOptions } from './RedisSessionStore.js';
