import { describe, expect, it } from 'vitest';
import * as publicApi from '../index.js';

describe('@paymo/auth-express public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(publicApi).sort()).toEqual(['getPaymoAuth', 'mountPaymoWebhook', 'paymoAuth', 'paymoAuthErrorHandler', 'paymoWebhook', 'requirePaymoAuth']);
  });
});
