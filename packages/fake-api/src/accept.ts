/**
 * @internal Whether an `Accept` header lets the fake answer JSON. An absent or empty header means JSON
 * (paymo-api.md §3.1, READ); so do `application/json`, `application/*` and `*\/*` unless given q=0.
 */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';');
    const media = type.trim().toLowerCase();
    const quality = params.map((param) => param.trim().toLowerCase()).find((param) => param.startsWith('q='));
    if (quality !== undefined && Number(quality.slice(2)) === 0) continue;
    if (media === 'application/json' || media === 'application/*' || media === '*/*' || media === '*') return true;
  }
  return false;
}
