import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createFakePaymo, defaultSeed, demoAccounts, type FakePaymo } from '@paymo/fake-api';
import { findBrowser } from '../../../../scripts/browser.mjs';

// The demo stack in a real Chromium: the BUILT React example served by the BUILT Express example
// (`apps/express-example/dist/server.js`, the same process `npm run demo` starts), in front of the fake
// Paymo API running in this process so the test controls Paymo's clock. `npm test` builds first.

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const chromiumPath: string | undefined = findBrowser();
const reactDist = join(root, 'apps/react-example/dist');
const expressServer = join(root, 'apps/express-example/dist/server.js');
const screenshotPath = join(root, 'test-artifacts/react-signed-in.png');
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Generous: a loaded 2-core machine can take seconds to render a state; nothing waits for a fixed time. */
const UI_TIMEOUT = 15_000;
const DAY = 86_400_000;

const { admin, employee } = demoAccounts;

let fake: FakePaymo;
let server: { url: string; child: ChildProcess; output: string[] };
let browser: Browser;

/** The Express example as a child process on a free port; resolves once it says where it listens. */
function startExpressExample(env: Record<string, string>): Promise<typeof server> {
  const child = spawn(process.execPath, [expressServer], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Express example did not start within 20 s:\n${output.join('')}`)), 20_000);
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const url = /Express example on (http:\/\/[\d.]+:\d+)/.exec(output.join(''))?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child, output });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the Express example exited (${signal ?? code}) before listening:\n${output.join('')}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Set when the stack cannot start; every test then fails with it (a failing beforeAll only skips them). */
let setupError: Error | undefined;

beforeAll(async () => {
  try {
    if (!chromiumPath) {
      throw new Error(
        'No Chromium found (CHROMIUM_PATH, then the usual Linux and macOS locations). `npm test` installs ' +
          "Debian's chromium when it can; the browser tests never download a browser.",
      );
    }
    for (const built of [join(reactDist, 'index.html'), expressServer]) {
      if (!existsSync(built)) throw new Error(`${built} is not built: run \`npm test\` (it builds first) or \`npm run build\`.`);
    }
    // Looser than Paymo's 5 per 5 s, on purpose: this stack re-checks the Paymo session on every request
    // (PAYMO_REVALIDATE_AFTER_MS=1, below), so one page load spends the real quota on re-checks alone, and a
    // 429 met there is remembered for its Retry-After: the server then rightly keeps serving the session
    // as `degraded` instead of asking Paymo, and a sign-out's DELETE waits for the window. These tests are
    // about the browser's flows and expiry; the quota has its own tests (quota.test.ts, quotaFleet.test.ts)
    // and `npm run demo` runs at the default quota.
    fake = await createFakePaymo({ rateLimit: { limit: 1_000, decayPeriodSeconds: 5 } });
    // Re-check the Paymo session on every request, so a session that expired by Paymo's clock is seen at
    // once (the default, 60 s, is the documented bound for noticing it).
    server = await startExpressExample({ PAYMO_API_URL: fake.url, STATIC_DIR: reactDist, PAYMO_REVALIDATE_AFTER_MS: '1' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  } catch (error) {
    setupError = error as Error;
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server) await stopChild(server.child);
  await fake?.close();
});

/** Everything the browser received, to search for secrets afterwards. */
interface Received {
  url: string;
  status: number;
  headers: string;
  body: string | null;
}

let context: BrowserContext;
let pages: Page[];
let received: Promise<Received>[];
let pageErrors: string[];

async function openPage(origin = server.url): Promise<Page> {
  const page = await context.newPage();
  pages.push(page);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('response', (response) => {
    received.push(
      (async () => ({
        url: response.url(),
        status: response.status(),
        headers: JSON.stringify(await response.headersArray()),
        body: await response.text().catch(() => null),
      }))(),
    );
  });
  await page.goto(origin + '/');
  return page;
}

beforeEach(async () => {
  if (setupError) throw setupError;
  context = await browser.newContext({ viewport: { width: 1000, height: 860 } });
  pages = [];
  received = [];
  pageErrors = [];
});

afterEach(async () => {
  if (setupError) return;
  try {
    await expectNoSecretsInBrowser();
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
    fake.clock.reset();
    fake.rateLimit.reset();
  }
});

/**
 * Every token the fake issued: `sessions.list()` has the live and expired ones; ended ones left it,
 * but their ids are in the request log's paths (`DELETE /api/sessions/<id>`), as Paymo names them.
 */
function issuedTokens(): string[] {
  const ids = new Set(fake.sessions.list().map((session) => session.id));
  for (const { path } of fake.requests) {
    const id = /^\/api\/sessions\/([0-9a-f]{32})$/.exec(path)?.[1];
    if (id) ids.add(id);
  }
  return [...ids];
}

/**
 * Every Paymo token the fake ever issued (live, ended or expired) must be absent from cookies, storage and every response the pages received, headers and bodies.
 * Passwords and API keys must be absent from storage, cookies and the auth/API answers too.
 */
async function expectNoSecretsInBrowser(): Promise<void> {
  const tokens = issuedTokens();
  expect(tokens.length).toBeGreaterThan(0);
  const credentials = Object.values(demoAccounts).flatMap((account) => [account.password, account.apiKey]);
  const responses = await Promise.all(received);
  const apiResponses = responses.filter((r) => /\/(auth|api)\//.test(new URL(r.url).pathname));
  // The search must have had something to search: the pages did talk to the auth routes.
  expect(apiResponses.length).toBeGreaterThan(0);
  expect(apiResponses.filter((r) => r.body === null).map((r) => r.url)).toEqual([]);

  for (const { url, headers, body } of responses) {
    for (const token of tokens) {
      expect(headers.includes(token), `a Paymo token in the headers of ${url}`).toBe(false);
      expect(body?.includes(token) ?? false, `a Paymo token in the body of ${url}`).toBe(false);
    }
  }
  for (const { url, headers, body } of apiResponses) {
    for (const secret of credentials) {
      expect(`${headers}${body}`.includes(secret), `a password or API key in the answer of ${url}`).toBe(false);
    }
  }
  for (const cookie of await context.cookies()) {
    expect(cookie.httpOnly, `cookie ${cookie.name} is HttpOnly`).toBe(true);
    for (const secret of [...tokens, ...credentials]) expect(cookie.value.includes(secret)).toBe(false);
  }
  for (const page of pages.filter((p) => !p.isClosed())) {
    const visible = await page.evaluate(() =>
      JSON.stringify({ cookie: document.cookie, local: { ...localStorage }, session: { ...sessionStorage } }),
    );
    for (const secret of [...tokens, ...credentials]) {
      expect(visible.includes(secret), 'a secret in document.cookie, localStorage or sessionStorage').toBe(false);
    }
  }
}

const byTestId = (page: Page, id: string) => page.getByTestId(id);
const waitVisible = (page: Page, id: string) => byTestId(page, id).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
const text = async (page: Page, id: string) => (await byTestId(page, id).textContent({ timeout: UI_TIMEOUT }))?.trim();

async function signInWithPassword(page: Page, email: string, password: string): Promise<void> {
  await waitVisible(page, 'sign-in-form');
  await byTestId(page, 'sign-in-email').fill(email);
  await byTestId(page, 'sign-in-password').fill(password);
  await byTestId(page, 'sign-in-submit').click();
}

async function signInWithApiKey(page: Page, apiKey: string): Promise<void> {
  await waitVisible(page, 'sign-in-form');
  await byTestId(page, 'sign-in-mode-api-key').click();
  await byTestId(page, 'sign-in-api-key').fill(apiKey);
  await byTestId(page, 'sign-in-submit').click();
}

/** Waits for the signed-in page: the user's name and the Paymo clients fetched through the server. */
async function expectSignedInAs(page: Page, name: string): Promise<void> {
  await waitVisible(page, 'user-name');
  expect(await text(page, 'user-name')).toBe(name);
  await waitVisible(page, 'clients-list');
  const clients = await byTestId(page, 'client').allTextContents();
  // The seed's active and inactive clients, as Paymo lists them to this user.
  expect(clients.map((c) => c.split(' · ')[0])).toEqual(defaultSeed().clients.map((c) => c.name));
}

// Per test: generous for a loaded machine; a passing run takes a few seconds each.
describe('the React example in Chromium, served by the Express example, on the fake Paymo API', { timeout: 60_000 }, () => {
  it('signs in with email and password, shows the user and their Paymo clients, and stays signed in across a reload', async () => {
    const page = await openPage();
    await signInWithPassword(page, admin.email, admin.password);
    await expectSignedInAs(page, admin.name);
    expect(await text(page, 'user-email')).toBe(admin.email);
    expect(await text(page, 'session-expires-in')).toMatch(/^(\d+d )?\d+h \d\dm \d\ds$/);
    await waitVisible(page, 'sessions-list');
    expect(await byTestId(page, 'session').count()).toBe(1);
    // The clients came from Paymo with the user's own session, through the server.
    expect(fake.countRequests({ method: 'GET', path: '/api/clients' })).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.path === '/api/clients').every((r) => r.auth === 'session' && r.userId === admin.id)).toBe(true);

    mkdirSync(join(root, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(`screenshot of the signed-in page: ${screenshotPath}`);

    // Reload: still signed in, and the sign-in form never shows in between (no flash of signed-out UI).
    await page.evaluate(() => {
      sessionStorage.setItem('e2e-watch', '1');
    });
    await page.addInitScript(() => {
      if (sessionStorage.getItem('e2e-watch') !== '1') return;
      const seen = { signInForm: false, loading: false };
      (window as unknown as { e2eSeen: typeof seen }).e2eSeen = seen;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="sign-in-form"]')) seen.signInForm = true;
        if (document.querySelector('[data-testid="auth-loading"]')) seen.loading = true;
      }).observe(document, { childList: true, subtree: true });
    });
    await page.reload();
    await expectSignedInAs(page, admin.name);
    const seen = await page.evaluate(() => (window as unknown as { e2eSeen?: { signInForm: boolean; loading: boolean } }).e2eSeen);
    expect(seen).toEqual({ signInForm: false, loading: true });
    await page.evaluate(() => sessionStorage.removeItem('e2e-watch'));
  });

  it('signs in with an API key', async () => {
    const page = await openPage();
    await signInWithApiKey(page, employee.apiKey);
    await expectSignedInAs(page, employee.name);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === '/api/sessions' && r.auth === 'apiKey' && r.userId === employee.id)).toBe(true);
  });

  it('says in words that a password or an API key was wrong, and keeps neither in the form', async () => {
    const page = await openPage();
    await signInWithPassword(page, admin.email, 'not-the-password');
    await waitVisible(page, 'sign-in-error');
    expect(await text(page, 'sign-in-error')).toBe('Wrong email or password. Please try again.');
    expect(await byTestId(page, 'sign-in-password').inputValue()).toBe('');
    expect(await byTestId(page, 'sign-in-email').inputValue()).toBe(admin.email);

    await signInWithApiKey(page, 'X'.repeat(44));
    await waitVisible(page, 'sign-in-error');
    expect(await text(page, 'sign-in-error')).toBe('Paymo did not accept that API key. Check it in Paymo under My Account → API keys.');
    expect(await byTestId(page, 'sign-in-api-key').inputValue()).toBe('');
    await waitVisible(page, 'sign-in-form');
  });

  it('signing in and out in one tab is followed by the other tab of the same browser', async () => {
    const first = await openPage();
    const second = await openPage();
    await waitVisible(second, 'sign-in-form');
    const before = new Set(fake.sessions.list(admin.id).map((s) => s.id));

    await signInWithPassword(first, admin.email, admin.password);
    await expectSignedInAs(first, admin.name);
    await expectSignedInAs(second, admin.name); // no reload: the other tab was told

    await byTestId(second, 'sign-out').click();
    await waitVisible(second, 'sign-in-form');
    await waitVisible(first, 'sign-in-form');
    expect(await byTestId(first, 'user-name').count()).toBe(0);
    // Signed out for real: the server has no session for this browser, and Paymo's session is ended.
    expect(await first.evaluate(() => fetch('/auth/session').then((r) => r.json()))).toEqual({ session: null });
    expect(fake.sessions.list(admin.id).filter((s) => !before.has(s.id))).toEqual([]);
  });

  it('a Paymo session that expired (Paymo clock +32 days) ends in the browser too, with a message, after a reload', async () => {
    const page = await openPage();
    await signInWithPassword(page, employee.email, employee.password);
    await expectSignedInAs(page, employee.name);

    fake.clock.advance(32 * DAY); // past Paymo's 31-day session lifetime, by Paymo's own clock
    await page.reload();
    await waitVisible(page, 'sign-in-form');
    await waitVisible(page, 'session-notice');
    expect(await text(page, 'session-notice')).toBe('Your session expired. Please sign in again.');
    expect(await byTestId(page, 'user-name').count()).toBe(0);
  });

  it("shows the user's Paymo projects and tasks through the proxy, and after a sign-out and another user's sign-in, only theirs", async () => {
    /** What Paymo itself lists for this user (asked directly, with the user's API key). */
    const paymoProjects = async (apiKey: string) => {
      const res = await fetch(`${fake.url}/projects?include=tasks`, {
        headers: { authorization: `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}`, accept: 'application/json' },
      });
      expect(res.status).toBe(200);
      const { projects } = (await res.json()) as { projects: Array<{ name: string; tasks?: Array<{ name: string }> }> };
      return { names: projects.map((p) => p.name).sort(), tasks: projects.flatMap((p) => (p.tasks ?? []).map((t) => t.name)).sort() };
    };
    const shown = async (page: Page) => ({
      names: (await byTestId(page, 'project-name').allTextContents()).map((name) => name.trim()).sort(),
      tasks: (await byTestId(page, 'task').allTextContents()).map((task) => task.split(' · ')[0]!.trim()).sort(),
    });
    const adminSees = await paymoProjects(admin.apiKey);
    const employeeSees = await paymoProjects(employee.apiKey);
    const adminOnly = adminSees.names.filter((name) => !employeeSees.names.includes(name));
    // The test means something only if the two users see different projects, and tasks exist.
    expect(adminOnly.length).toBeGreaterThan(0);
    expect(adminSees.tasks.length).toBeGreaterThan(0);

    const page = await openPage();
    await signInWithPassword(page, admin.email, admin.password);
    await expectSignedInAs(page, admin.name);
    await waitVisible(page, 'projects-list');
    expect(await shown(page)).toEqual(adminSees);
    // Through the proxy, as the signed-in user: no route of the app's own, and no token in the page.
    expect(fake.requests.some((r) => r.path === '/api/projects' && r.auth === 'session' && r.userId === admin.id)).toBe(true);

    // From here on, every project name the page ever renders is recorded.
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { e2eProjectsSeen: Set<string> }).e2eProjectsSeen = seen;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid="project-name"]')) seen.add(el.textContent?.trim() ?? '');
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await byTestId(page, 'sign-out').click();
    await waitVisible(page, 'sign-in-form');
    expect(await byTestId(page, 'project').count()).toBe(0);
    await page.evaluate(() => (window as unknown as { e2eProjectsSeen: Set<string> }).e2eProjectsSeen.clear());

    await signInWithPassword(page, employee.email, employee.password);
    await expectSignedInAs(page, employee.name);
    if (employeeSees.names.length > 0) await waitVisible(page, 'projects-list');
    expect(await shown(page)).toEqual(employeeSees);
    const everSeen = await page.evaluate(() => [...(window as unknown as { e2eProjectsSeen: Set<string> }).e2eProjectsSeen]);
    // Never the previous user's projects, not even for a frame.
    expect(everSeen.filter((name) => adminOnly.includes(name))).toEqual([]);
  });

  it("clicks through the demo at Paymo's real quota (5 per 5 s): signed in, clients, projects and tasks, a reload, no error and no 429 from Paymo", async () => {
    // Its own stack, as `npm run demo` runs it: the fake's default quota and the default re-check interval.
    const realQuotaFake = await createFakePaymo();
    const demo = await startExpressExample({ PAYMO_API_URL: realQuotaFake.url, STATIC_DIR: reactDist });
    try {
      const page = await openPage(demo.url);
      await signInWithPassword(page, admin.email, admin.password);
      for (let load = 0; load < 2; load++) {
        if (load === 1) await page.reload(); // a second page load in the same quota window
        await waitVisible(page, 'user-name');
        expect(await text(page, 'user-name')).toBe(admin.name);
        await waitVisible(page, 'clients-list');
        await waitVisible(page, 'projects-list');
        expect(await byTestId(page, 'task').count()).toBeGreaterThan(0);
        expect(await page.locator('[role="alert"]').allTextContents()).toEqual([]);
      }
      // The budget held what did not fit in Paymo's window instead of sending it into a 429.
      expect(realQuotaFake.requests.filter((r) => r.status === 429)).toEqual([]);
      const sessionsBefore = new Set(realQuotaFake.sessions.list(admin.id).map((session) => session.id));
      expect(sessionsBefore.size).toBeGreaterThan(0);
      await byTestId(page, 'sign-out').click();
      await waitVisible(page, 'sign-in-form');
      // Sign-out answers at once. Its DELETE is sent at once too, and in a window the page already
      // filled it meets Paymo's 429 and is sent again after Retry-After: the Paymo session still ends.
      await expect.poll(() => realQuotaFake.sessions.list(admin.id).filter((session) => sessionsBefore.has(session.id)), { timeout: 20_000 }).toEqual([]);
      expect(realQuotaFake.requests.filter((r) => r.status === 429 && r.method !== 'DELETE')).toEqual([]);
    } finally {
      await stopChild(demo.child);
      await realQuotaFake.close();
    }
  });

  it('an open tab returns to the sign-in form with the expiry message when its session runs out', async () => {
    await context.clock.install();
    const page = await openPage();
    await signInWithPassword(page, admin.email, admin.password);
    await expectSignedInAs(page, admin.name);
    const before = fake.requests.length;

    // A day and more passes for Paymo and for the browser; the tab's expiry timer asks the server,
    // which asks Paymo, whose clock says the session is over.
    fake.clock.advance(32 * DAY);
    await page.clock.fastForward(32 * DAY);
    await waitVisible(page, 'session-notice');
    expect(await text(page, 'session-notice')).toBe('Your session expired. Please sign in again.');
    await waitVisible(page, 'sign-in-form');
    expect(await byTestId(page, 'clients-list').count()).toBe(0);
    // Not only this tab's opinion: Paymo refused the token as expired (in this test, not an earlier
    // one's), and the server ended the session.
    const since = fake.requests.slice(before);
    expect(since.some((r) => r.path.startsWith('/api/sessions/') && r.status === 401 && r.reason === 'expired_session')).toBe(true);
    expect(await page.evaluate(() => fetch('/auth/session').then((r) => r.json()))).toEqual({ session: null });
  });
});

