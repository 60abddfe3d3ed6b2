import type { Expr } from './ast.ts';

/**
 * Returns the names of the `${name}` references in `expr`, each once, in
 * order of first appearance. References written inside string literals, as in
 * the second argument of jr:choice-name, are not included.
 */
export function references(expr: Expr): string[] {
  const names: string[] = [];
  const stack: Expr[] = [expr];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.kind === 'reference' && !names.includes(node.name)) names.push(node.name);
    if (node.kind === 'negate') stack.push(node.operand);
    if (node.kind === 'binary') stack.push(node.right, node.left);
    if (node.kind === 'call') stack.push(...[...node.args].reverse());
  }
  return names;
}
