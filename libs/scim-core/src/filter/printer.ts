// Canonical text for the RFC 7644 section 3.4.2.2 filter AST: lower-case operators, JSON literals,
// paths as written, and parentheses exactly where the tree needs them, so that
// parseFilter(printFilter(f)) deep-equals f for every f the parser produces.

import type { AttrPath, Filter, ScimValue } from './ast';

export function printAttrPath(p: AttrPath): string {
  const name = p.subAttr !== undefined ? `${p.attr}.${p.subAttr}` : p.attr;
  if (p.schema === undefined) return name;
  return name === '' ? p.schema : `${p.schema}:${name}`;
}

export function printValue(v: ScimValue): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  // JSON.stringify also covers true, false and null; strings get RFC 8259 escapes.
  return JSON.stringify(v);
}

const PRECEDENCE = { or: 1, and: 2 } as const;

function precedence(f: Filter): number {
  return f.kind === 'logical' ? PRECEDENCE[f.op] : 3;
}

export function printFilter(f: Filter): string {
  switch (f.kind) {
    case 'compare':
      return `${printAttrPath(f.path)} ${f.op} ${printValue(f.value)}`;
    case 'present':
      return `${printAttrPath(f.path)} pr`;
    case 'not':
      return `not (${printFilter(f.filter)})`;
    case 'valuePath':
      return `${printAttrPath(f.path)}[${printFilter(f.filter)}]`;
    case 'logical': {
      // Both operators parse left-associatively: a right operand of equal precedence needs
      // parentheses to keep its shape, a left one does not.
      const own = PRECEDENCE[f.op];
      const left = precedence(f.left) < own ? `(${printFilter(f.left)})` : printFilter(f.left);
      const right = precedence(f.right) <= own ? `(${printFilter(f.right)})` : printFilter(f.right);
      return `${left} ${f.op} ${right}`;
    }
  }
}
