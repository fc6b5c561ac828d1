// Node <-> Web translation and the request decisions shared by the Express and NestJS adapters (and plain node:http servers).
export { toWebRequest } from './toWebRequest.js';
export type { ToWebRequestOptions } from './toWebRequest.js';
export { sendWebResponse, appendSetCookies } from './sendWebResponse.js';
export { nodeRequestLike, requestUrl } from './nodeRequestLike.js';
export type { NodeRequest } from './nodeRequestLike.js';
export { nodeRequestContext } from './nodeRequestContext.js';
export type { FrameworkRequestFacts } from './nodeRequestContext.js';
export { ownsNodeRequest } from './ownsNodeRequest.js';
export { handleNodeRequest } from './handleNodeRequest.js';
export type { HandleNodeRequestOptions } from './handleNodeRequest.js';
export { handleBodyParserError } from './handleBodyParserError.js';
export { failClosedError } from './failClosedError.js';
export { userTypeError } from './userTypeError.js';
