#!/usr/bin/env node
// Runs the hook tests on React 18 (the repository installs React 19). React 18.3.1 is installed
// with npm into node_modules/.react18 (once), then vitest runs with every `react`/`react-dom`
// import, from our sources (vite aliases) and from dependencies (a Node resolve hook), sent there.
//
//   node scripts/test-react18.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const repo = resolve(pkg, '../..');
const target = resolve(pkg, 'node_modules/.react18');

if (!existsSync(resolve(target, 'node_modules/react-dom/package.json'))) {
  mkdirSync(target, { recursive: true });
  writeFileSync(resolve(target, 'package.json'), '{ "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', 'react@18.3.1', 'react-dom@18.3.1'], { cwd: target, stdio: 'inherit' });
}

const result = spawnSync(
  process.execPath,
  [resolve(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--config', resolve(here, 'react18/vitest.config.ts')],
  {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, REACT18_DIR: resolve(target, 'node_modules'), NODE_OPTIONS: `--import ${resolve(here, 'react18/redirect.mjs')}` },
  },
);
process.exit(result.status ?? 1);
