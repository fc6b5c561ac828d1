import { matchesRequest, type RequestFilter } from './requestLog.js';

/**
 * One injected fault. It applies to matching requests before anything else (auth, rate limit), so a
 * faulted request spends no rate limit. Several fields combine: wait `latencyMs`, then drop or answer
 * `status`; with only `latencyMs` the request is then served normally.
 *
 * @example
 * fake.faults.inject({ status: 502, times: 2, method: 'POST', path: '/api/sessions' }); // two 502s, then normal
 */
export interface FaultSpec {
  /** Answer this status with `{"message"}` instead of serving the request (e.g. 500, 502, 503, 429). */
  status?: number;
  /** Wait this many real milliseconds first. */
  latencyMs?: number;
  /** Destroy the socket without any response (the client sees a network error). */
  drop?: boolean;
  /** Apply to this many matching requests, then disappear. Default: until `faults.clear()`. */
  times?: number;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /** Only this path: exact string (`'/api/sessions'`; a path without `/api` is taken as under it) or a RegExp. */
  path?: string | RegExp;
  /** `Retry-After` seconds to send with `status`. */
  retryAfter?: number;
  /** The `message` of the error body. Default: the status's reason phrase. */
  message?: string;
}

/**
 * Test control over fault injection (`fake.faults`).
 *
 * @example
 * fake.faults.inject({ status: 503, retryAfter: 2, times: 1, method: 'POST', path: '/api/sessions' });
 * fake.faults.inject({ drop: true, path: /^\/api\/me$/ });
 * fake.faults.clear();
 */
export interface FaultController {
  /** Adds a fault. The first matching fault (in order of injection) applies to a request. */
  inject(fault: FaultSpec): void;
  /** Removes every fault. */
  clear(): void;
  /** Faults still active, with their remaining `times`. */
  readonly active: readonly Readonly<FaultSpec>[];
}

/** @internal */
export class FaultInjector implements FaultController {
  private faults: FaultSpec[] = [];

  get active(): readonly Readonly<FaultSpec>[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  inject(fault: FaultSpec): void {
    const { status, latencyMs, drop, times, retryAfter } = fault;
    if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
      throw new TypeError('faults.inject: status must be an integer HTTP status (100-599)');
    }
    if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
      throw new TypeError('faults.inject: latencyMs must be a number >= 0');
    }
    if (times !== undefined && !(Number.isInteger(times) && times > 0)) throw new TypeError('faults.inject: times must be a positive integer');
    if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && retryAfter >= 0)) {
      throw new TypeError('faults.inject: retryAfter must be an integer >= 0');
    }
    if (status === undefined && !drop && latencyMs === undefined) {
      throw new TypeError('faults.inject: give at least one of status, drop or latencyMs');
    }
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes (and uses up one `times` of) the first fault matching the request. */
  take(method: string, path: string): FaultSpec | undefined {
    const filter = (fault: FaultSpec): RequestFilter => ({ method: fault.method, path: fault.path });
    const index = this.faults.findIndex((fault) => matchesRequest(filter(fault), method, path));
    const fault = this.faults[index];
    if (!fault) return undefined;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times === 0) this.faults.splice(index, 1);
    }
    return fault;
  }
}
