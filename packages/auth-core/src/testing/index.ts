export { runSessionStoreConformance } from './runSessionStoreConformance.js';
export type { SessionStoreConformanceOptions } from './runSessionStoreConformance.js';
