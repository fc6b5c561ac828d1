import type { PaymoCredential } from '../credentials.js';
import { randomToken } from '../crypto.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { PaymoResponseMeta } from '../client/types.js';
import type { PaymoSessionResource, PaymoUser } from '../user.js';
import { cookieAttributes, isSecureRequest } from './authenticate.js';
import { readSessionCookie, serializeSessionCookie, sessionCookieName } from './cookies.js';
import { findCookieSession } from './cookieSession.js';
import { endCookieSession, endUpstreamSession } from './endSession.js';
import { fastSha256 } from './fastSha256.js';
import { jsonResponse } from './errorResponse.js';
import { readJsonBody } from './jsonBody.js';
import {
  LOCAL_SESSION_VERSION,
  absoluteExpiry,
  publicUser,
  sessionStoreKey,
  toPublicSession,
  type LocalSessionRecord,
} from './localSession.js';
import type { RouteInput } from './route.js';
import { sealToken } from './sealedToken.js';
import { createSessionRecord } from './sessionRecordStore.js';
import { capUserEntries } from './userEntryCap.js';
import { parseSignInBody } from './signInBody.js';
import { outcomeOfFailure, reserveAttempt } from './attemptLimit.js';
import { isUpstreamRejection, upstreamFailure } from './upstreamFailure.js';
import type { Engine } from './engineContext.js';

function signInFailure(error: unknown, credential: PaymoCredential): PaymoAuthError {
  if (isPaymoAuthError(error) && isUpstreamRejection(error)) {
    return new PaymoAuthError(
      'INVALID_CREDENTIALS',
      credential.type === 'apiKey' ? 'Paymo did not accept this API key.' : 'Paymo did not accept this email and password.',
    );
  }
  return upstreamFailure(error, 'signing in');
}

/** Ends a session this browser already had, so that signing in again leaves no orphan behind. */
async function endPreviousSession(engine: Engine, input: RouteInput, secure: boolean): Promise<void> {
  const lookup = readSessionCookie(input.request.headers.get('cookie'), sessionCookieName(engine.options.cookie.name, secure));
  if (lookup.kind !== 'present') return;
  try {
    const previous = await findCookieSession(engine, lookup.value);
    if (previous) await endCookieSession(engine, previous);
  } catch {
    // The new session does not depend on the old one being gone; the old one expires on its own.
  }
}

/**
 * `POST {basePath}/sign-in`: `{email,password}` or `{apiKey}` -> rate limits (store, before any upstream
 * call) -> `POST /sessions` with the credential (the password is used once, never stored) -> `GET /me`
 * with the new token -> a new local session under a fresh random cookie -> 200 `{session}` + Set-Cookie.
 */
export async function signIn(input: RouteInput): Promise<Response> {
  const { engine, request, context } = input;
  const body = await readJsonBody(request, engine.options.maxBodyBytes, context?.parsedBody);
  const credential = parseSignInBody(body);
  const attempt = await reserveAttempt(engine, credential, context?.clientIp);

  let created: PaymoSessionResource & { meta: PaymoResponseMeta };
  try {
    created = await engine.upstreamClient(credential).sessions.create();
  } catch (error) {
    const failure = signInFailure(error, credential);
    engine.log({ level: failure.code === 'INVALID_CREDENTIALS' ? 'info' : 'warn', message: 'Sign-in failed', code: failure.code });
    await attempt.settle(outcomeOfFailure(failure), failure.retryAfter);
    throw failure;
  }
  const token = created.id;

  let user: PaymoUser;
  try {
    user = await engine.upstreamClient({ type: 'session', token }).me();
  } catch (error) {
    void endUpstreamSession(engine, token, created.user_id);
    const failure = signInFailure(error, credential);
    await attempt.settle(outcomeOfFailure(failure), failure.retryAfter);
    throw failure;
  }
  if (user.active === false) {
    void endUpstreamSession(engine, token, user.id);
    engine.log({ level: 'info', message: 'Sign-in refused: archived Paymo user', code: 'INVALID_CREDENTIALS', userId: user.id });
    throw new PaymoAuthError('INVALID_CREDENTIALS', 'This Paymo user is archived and cannot sign in.');
  }

  // Paymo counted POST /sessions and GET /me in this user's window: so does the user's budget, or the
  // page's first burst of calls right after sign-in meets a 429.
  await engine.chargeQuota(user.id, 2);

  const secure = isSecureRequest(request, context);
  await endPreviousSession(engine, input, secure);

  const now = engine.now();
  const { session: policy } = engine.options;
  const paymoExpiry = Date.parse(created.expires_on);
  const record: LocalSessionRecord = {
    v: LOCAL_SESSION_VERSION,
    user: publicUser(user),
    createdAt: now,
    // Paymo's clock may differ from ours: move its expiry onto our clock with the measured skew.
    upstreamExpiresAt: Number.isFinite(paymoExpiry) ? paymoExpiry - created.meta.clockSkewMs : now + policy.maxAgeMs,
    ...(Number.isFinite(paymoExpiry) ? { upstreamExpiresOn: paymoExpiry } : {}),
    lastSeenAt: now,
    lastCheckedAt: now,
    token: '',
    strategy: 'cookie',
    signedInWith: credential.type === 'apiKey' ? 'api-key' : 'basic',
  };
  if (record.upstreamExpiresAt <= now) {
    void endUpstreamSession(engine, token, user.id);
    throw new PaymoAuthError('UPSTREAM_ERROR', 'Paymo returned a session that has already expired.');
  }

  // A fresh 256-bit value at every sign-in: a cookie planted before sign-in never becomes a session.
  const cookieValue = randomToken();
  record.token = await sealToken(cookieValue, token);
  const key = sessionStoreKey(await fastSha256(cookieValue));
  try {
    await createSessionRecord(engine, key, record);
  } catch (error) {
    void endUpstreamSession(engine, token, user.id);
    throw error;
  }
  // One account signing in in a loop must not fill the store: past the cap, its oldest sessions end.
  await capUserEntries(engine, user.id, 'sess:', policy.maxPerUser, key).catch(() => 0);

  await attempt.settle('succeeded');
  engine.log({ level: 'info', message: 'Signed in', userId: user.id });
  const cookie = serializeSessionCookie(cookieAttributes(engine, secure), cookieValue, absoluteExpiry(record, policy) - now);
  return jsonResponse(200, { session: toPublicSession(record, policy) }, [cookie]);
}
