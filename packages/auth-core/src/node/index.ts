// Node <-> Web translation shared by the Express and NestJS adapters (and plain node:http servers).
export { toWebRequest } from './toWebRequest.js';
export type { ToWebRequestOptions } from './toWebRequest.js';
export { sendWebResponse, appendSetCookies } from './sendWebResponse.js';
export { nodeRequestLike, requestUrl } from './nodeRequestLike.js';
export type { NodeRequest } from './nodeRequestLike.js';
export { handleNodeRequest, nodeRequestContext } from './handleNodeRequest.js';
export type { HandleNodeRequestOptions } from './handleNodeRequest.js';
