// Parses and validates pattern JSON into branches: each branch maps a field path to what it accepts, and the
// pattern matches when any branch does (`$or` multiplies branches out). The checks, their order and their messages
// follow AWS (InvalidEventPatternException reasons), so that a pattern AWS rejects is rejected here the same way.
import { wildcardComplexity } from './complexity.js';
import { FieldMatcher, NUMERIC_LIMIT, type Condition } from './conditions.js';
import { parseCidr, parseIp } from './ip.js';
import { PatternError, PatternReader, type Token } from './reader.js';
import { parseWildcard, type Wildcard } from './wildcard.js';

export interface BranchField {
  readonly path: readonly string[];
  readonly matcher: FieldMatcher;
}

/** One alternative of a pattern: every field must match. Keyed by the path's JSON text. */
export type Branch = Map<string, BranchField>;

/** How many alternatives `$or` may multiply a pattern into before it is refused as too complex (our own bound). */
export const MAX_BRANCHES = 1000;

/**
 * The most wildcard complexity (see complexity.ts) one field of a rule may have. AWS does not publish its limit; this
 * one accepts three `*:stack/NAME/*` values on a field (complexity 9) and refuses four (12), as AWS was seen to do.
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

const OR = '$or';
const RESERVED_IN_OR = new Set([
  'anything-but',
  'exists',
  'numeric',
  'prefix',
  'suffix',
  'cidr',
  'equals-ignore-case',
  'wildcard',
  'exactly',
]);

/** Parses pattern text into branches; throws PatternError with AWS's reason when it is not valid. */
export function compileBranches(text: string): Branch[] {
  const reader = new PatternReader(text);
  const branches: Branch[] = [];
  if (reader.nextToken() !== 'START_OBJECT') reader.fail('Filter is not an object');
  new Compiler(reader).object(branches, [], false);
  if (branches.length === 0) branches.push(new Map());
  checkWildcardComplexity(branches);
  return branches;
}

const TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';
const OUT_OF_RANGE = 'Value must be between -5.0E9 and 5.0E9, inclusive';

function checkWildcardComplexity(branches: readonly Branch[]): void {
  let byField: Map<string, Set<Wildcard>> | undefined;
  for (const branch of branches) {
    for (const [key, { matcher }] of branch) {
      for (const c of matcher.conditions) {
        if (c.kind !== 'wildcard') continue;
        byField ??= new Map();
        let set = byField.get(key);
        if (!set) {
          set = new Set();
          byField.set(key, set);
        }
        set.add(c.wildcard);
      }
    }
  }
  if (!byField) return;
  for (const wildcards of byField.values()) {
    if (wildcardComplexity([...wildcards], MAX_WILDCARD_COMPLEXITY + 1) > MAX_WILDCARD_COMPLEXITY) {
      throw new PatternError(TOO_COMPLEX);
    }
  }
}

class Compiler {
  constructor(private readonly r: PatternReader) {}

  /** The fields of an object, up to its closing brace, added to every branch. */
  object(branches: Branch[], path: readonly string[], insideOr: boolean): void {
    const r = this.r;
    let any = false;
    while (r.nextToken() !== 'END_OBJECT') {
      any = true;
      const name = r.currentName();
      if (name === OR) {
        this.or(branches, path);
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(name)) {
        r.fail(`${name} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
      }
      const t = r.nextToken();
      if (t === 'START_OBJECT') this.object(branches, [...path, name], insideOr);
      else if (t === 'START_ARRAY') this.values(branches, [...path, name]);
      else r.fail(`"${name}" must be an object or an array`);
    }
    if (!any) r.fail('Empty objects are not allowed');
  }

  private or(branches: Branch[], path: readonly string[]): void {
    const r = this.r;
    const before = branches.splice(0, branches.length);
    if (r.nextToken() !== 'START_ARRAY') r.fail(`It must be an Array followed with ${OR}.`);
    let count = 0;
    let t: Token;
    while ((t = r.nextToken()) !== 'END_ARRAY') {
      count++;
      if (t !== 'START_OBJECT') r.fail(`Only JSON object is allowed in array of ${OR} relationship.`);
      const alternative = before.length ? before.map((b) => new Map(b)) : [new Map<string, BranchField>()];
      this.object(alternative, path, true);
      for (const b of alternative) branches.push(b);
      if (branches.length > MAX_BRANCHES) r.fail('Rule is too complex');
    }
    if (count < 2) r.fail(`There must have at least 2 Objects in ${OR} relationship.`);
  }

  /** A field's array of values, up to its closing bracket. */
  private values(branches: Branch[], path: readonly string[]): void {
    const r = this.r;
    const m = new FieldMatcher();
    let count = 0;
    let t: Token;
    while ((t = r.nextToken()) !== 'END_ARRAY') {
      count++;
      switch (t) {
        case 'START_OBJECT':
          this.expression(m);
          break;
        case 'STRING': {
          const s = r.getText();
          const ip = parseIp(s);
          if (ip) m.conditions.push({ kind: 'ip', range: { v6: ip.v6, low: ip.value, high: ip.value } });
          else m.strings.add(s);
          break;
        }
        case 'NUMBER':
          m.numbers.push(Number(r.getText()));
          break;
        case 'TRUE':
          m.matchTrue = true;
          break;
        case 'FALSE':
          m.matchFalse = true;
          break;
        case 'NULL':
          m.matchNull = true;
          break;
        default:
          r.fail('Match value must be String, number, true, false, or null');
      }
    }
    if (count === 0) r.fail('Empty arrays are not allowed');
    if (branches.length === 0) branches.push(new Map());
    const key = JSON.stringify(path);
    for (const b of branches) b.set(key, { path, matcher: m });
  }

  /** One `{ "operator": ... }` object inside a field's array. */
  private expression(m: FieldMatcher): void {
    const r = this.r;
    if (r.nextToken() !== 'FIELD_NAME') r.fail('Match expression name not found');
    const op = r.currentName();
    switch (op) {
      case 'exactly': {
        m.strings.add(this.stringValue('exact match pattern must be a string'));
        this.closeExpression();
        return;
      }
      case 'prefix':
      case 'suffix': {
        const t = r.nextToken();
        if (t === 'START_OBJECT') {
          const label = op === 'prefix' ? 'Prefix' : 'Suffix';
          if (r.nextToken() !== 'FIELD_NAME') r.fail(`${label} expression name not found`);
          const inner = r.currentName();
          if (inner !== 'equals-ignore-case') r.fail(`Unsupported ${op} pattern: ${inner}`);
          if (r.nextToken() !== 'STRING') r.fail('equals-ignore-case match pattern must be a string');
          const s = r.getText();
          const kind = op === 'prefix' ? 'prefix-ic' : 'suffix-ic';
          m.conditions.push({ kind, lower: s.toLowerCase(), upper: s.toUpperCase() });
          this.closeExpression();
          this.closeExpression();
          return;
        }
        if (t !== 'STRING') r.fail(`${op} match pattern must be a string`);
        m.conditions.push({ kind: op, value: r.getText() });
        this.closeExpression();
        return;
      }
      case 'equals-ignore-case': {
        const s = this.stringValue('equals-ignore-case match pattern must be a string');
        m.conditions.push({ kind: 'equals-ic', lower: s.toLowerCase(), upper: s.toUpperCase() });
        this.closeExpression();
        return;
      }
      case 'wildcard': {
        const s = this.stringValue('wildcard match pattern must be a string');
        m.conditions.push({ kind: 'wildcard', wildcard: this.wildcard(s) });
        this.closeExpression();
        return;
      }
      case 'cidr': {
        const s = this.stringValue('prefix match pattern must be a string');
        let range;
        try {
          range = parseCidr(s);
        } catch (e) {
          // AWS reports CIDR errors without a position.
          throw new PatternError((e as Error).message);
        }
        m.conditions.push({ kind: 'ip', range });
        this.closeExpression();
        return;
      }
      case 'exists': {
        const t = r.nextToken();
        if (t === 'TRUE') m.existsTrue = true;
        else if (t === 'FALSE') m.existsFalse = true;
        else r.fail('exists match pattern must be either true or false.');
        this.closeExpression();
        return;
      }
      case 'numeric': {
        if (r.nextToken() !== 'START_ARRAY') r.fail('Value of numeric must be an array.');
        m.conditions.push(this.numeric());
        if (r.nextToken() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
        return;
      }
      case 'anything-but':
        m.conditions.push(this.anythingBut());
        return;
      default:
        r.fail(`Unrecognized match type ${op}`);
    }
  }

  private stringValue(message: string): string {
    if (this.r.nextToken() !== 'STRING') this.r.fail(message);
    return this.r.getText();
  }

  private closeExpression(): void {
    if (this.r.nextToken() !== 'END_OBJECT') this.r.fail('Only one key allowed in match expression');
  }

  private wildcard(s: string): Wildcard {
    try {
      return parseWildcard(s);
    } catch (e) {
      return this.r.fail((e as Error).message);
    }
  }

  /** `[op, n]` or `[">"|">=", n, "<"|"<=", n]`, from just inside the bracket through the closing one. */
  private numeric(): Condition {
    const r = this.r;
    if (r.nextToken() !== 'STRING') r.fail(`Invalid member in numeric match: ${r.getText()}`);
    const op = r.getText();
    const value = (): string => {
      if (r.nextToken() !== 'NUMBER') r.fail(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
      return r.getText();
    };
    const single = (): void => {
      if (r.nextToken() !== 'END_ARRAY') r.fail('Too many elements in numeric expression');
    };
    switch (op) {
      case '=': {
        const text = value();
        single();
        const n = this.checked(text);
        return { kind: 'numeric', low: n, lowOpen: false, high: n, highOpen: false };
      }
      case '<':
      case '<=': {
        const text = value();
        single();
        return { kind: 'numeric', low: -NUMERIC_LIMIT, lowOpen: false, high: this.checked(text), highOpen: op === '<' };
      }
      case '>':
      case '>=': {
        const lowText = value();
        const lowOpen = op === '>';
        const next = r.nextToken();
        if (next === 'END_ARRAY') {
          return { kind: 'numeric', low: this.checked(lowText), lowOpen, high: NUMERIC_LIMIT, highOpen: false };
        }
        return this.upperBound(next, lowText, lowOpen);
      }
      default:
        return r.fail(`Unrecognized numeric range operator: ${op}`);
    }
  }

  private upperBound(t: Token, lowText: string, lowOpen: boolean): Condition {
    const r = this.r;
    if (t !== 'STRING') r.fail(`Bad value in numeric range: ${r.getText()}`);
    const op = r.getText();
    if (op !== '<' && op !== '<=') r.fail(`Bad numeric range operator: ${op}`);
    if (r.nextToken() !== 'NUMBER') r.fail(`Value of ${op} must be numeric`);
    const highText = r.getText();
    if (r.nextToken() !== 'END_ARRAY') r.fail('Too many terms in numeric range expression');
    const low = this.checked(lowText);
    const high = this.checked(highText);
    if (low >= high) r.fail('Bottom must be less than top');
    return { kind: 'numeric', low, lowOpen, high, highOpen: op === '<' };
  }

  private checked(text: string): number {
    const v = Number(text);
    if (v < -NUMERIC_LIMIT || v > NUMERIC_LIMIT) this.r.fail(OUT_OF_RANGE);
    return v;
  }

  private anythingBut(): Condition {
    const r = this.r;
    type Kind = 'plain' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';
    let kind: Kind = 'plain';
    let t = r.nextToken();
    if (t === 'START_OBJECT') {
      if (r.nextToken() !== 'FIELD_NAME') r.fail('Anything-But expression name not found');
      const inner = r.currentName();
      switch (inner) {
        case 'equals-ignore-case':
        case 'prefix':
        case 'suffix':
        case 'wildcard':
          kind = inner;
          break;
        default:
          r.fail(`Unsupported anything-but pattern: ${inner}`);
      }
      t = r.nextToken();
    }
    if (t !== 'START_ARRAY' && t !== 'STRING' && t !== 'NUMBER') {
      r.fail('Value of anything-but must be an array or single string/number value.');
    }
    const condition = kind === 'plain' ? this.anythingButValues(t) : this.anythingButSet(t, kind);
    if (r.nextToken() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
    if (kind !== 'plain' && r.nextToken() !== 'END_OBJECT') r.fail('Too many elements in numeric expression');
    return condition;
  }

  /** `anything-but` with a value or a list of all-strings or all-numbers. */
  private anythingButValues(first: Token): Condition {
    const r = this.r;
    if (first === 'STRING') return { kind: 'anything-but', strings: new Set([r.getText()]) };
    if (first === 'NUMBER') {
      const v = Number(r.getText());
      // AWS reports this one without a position.
      if (v < -NUMERIC_LIMIT || v > NUMERIC_LIMIT) throw new PatternError(OUT_OF_RANGE);
      return { kind: 'anything-but-numbers', numbers: [v] };
    }
    const strings = new Set<string>();
    const numbers: number[] = [];
    let t: Token;
    while ((t = r.nextToken()) !== 'END_ARRAY') {
      if (t === 'STRING') strings.add(r.getText());
      else if (t === 'NUMBER') numbers.push(this.checked(r.getText()));
      else r.fail('Inside anything but list, start|null|boolean is not supported.');
    }
    if ((strings.size > 0) === (numbers.length > 0)) {
      r.fail('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    return strings.size > 0 ? { kind: 'anything-but', strings } : { kind: 'anything-but-numbers', numbers };
  }

  /** `anything-but` with `equals-ignore-case`, `prefix`, `suffix` or `wildcard`: a string or a list of strings. */
  private anythingButSet(first: Token, kind: 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard'): Condition {
    const r = this.r;
    const values: string[] = [];
    const take = (t: Token): void => {
      if (t !== 'STRING') {
        if (kind === 'equals-ignore-case') {
          r.fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
        }
        if (kind === 'wildcard') r.fail('wildcard match pattern must be a string');
        r.fail('prefix/suffix match pattern must be a string');
      }
      const s = r.getText();
      if ((kind === 'prefix' || kind === 'suffix') && s === '') r.fail('Null prefix/suffix not allowed');
      values.push(s);
    };
    if (first === 'START_ARRAY') {
      let t: Token;
      while ((t = r.nextToken()) !== 'END_ARRAY') take(t);
    } else {
      take(first);
    }
    switch (kind) {
      case 'equals-ignore-case':
        return {
          kind: 'anything-but-ic',
          lower: new Set(values.map((v) => v.toLowerCase())),
          upper: new Set(values.map((v) => v.toUpperCase())),
        };
      case 'prefix':
        return { kind: 'anything-but-prefix', values };
      case 'suffix':
        return { kind: 'anything-but-suffix', values };
      case 'wildcard':
        return { kind: 'anything-but-wildcard', wildcards: values.map((v) => this.wildcard(v)) };
    }
  }
}
