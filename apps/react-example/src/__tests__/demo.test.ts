import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run demo` after its install and build steps (`npm test` has built everything): the script starts
// the fake Paymo API, the Express example serving this React app, and the Nest example; its own check
// passes; the printed URL serves the app; and SIGINT (Ctrl-C) leaves no process behind.

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const demoScript = join(root, 'scripts/demo.mjs');

/** The pids of a process's direct children (Linux /proc). */
function childPids(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo', () => {
  it('starts the demo stack, checks sign-in on both examples, serves the app at the printed URL, and stops everything on Ctrl-C', async () => {
    // Port 0: free ports, so a demo a person is running (or a busy 3000) does not matter.
    const demo = spawn(process.execPath, [demoScript], {
      cwd: root,
      env: { ...process.env, PAYMO_FAKE_PORT: '0', EXPRESS_PORT: '0', NEST_PORT: '0', DEMO_VERBOSE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let servers: number[] = [];
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      demo.once('exit', (code, signal) => resolve({ code, signal })),
    );

    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the demo did not finish starting within 60 s:\n${output}`)), 60_000);
        const check = () => {
          if (!output.includes('Ctrl-C stops everything.')) return;
          clearTimeout(timer);
          resolve();
        };
        demo.stdout.on('data', check);
        void exited.then(() => reject(new Error(`the demo exited while starting:\n${output}`)));
      });

      expect(output.match(/✓/g)?.length, output).toBe(6);
      expect(output).not.toContain('✗');
      expect(output).toContain('michael@dundermifflin.com   worlds-best-boss');
      const appUrl = /Open (http:\/\/127\.0\.0\.1:\d+)\/ in a browser \(the React example/.exec(output)?.[1];
      const nestUrl = /curl -u \S+ (http:\/\/127\.0\.0\.1:\d+)\/me/.exec(output)?.[1];
      const paymoUrl = /Fake Paymo API: +(http:\/\/127\.0\.0\.1:\d+\/api)/.exec(output)?.[1];
      expect(appUrl && nestUrl && paymoUrl, output).toBeTruthy();

      const page = await fetch(`${appUrl}/`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<div id="root"></div>');
      const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
      expect((await fetch(`${appUrl}${script}`)).status).toBe(200);
      expect(await (await fetch(`${nestUrl}/auth/session`)).json()).toEqual({ session: null });
      // The printed curl line works when pasted at once, at Paymo's default quota, right after the checks.
      const curlUser = /curl -u (\S+) http/.exec(output)?.[1];
      const me = await fetch(`${nestUrl}/me`, { headers: { authorization: `Basic ${Buffer.from(curlUser!).toString('base64')}` } });
      expect(me.status, await me.clone().text()).toBe(200);

      servers = childPids(demo.pid!);
      expect(servers).toHaveLength(3);

      demo.kill('SIGINT'); // what Ctrl-C sends (to the demo alone here: it must stop its children itself)
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(servers.filter(isRunning)).toEqual([]);
      for (const url of [appUrl, nestUrl, `${paymoUrl}/me`]) {
        await expect(fetch(url!, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
      }
    } finally {
      // Whatever failed above, leave nothing running.
      if (demo.exitCode === null && demo.signalCode === null) servers = [...servers, ...childPids(demo.pid!)];
      for (const pid of servers) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      demo.kill('SIGKILL');
    }
  }, 90_000);
});
