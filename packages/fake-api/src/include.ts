import { resources, type ResourceName, type RuleContext } from './resources.js';
import type { Row } from './state.js';

/** @internal One level of an `include` request: whole object, or only some fields, plus nested includes. */
export interface IncludeNode {
  all: boolean;
  fields: Set<string>;
  children: Map<string, IncludeNode>;
}

const node = (): IncludeNode => ({ all: false, fields: new Set(), children: new Map() });

const MAX_INCLUDES = 20;
const MAX_INCLUDE_DEPTH = 4;

/** @internal No includes: the bare object. */
export const emptyInclude = node;

/**
 * @internal Parses `include=tasklists,tasklists.tasks,client.name` against a resource's documented
 * include keys ("Dependent objects" tables, READ includes.md). Keys the fake does not know are a 400,
 * not silently dropped.
 */
export function parseInclude(resource: ResourceName, text: string): { ok: true; tree: IncludeNode } | { ok: false; message: string } {
  const root = node();
  const paths = text.split(',').map((part) => part.trim()).filter(Boolean);
  // Bounded, so a cyclic include (project.tasklists.project.tasklists...) cannot multiply the work (INFERRED).
  if (paths.length > MAX_INCLUDES) return { ok: false, message: `At most ${MAX_INCLUDES} include keys` };
  for (const path of paths) {
    let current = resource;
    let at = root;
    const segments = path.split('.');
    if (segments.length > MAX_INCLUDE_DEPTH) return { ok: false, message: `Includes nest at most ${MAX_INCLUDE_DEPTH} levels: ${path.slice(0, 100)}` };
    for (const [index, segment] of segments.entries()) {
      const relation = resources[current].relations[segment];
      const last = index === segments.length - 1;
      if (relation) {
        let child = at.children.get(segment);
        if (!child) at.children.set(segment, (child = node()));
        if (last) child.all = true;
        at = child;
        current = relation.resource;
      } else if (index > 0 && last && knownField(current, segment)) {
        at.fields.add(segment);
      } else {
        return { ok: false, message: `Unknown include: ${path.slice(0, 100)}` };
      }
    }
  }
  return { ok: true, tree: root };
}

function knownField(resource: ResourceName, field: string): boolean {
  const fields = resources[resource].fields;
  return Object.keys(fields).length === 0 ? /^[a-z_]+$/.test(field) : field in fields && !(resources[resource].hidden ?? []).includes(field);
}

/** @internal A row as sent: hidden (write-only) fields removed, includes nested (parent: object or null, child: array). */
export function present(resource: ResourceName, row: Row, tree: IncludeNode, context: RuleContext): Row {
  const spec = resources[resource];
  const out: Row = { ...structuredClone(row) };
  for (const field of spec.hidden ?? []) delete out[field];
  for (const [key, child] of tree.children) {
    const relation = spec.relations[key]!;
    const target = resources[relation.resource];
    const shape = (related: Row): Row => {
      const full = present(relation.resource, related, child, context);
      if (child.all || child.fields.size === 0) return full;
      // Requested fields only: "the nested object holds only those fields" (READ includes.md).
      const picked: Row = {};
      for (const field of child.fields) picked[field] = full[field];
      for (const nested of child.children.keys()) picked[nested] = full[nested];
      return picked;
    };
    if (relation.kind === 'parent') {
      const related = row[relation.key] == null ? undefined : context.state.find(relation.resource as never, row[relation.key] as number);
      out[key] = related && target.canSee(related, context) ? shape(related) : null;
    } else {
      const rows = relation.resource === 'users' ? [] : context.state.table(relation.resource as never);
      out[key] = rows.filter((candidate) => candidate[relation.key] === row.id && target.canSee(candidate, context)).map(shape);
    }
  }
  return out;
}
