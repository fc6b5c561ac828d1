import { parsePaymoDate } from './format.js';
import type { FieldSpec } from './resources.js';

/**
 * @internal Checks one body value against its documented type. Form bodies carry text, so numbers,
 * booleans and lists are read from text there; JSON numbers as strings (`"123"`) are accepted too
 * (INFERRED: PHP clients send them). Anything else is a 400 with the field's name.
 */
export function coerce(name: string, spec: FieldSpec, value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const bad = { ok: false as const, message: `Invalid value for ${name}: expected ${spec.type}${spec.nullable ? ' or null' : ''}` };
  if (value === null) return spec.nullable ? { ok: true, value: null } : bad;
  switch (spec.type) {
    case 'integer': {
      const number = typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
      return Number.isSafeInteger(number) ? { ok: true, value: number } : bad;
    }
    case 'decimal': {
      const number = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      return typeof number === 'number' && Number.isFinite(number) ? { ok: true, value: number } : bad;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 'true' || value === '1' || value === 1) return { ok: true, value: true };
      if (value === 'false' || value === '0' || value === 0) return { ok: true, value: false };
      return bad;
    }
    case 'list': {
      const items = typeof value === 'string' ? (value === '' ? [] : value.split(',')) : value;
      if (!Array.isArray(items)) return bad;
      const ids: number[] = [];
      for (const item of items) {
        const number = typeof item === 'string' && /^\d{1,15}$/.test(item.trim()) ? Number(item) : item;
        if (!Number.isSafeInteger(number)) return bad;
        ids.push(number as number);
      }
      return { ok: true, value: [...new Set(ids)] };
    }
    case 'datetime':
      // Paymo datetimes are ISO 8601 UTC (READ datetime.md).
      return typeof value === 'string' && !Number.isNaN(parsePaymoDate(value)) ? { ok: true, value } : bad;
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? { ok: true, value } : bad;
    default:
      return typeof value === 'string' && value.length <= 65536 ? { ok: true, value } : bad;
  }
}
