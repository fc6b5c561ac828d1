// Only run by scripts/test-react18.mjs: proves that run really renders with React 18.
// @vitest-environment happy-dom
import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, it } from 'vitest';

it('runs on React 18', () => {
  expect([version, domVersion]).toEqual(['18.3.1', '18.3.1']);
});
