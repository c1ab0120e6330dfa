// CloudWatch Logs filter patterns (FilterLogEvents), as "Filter pattern syntax for metric filters, subscription
// filters, filter log events" describes them: text terms (AND), quoted phrases, `-term` exclusions, `?term` OR terms,
// `%regex%` terms, and JSON patterns `{ $.a.b[0] = "x*" && ($.n > 5 || $.f IS TRUE) }`. Matching is case-sensitive.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
import { LogsErrors } from './errors.js';

export type EventMatcher = (message: string) => boolean;

const MATCH_ALL: EventMatcher = () => true;

/** Compiles a filter pattern; throws InvalidParameterException when it cannot be parsed. */
export function compileFilterPattern(pattern: string | undefined): EventMatcher {
  const text = (pattern ?? '').trim();
  if (text === '' || text === '""') return MATCH_ALL;
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw invalidPattern();
    return compileJsonPattern(text.slice(1, -1));
  }
  if (text.startsWith('[')) {
    throw LogsErrors.invalidParameter(
      'Switchyard does not support space-delimited filter patterns ([w1, w2, ...]) yet: use text terms or a JSON pattern.',
    );
  }
  return compileTextPattern(text);
}

function invalidPattern(): Error {
  return LogsErrors.invalidParameter('Invalid filter pattern');
}

// ---- text patterns ----

interface Term {
  readonly kind: 'all' | 'any' | 'none';
  readonly test: (message: string) => boolean;
}

function compileTextPattern(text: string): EventMatcher {
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    let kind: Term['kind'] = 'all';
    if (c === '-' || c === '?') {
      kind = c === '-' ? 'none' : 'any';
      i++;
    }
    const start = text[i];
    let word: string;
    if (start === '"') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        out += text[j];
        j++;
      }
      if (j >= text.length) throw invalidPattern();
      word = out;
      i = j + 1;
    } else if (start === '%') {
      const end = text.indexOf('%', i + 1);
      if (end < 0) throw invalidPattern();
      let re: RegExp;
      try {
        re = new RegExp(text.slice(i + 1, end));
      } catch {
        throw invalidPattern();
      }
      terms.push({ kind, test: (m) => re.test(m) });
      i = end + 1;
      continue;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
      word = text.slice(i, j);
      i = j;
    }
    if (word === '') throw invalidPattern();
    terms.push({ kind, test: (m) => m.includes(word) });
  }
  const all = terms.filter((t) => t.kind === 'all');
  const any = terms.filter((t) => t.kind === 'any');
  const none = terms.filter((t) => t.kind === 'none');
  return (message) =>
    all.every((t) => t.test(message)) &&
    !none.some((t) => t.test(message)) &&
    (any.length === 0 || any.some((t) => t.test(message)));
}

// ---- JSON patterns ----

type Token =
  | { readonly type: 'op'; readonly value: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'word'; readonly value: string }
  | { readonly type: 'selector'; readonly path: readonly (string | number)[] };

type Predicate = (doc: unknown) => boolean;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['&&', '||', '!=', '<=', '>='].includes(two)) {
      tokens.push({ type: 'op', value: two });
      i += 2;
      continue;
    }
    if ('()=<>'.includes(c)) {
      tokens.push({ type: 'op', value: c });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        out += text[j];
        j++;
      }
      if (j >= text.length) throw invalidPattern();
      tokens.push({ type: 'string', value: out });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const path: (string | number)[] = [];
      let j = i + 1;
      for (;;) {
        if (text[j] === '.') {
          const m = /^[^\s.[\]()=!<>&|]+/.exec(text.slice(j + 1));
          if (!m) throw invalidPattern();
          path.push(m[0]);
          j += 1 + m[0].length;
        } else if (text[j] === '[') {
          const m = /^\[(\d+)\]/.exec(text.slice(j));
          if (!m) throw invalidPattern();
          path.push(Number(m[1]));
          j += m[0].length;
        } else break;
      }
      if (path.length === 0) throw invalidPattern();
      tokens.push({ type: 'selector', path });
      i = j;
      continue;
    }
    const m = /^[^\s()=!<>&|"]+/.exec(text.slice(i));
    if (!m) throw invalidPattern();
    const word = m[0];
    const n = Number(word);
    tokens.push(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(word) && Number.isFinite(n) ? { type: 'number', value: n } : { type: 'word', value: word });
    i += word.length;
  }
  return tokens;
}

function compileJsonPattern(body: string): EventMatcher {
  const tokens = tokenize(body);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (t: Token | undefined, value: string): boolean => t?.type === 'op' && t.value === value;
  const isWord = (t: Token | undefined, value: string): boolean => t?.type === 'word' && t.value.toUpperCase() === value;

  const parseOr = (): Predicate => {
    const parts = [parseAnd()];
    while (isOp(peek(), '||')) {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (doc) => parts.some((p) => p(doc));
  };
  const parseAnd = (): Predicate => {
    const parts = [parseUnary()];
    while (isOp(peek(), '&&')) {
      pos++;
      parts.push(parseUnary());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (doc) => parts.every((p) => p(doc));
  };
  const parseUnary = (): Predicate => {
    const t = peek();
    if (isOp(t, '(')) {
      pos++;
      const inner = parseOr();
      if (!isOp(peek(), ')')) throw invalidPattern();
      pos++;
      return inner;
    }
    if (t?.type !== 'selector') throw invalidPattern();
    pos++;
    const path = t.path;
    const next = peek();
    if (isWord(next, 'IS')) {
      pos++;
      const what = peek();
      pos++;
      if (isWord(what, 'NULL')) return (doc) => select(doc, path) === null;
      if (isWord(what, 'TRUE')) return (doc) => select(doc, path) === true;
      if (isWord(what, 'FALSE')) return (doc) => select(doc, path) === false;
      throw invalidPattern();
    }
    if (isWord(next, 'NOT')) {
      pos++;
      if (!isWord(peek(), 'EXISTS')) throw invalidPattern();
      pos++;
      return (doc) => select(doc, path) === undefined;
    }
    if (next?.type !== 'op' || !['=', '!=', '<', '>', '<=', '>='].includes(next.value)) throw invalidPattern();
    pos++;
    const value = peek();
    pos++;
    if (!value || value.type === 'op' || value.type === 'selector') throw invalidPattern();
    return comparison(path, next.value, value);
  };

  const predicate = parseOr();
  if (pos !== tokens.length) throw invalidPattern();
  // Only events that are JSON objects as a whole can match a JSON pattern.
  return (message) => {
    if (!message.trimStart().startsWith('{')) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return predicate(doc);
  };
}

function comparison(
  path: readonly (string | number)[],
  op: string,
  value: Extract<Token, { type: 'string' | 'number' | 'word' }>,
): Predicate {
  if (value.type === 'number') {
    const n = value.value;
    return (doc) => {
      const v = select(doc, path);
      if (typeof v !== 'number') return false;
      switch (op) {
        case '=':
          return v === n;
        case '!=':
          return v !== n;
        case '<':
          return v < n;
        case '>':
          return v > n;
        case '<=':
          return v <= n;
        default:
          return v >= n;
      }
    };
  }
  if (op !== '=' && op !== '!=') throw invalidPattern();
  const re = wildcard(value.value);
  const equal = (doc: unknown): boolean | undefined => {
    const v = select(doc, path);
    if (v === undefined || (v !== null && typeof v === 'object')) return undefined;
    return re.test(String(v));
  };
  return op === '=' ? (doc) => equal(doc) === true : (doc) => equal(doc) === false;
}

/** A string value with `*` wildcards, matched as a whole. */
function wildcard(text: string): RegExp {
  return new RegExp(`^${text.split('*').map(escapeRegExp).join('.*')}$`, 's');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function select(doc: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key] as unknown;
    } else {
      if (Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return cur;
}
