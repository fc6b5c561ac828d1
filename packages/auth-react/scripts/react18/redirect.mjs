// Preloaded by test-react18.mjs: every bare import or require of react / react-dom resolves to React 18.
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { react18Paths } from './paths.mjs';

const map = react18Paths(process.env.REACT18_DIR);
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return map[request] ?? original.call(this, request, ...rest);
};
const urls = Object.fromEntries(Object.entries(map).map(([name, path]) => [name, pathToFileURL(path).href]));
register(
  'data:text/javascript,' +
    encodeURIComponent(`const map = ${JSON.stringify(urls)};
export async function resolve(specifier, context, next) {
  return map[specifier] ? { url: map[specifier], shortCircuit: true } : next(specifier, context);
}`),
);
