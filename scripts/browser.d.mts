// Types for scripts/browser.mjs, which the e2e tests import.
export declare const BROWSER_LOCATIONS: readonly string[];
export declare function findBrowser(env?: NodeJS.ProcessEnv): string | undefined;
export declare function ensureBrowser(options?: {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): { path: string; error?: undefined } | { path?: undefined; error: string };
