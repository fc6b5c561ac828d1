/** @internal A request body as field values: JSON object, or form-encoded pairs (values still text). */
export type ParsedBody = { ok: true; fields: Record<string, unknown>; form: boolean } | { ok: false; message: string };

/** Adds a form value: `key[]` and repeated keys make a list. */
function addField(fields: Record<string, unknown>, rawKey: string, value: string): void {
  const list = rawKey.endsWith('[]');
  const key = list ? rawKey.slice(0, -2) : rawKey;
  if (list) fields[key] = [...((fields[key] as string[] | undefined) ?? []), value];
  else fields[key] = value;
}

/**
 * Text fields of a `multipart/form-data` body: what PHP's curl sends for `CURLOPT_POSTFIELDS` with an
 * array, as in the docs' own post.php sample (READ sections/samples). File parts are refused: the fake
 * stores no files.
 */
function parseMultipart(body: string, contentType: string): ParsedBody {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return { ok: false, message: 'multipart/form-data without a boundary' };
  const fields: Record<string, unknown> = {};
  const parts = body.split(`--${marker}`);
  if (parts.length < 3 || !parts.at(-1)!.startsWith('--')) return { ok: false, message: 'Malformed multipart/form-data body' };
  for (const part of parts.slice(1, -1)) {
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) return { ok: false, message: 'Malformed multipart/form-data body' };
    const head = part.slice(0, split);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return { ok: false, message: 'A multipart/form-data part has no name' };
    if (/\bfilename=/i.test(disposition)) return { ok: false, message: 'File uploads are not supported by the fake' };
    addField(fields, name, part.slice(split + 4).replace(/\r\n$/, ''));
  }
  return { ok: true, fields, form: true };
}

/**
 * @internal Parses a create/update body: `application/x-www-form-urlencoded` as form pairs (`users[]=1`
 * and `users=1,2` both make a list), anything else as JSON (an empty body is `{}`). Paymo's docs send
 * JSON; form bodies are what the docs' PHP samples and curl `-d` send (3RD-PARTY).
 */
export function parseBody(body: string, contentType: string | undefined): ParsedBody {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const fields: Record<string, unknown> = {};
    for (const [rawKey, value] of new URLSearchParams(body)) addField(fields, rawKey, value);
    return { ok: true, fields, form: true };
  }
  if (type === 'multipart/form-data') return parseMultipart(body, contentType ?? '');
  if (body.trim() === '') return { ok: true, fields: {}, form: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, message: 'Request body is not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, message: 'Request body must be a JSON object' };
  return { ok: true, fields: parsed as Record<string, unknown>, form: false };
}
