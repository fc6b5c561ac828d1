#!/usr/bin/env node
// Makes a fresh clone usable with only Node 20+ and npm: fetches the pinned pnpm into .tools/,
// installs the workspace from the lockfile, and builds the packages once. Each step is skipped
// when its result is already there, so `npm test` and `npm run demo` stay fast after the first run.
// Arguments name more turbo tasks to run afterwards (`npm run typecheck`).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const toolsDir = join(root, '.tools');
const pnpmBin = join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`Node ${process.versions.node} is too old: this project needs Node 20 or newer.`);
  process.exit(1);
}

// turbo looks for the package manager's binary on PATH; the pinned pnpm lives in .tools/.
const env = {
  ...process.env,
  PATH: [join(toolsDir, 'node_modules', '.bin'), join(root, 'node_modules', '.bin'), process.env.PATH].join(':'),
};

function run(cmd, args, options = {}) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...options });
}

function ensurePnpm() {
  if (existsSync(pnpmBin)) return;
  console.log(`[bootstrap] installing pnpm ${pnpmVersion} into .tools/`);
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(join(toolsDir, 'package.json'), JSON.stringify({ private: true }) + '\n');
  // Not --ignore-scripts: pnpm's install script sets up the `pnpm` binary that turbo spawns.
  run('npm', ['install', '--prefix', toolsDir, '--no-audit', '--no-fund', '--save-exact', `pnpm@${pnpmVersion}`]);
}

function fingerprint(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(existsSync(file) ? readFileSync(file) : '');
  return hash.digest('hex');
}

function ensureInstall() {
  const lock = join(root, 'pnpm-lock.yaml');
  const stamp = join(root, 'node_modules', '.bootstrap-install');
  const want = fingerprint([lock, join(root, 'pnpm-workspace.yaml')]);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  console.log('[bootstrap] installing dependencies with pnpm');
  const frozen = existsSync(lock) ? ['--frozen-lockfile'] : [];
  run(process.execPath, [pnpmBin, 'install', ...frozen, '--config.confirmModulesPurge=false']);
  writeFileSync(stamp, want);
}

function ensureBuild() {
  if (process.env.PAYMO_SKIP_BUILD === '1') return;
  console.log('[bootstrap] building packages (turbo caches unchanged ones)');
  run(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only']);
}

/** `node scripts/bootstrap.mjs typecheck` runs further turbo tasks with the same PATH (turbo needs pnpm on it). */
function runTasks(tasks) {
  if (tasks.length === 0) return;
  run(join(root, 'node_modules', '.bin', 'turbo'), ['run', ...tasks, '--output-logs=errors-only']);
}

ensurePnpm();
ensureInstall();
ensureBuild();
runTasks(process.argv.slice(2));
