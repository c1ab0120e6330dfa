// How hard a field's wildcard values are to match, measured as AWS does: the largest number of wildcard-pattern
// prefixes a single input value can keep alive at once, each counted for the patterns it can still complete.
// AWS refuses a rule whose wildcards exceed its limit ("Rule is too complex ..."); so do we.
import type { Wildcard } from './wildcard.js';

const STAR = -1;
/** Stop exploring once this many distinct sets of live prefixes have been seen; the answer is then a lower bound. */
const MAX_STATES = 2_000;

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  readonly parent: TrieNode | undefined;
  /** Whether this prefix ends with `*`, so that it stays alive on any character. */
  readonly star: boolean;
  /** Whether a pattern ends here. */
  ends: boolean;
  /** How many distinct patterns end at or below this node. */
  reach: number;
  readonly id: number;
}

/** The complexity of one field's wildcard values, capped at `cap`. */
export function wildcardComplexity(wildcards: readonly Wildcard[], cap: number): number {
  if (wildcards.length === 0) return 0;
  // Nodes in creation order: a parent always comes before its children, so reach is summed without recursion.
  const nodes: TrieNode[] = [];
  const node = (parent: TrieNode | undefined, star: boolean): TrieNode => {
    const n: TrieNode = { next: new Map(), parent, star, ends: false, reach: 0, id: nodes.length };
    nodes.push(n);
    return n;
  };
  const step = (n: TrieNode, c: number): TrieNode => {
    let m = n.next.get(c);
    if (!m) {
      m = node(n, c === STAR);
      n.next.set(c, m);
    }
    return m;
  };
  const root = node(undefined, false);
  const alphabet = new Set<number>();
  for (const w of wildcards) {
    let n = root;
    w.pieces.forEach((piece, i) => {
      if (i > 0) n = step(n, STAR);
      for (let j = 0; j < piece.length; j++) {
        const c = piece.charCodeAt(j);
        alphabet.add(c);
        n = step(n, c);
      }
    });
    n.ends = true;
  }
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n) continue;
    if (n.ends) n.reach++;
    if (n.parent) n.parent.reach += n.reach;
  }
  alphabet.add(0); // stands for every character no pattern names

  const closure = (set: Set<TrieNode>): Set<TrieNode> => {
    for (const n of set) {
      const star = n.next.get(STAR);
      if (star) set.add(star);
    }
    return set;
  };

  const start = closure(new Set([root]));
  const key = (s: Set<TrieNode>): string => [...s].map((n) => n.id).sort((a, b) => a - b).join(',');
  const seen = new Set<string>([key(start)]);
  const queue: Set<TrieNode>[] = [start];
  let max = 0;
  while (queue.length > 0 && seen.size < MAX_STATES) {
    const current = queue.shift() ?? new Set<TrieNode>();
    for (const c of alphabet) {
      const next = new Set<TrieNode>();
      for (const n of current) {
        if (n.star) next.add(n);
        const m = n.next.get(c);
        if (m) next.add(m);
      }
      closure(next);
      if (next.size === 0) continue;
      let size = 0;
      for (const n of next) size += n.reach;
      if (size >= cap) return cap;
      if (size > max) max = size;
      const k = key(next);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(next);
      }
    }
  }
  return max;
}
