// The multi-instance suite (three app processes sharing sessions, sign-out, sign-out everywhere, one
// fleet-wide service-token renewal) on the three-master Redis Cluster the test run starts.
(globalThis as { paymoMultiInstanceOnCluster?: boolean }).paymoMultiInstanceOnCluster = true;
await import('./multiInstance.test.js');

export {};
