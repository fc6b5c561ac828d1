import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';

type AnyHandler = Pick<PaymoNodeHandler, 'answerBodyParserError'>;

interface Registry {
  /** Every handler `paymoAuth()` made (weakly held). */
  handlers: Set<WeakRef<AnyHandler>>;
  /** The handlers that served each Express app. */
  byApp: WeakMap<object, Set<AnyHandler>>;
}

// On globalThis under a registered symbol: an app that loads both the ESM and the CommonJS build of
// this package still has one registry.
const registryKey = Symbol.for('@paymo/auth-express/handlers');
const global = globalThis as { [registryKey]?: Registry };
const registry: Registry = (global[registryKey] ??= { handlers: new Set(), byApp: new WeakMap() });

export function registerHandler(handler: AnyHandler): void {
  registry.handlers.add(new WeakRef(handler));
}

/** Records that `handler` served `app` (so a parser error in that app goes to its own engine). */
export function rememberApp(app: object, handler: AnyHandler): void {
  let served = registry.byApp.get(app);
  if (served === undefined) registry.byApp.set(app, (served = new Set()));
  served.add(handler);
}

/**
 * Answers a body parser's error on an auth route: by the handlers that served this request's app, or,
 * when none has yet, by any registered handler whose basePath owns the path. False when none owns it.
 */
export async function answerParserErrorAnywhere(error: unknown, req: IncomingMessage & { app?: object }, res: ServerResponse): Promise<boolean> {
  const own = req.app === undefined ? undefined : registry.byApp.get(req.app);
  const candidates: AnyHandler[] = [];
  if (own !== undefined) candidates.push(...own);
  else {
    for (const ref of registry.handlers) {
      const handler = ref.deref();
      if (handler === undefined) registry.handlers.delete(ref);
      else candidates.push(handler);
    }
  }
  for (const handler of candidates) if (await handler.answerBodyParserError(error, req, res)) return true;
  return false;
}
