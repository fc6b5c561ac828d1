import { parsePaymoDate } from './format.js';

type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'like' | 'not like' | 'in' | 'not in';

interface Condition {
  field: string;
  operator: Operator;
  values: string[];
}

const CONDITION = /^([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|!=|=|>|<|\s+not\s+like\s+|\s+like\s+|\s+not\s+in\s*|\s+in\s*)(.*)$/s;

/** Splits on ` and ` outside quotes and parentheses (conditions are joined with lowercase `and`). */
function splitConditions(where: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < where.length; i++) {
    const char = where[i];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth--;
    } else if (depth === 0 && /\s/.test(char ?? '') && /^\s+and\s+/.test(where.slice(i))) {
      parts.push(where.slice(start, i));
      const gap = /^\s+and\s+/.exec(where.slice(i))?.[0].length ?? 0;
      i += gap - 1;
      start = i + 1;
    }
  }
  parts.push(where.slice(start));
  return parts.map((part) => part.trim());
}

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0] ? v.slice(1, -1) : v;
}

function parseCondition(text: string): Condition | undefined {
  const match = CONDITION.exec(text);
  if (!match) return undefined;
  const [, field = '', rawOperator = '', rawValue = ''] = match;
  const operator = rawOperator.trim().replace(/\s+/g, ' ').toLowerCase() as Operator;
  if (operator === 'in' || operator === 'not in') {
    const list = /^\s*\((.*)\)\s*$/s.exec(rawValue);
    if (!list) return undefined;
    return { field, operator, values: (list[1] ?? '').split(',').map(unquote) };
  }
  if (rawValue.trim() === '') return undefined;
  return { field, operator, values: [unquote(rawValue)] };
}

/** Turns the item's field value and a filter literal into comparable values, or undefined if they cannot be. */
function comparable(actual: unknown, literal: string): [number | string | boolean | null, number | string | boolean | null] | undefined {
  // Any non-null value is simply "not null" here, so a stand-in string is enough to compare.
  // An absent field is not null: `end_time=null` finds running timers, not date+duration entries (READ entries.md).
  if (literal === 'null') return [actual === null ? null : 'set', null];
  if (actual === null || actual === undefined) return [null, literal];
  if (typeof actual === 'boolean') {
    if (literal === 'true' || literal === '1') return [actual, true];
    if (literal === 'false' || literal === '0') return [actual, false];
    return undefined;
  }
  if (typeof actual === 'number') {
    const number = Number(literal);
    return literal.trim() !== '' && Number.isFinite(number) ? [actual, number] : undefined;
  }
  if (typeof actual === 'string') {
    // Datetimes are compared as unix timestamps (paymo-api.md §3.2, READ).
    const ms = parsePaymoDate(actual);
    if (!Number.isNaN(ms) && /^\d+$/.test(literal)) return [ms / 1000, Number(literal)];
    return [actual, literal];
  }
  return undefined;
}

function likePattern(literal: string): RegExp {
  const escaped = literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return literal.includes('%') ? new RegExp(`^${escaped.replace(/%/g, '.*')}$`, 'is') : new RegExp(escaped, 'i');
}

function test(condition: Condition, item: Record<string, unknown>): boolean | undefined {
  const actual = item[condition.field];
  const { operator, values } = condition;
  if (operator === 'like' || operator === 'not like') {
    const hit = likePattern(values[0] ?? '').test(String(actual ?? ''));
    return operator === 'like' ? hit : !hit;
  }
  const pairs = values.map((literal) => comparable(actual, literal));
  if (pairs.some((pair) => pair === undefined)) return undefined;
  const [left, right] = pairs[0] as [unknown, unknown];
  switch (operator) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case 'in':
      return pairs.some((pair) => pair![0] === pair![1]);
    case 'not in':
      return pairs.every((pair) => pair![0] !== pair![1]);
    default: {
      if (left === null || right === null || typeof left !== typeof right) return false;
      const [a, b] = [left as number | string, right as number | string];
      return operator === '>' ? a > b : operator === '>=' ? a >= b : operator === '<' ? a < b : a <= b;
    }
  }
}

/** @internal Why a `where` cannot be parsed, or undefined when it can (fields are not checked). */
export function whereSyntaxError(where: string): string | undefined {
  if (where.trim() === '') return undefined;
  for (const text of splitConditions(where)) if (!parseCondition(text)) return `Invalid where condition: ${text.slice(0, 100)}`;
  return undefined;
}

/**
 * Applies a Paymo `where` filter (paymo-api.md §3.3: `=`, `!=`, `>`, `>=`, `<`, `<=`, `like`,
 * `not like`, `in (...)`, `not in (...)`, joined by ` and `) to a list. Unknown fields and values that
 * do not fit the field's type are a 400 (INFERRED).
 *
 * @example
 * applyWhere(users, 'active=true and type in (Admin,Employee)');
 */
export function applyWhere<T extends object>(
  items: readonly T[],
  where: string,
  /** The resource's documented fields; without it a field is known when some item has it. */
  knownFields?: readonly string[],
): { ok: true; items: T[] } | { ok: false; message: string } {
  if (where.trim() === '') return { ok: true, items: [...items] };
  const conditions: Condition[] = [];
  for (const text of splitConditions(where)) {
    const condition = parseCondition(text);
    if (!condition) return { ok: false, message: `Invalid where condition: ${text.slice(0, 100)}` };
    if (knownFields ? !knownFields.includes(condition.field) : !items.some((item) => condition.field in item)) {
      return { ok: false, message: `Unknown field in where: ${condition.field}` };
    }
    conditions.push(condition);
  }
  const kept: T[] = [];
  for (const item of items) {
    let keep = true;
    // Every condition is checked on every item, so a bad value is a 400 whatever the other conditions say.
    for (const condition of conditions) {
      const verdict = test(condition, item as Record<string, unknown>);
      if (verdict === undefined) return { ok: false, message: `Invalid value for ${condition.field} in where` };
      keep &&= verdict;
    }
    if (keep) kept.push(item);
  }
  return { ok: true, items: kept };
}
