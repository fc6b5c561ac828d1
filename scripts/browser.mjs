// Finds the Chromium the browser tests drive, and installs Debian's when there is none and apt-get can
// run. Nothing here downloads a browser build itself (a test tool's download host is not reachable, and a
// browser from an unknown build is not one we test). `npm test` calls ensureBrowser() before any test;
// the e2e tests call findBrowser() so a bare vitest run finds the same one.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** The usual places, in order, after $CHROMIUM_PATH: Debian/Ubuntu, Fedora, snap, then macOS apps. */
export const BROWSER_LOCATIONS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

const HOW_TO_GET_ONE =
  'The browser tests need Chromium or Chrome: install it (Debian/Ubuntu: `sudo apt-get install chromium`, ' +
  'macOS: `brew install --cask chromium`) or set CHROMIUM_PATH to its executable, then run `npm test` again.';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser to use: $CHROMIUM_PATH when set (and then only it: a wrong path is an error to report, not
 * to paper over), else the first executable of BROWSER_LOCATIONS. `undefined` when there is none.
 */
export function findBrowser(env = process.env) {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return BROWSER_LOCATIONS.find(isExecutable);
}

/** `[]` as root, `['sudo', '-n']` when password-less sudo works, else `undefined` (apt-get cannot run). */
function asRoot() {
  if (process.platform !== 'linux') return undefined;
  if (spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) return undefined;
  if (process.getuid?.() === 0) return [];
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : undefined;
}

function aptGet(prefix, args, log) {
  const [cmd, ...rest] = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
  const result = spawnSync(cmd, rest, { encoding: 'utf8' });
  if (result.status !== 0) log(`apt-get ${args.join(' ')} failed:\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-15).join('\n')}`);
  return result.status === 0;
}

/**
 * Returns the path of a usable browser, installing Debian's `chromium` with apt-get (as root or with
 * `sudo -n`) when none is found. Returns `{ error }` with one sentence saying how to get one otherwise.
 */
export function ensureBrowser({ env = process.env, log = (line) => console.log(`[browser] ${line}`) } = {}) {
  if (env.CHROMIUM_PATH && !isExecutable(env.CHROMIUM_PATH)) {
    return { error: `CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which is not an executable file. ${HOW_TO_GET_ONE}` };
  }
  const found = findBrowser(env);
  if (found) return { path: found };
  const prefix = asRoot();
  if (prefix === undefined) return { error: `No Chromium or Chrome found and apt-get cannot run here as root. ${HOW_TO_GET_ONE}` };
  log("no Chromium found: installing Debian's chromium with apt-get");
  const installed =
    aptGet(prefix, ['update', '-qq'], log) &&
    aptGet(prefix, ['install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=300', 'chromium'], log);
  const path = installed ? findBrowser(env) : undefined;
  if (path) return { path };
  return { error: `Installing Debian's chromium with apt-get did not give a browser. ${HOW_TO_GET_ONE}` };
}
