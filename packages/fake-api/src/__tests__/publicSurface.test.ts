import { describe, expect, it } from 'vitest';
import * as cli from '../cli.js';
import * as api from '../index.js';

describe('public surface', () => {
  it('the package exports exactly these names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_RATE_LIMIT",
        "DEFAULT_SESSION_LIFETIME_MS",
        "createClock",
        "createFakePaymo",
        "defaultSeed",
        "demoAccounts",
        "formatPaymoDate",
        "parseBasicAuthorization",
        "parsePaymoDate",
        "signWebhookBody",
      ]
    `);
  });
  it('the ./cli subpath exports exactly these names', () => {
    expect(Object.keys(cli).sort()).toMatchInlineSnapshot(`
      [
        "cliUsage",
        "describeFake",
        "parseCliArgs",
        "runCli",
      ]
    `);
  });
});
