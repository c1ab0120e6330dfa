// A pull reader over pattern JSON that reports errors the way AWS does. EventBridge validates patterns with a
// streaming JSON parser (Jackson) and appends the reader's position to each message:
// `... at [Source: (String)"<pattern>"; line: L, column: C]`. The position is where the reader stands after the
// last token it consumed, so this reader consumes text in the same order: a field name also scans the start of
// its value, and a string value is read to its closing quote only once its text is asked for.

export type Token =
  | 'START_OBJECT'
  | 'END_OBJECT'
  | 'START_ARRAY'
  | 'END_ARRAY'
  | 'FIELD_NAME'
  | 'STRING'
  | 'NUMBER'
  | 'TRUE'
  | 'FALSE'
  | 'NULL'
  | 'EOF';

/** A pattern that is not valid; `message` is the reason, as AWS words it (without the "Event pattern..." lead). */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

const MAX_SOURCE_IN_MESSAGE = 500;
const VALUE_EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

interface Context {
  readonly kind: 'object' | 'array';
  /** Offset of the opening bracket, for "start marker" messages. */
  readonly start: number;
  entries: number;
}

export class PatternReader {
  private pos = 0;
  private readonly stack: Context[] = [];
  private token: Token = 'EOF';
  /** The value token already scanned after a field name, handed out by the next call. */
  private pending: Token | undefined;
  private name = '';
  /** Text of the current scalar (numbers, literals; strings once read). */
  private text = '';
  /** A string value whose closing quote has not been reached yet. */
  private stringOpen = false;

  constructor(private readonly src: string) {}

  /** Throws a PatternError with the reader's current location appended. */
  fail(message: string): never {
    throw new PatternError(`${message}\n at ${this.location(this.pos)}`);
  }

  currentName(): string {
    return this.name;
  }

  /** The text of the current token; for a string value this reads it to its closing quote. */
  getText(): string {
    switch (this.token) {
      case 'STRING':
        if (this.stringOpen) this.finishString();
        return this.text;
      case 'FIELD_NAME':
        return this.name;
      case 'NUMBER':
      case 'TRUE':
      case 'FALSE':
      case 'NULL':
        return this.text;
      case 'START_OBJECT':
        return '{';
      case 'END_OBJECT':
        return '}';
      case 'START_ARRAY':
        return '[';
      case 'END_ARRAY':
        return ']';
      case 'EOF':
        return 'null';
    }
  }

  nextToken(): Token {
    if (this.pending !== undefined) {
      const t = this.pending;
      this.pending = undefined;
      if (t === 'START_OBJECT' || t === 'START_ARRAY') this.push(t, this.pos - 1);
      return (this.token = t);
    }
    if (this.stringOpen) this.finishString();
    this.skipWhitespace();
    const ctx = this.stack[this.stack.length - 1];
    if (this.pos >= this.src.length) {
      if (ctx) {
        const kind = ctx.kind === 'object' ? 'Object' : 'Array';
        this.fail(
          `Unexpected end-of-input: expected close marker for ${kind} (start marker at ${this.location(ctx.start)})`,
        );
      }
      return (this.token = 'EOF');
    }
    let c = this.src.charCodeAt(this.pos);
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      const want = c === 0x7d ? 'object' : 'array';
      if (!ctx || ctx.kind !== want) {
        const ch = String.fromCharCode(c);
        if (!ctx) this.unexpected(c, 'expected a valid value ' + VALUE_EXPECTED);
        this.fail(
          `Unexpected close marker '${ch}': expected '${ctx.kind === 'object' ? '}' : ']'}' (for ${
            ctx.kind === 'object' ? 'Object' : 'Array'
          } starting at ${this.location(ctx.start)})`,
        );
      }
      this.pos++;
      this.stack.pop();
      return (this.token = c === 0x7d ? 'END_OBJECT' : 'END_ARRAY');
    }
    if (ctx && ctx.entries > 0) {
      if (c !== 0x2c /* , */) {
        this.pos++;
        this.unexpected(c, `was expecting comma to separate ${ctx.kind === 'object' ? 'Object' : 'Array'} entries`);
      }
      this.pos++;
      this.skipWhitespace();
      if (this.pos >= this.src.length) return this.nextToken();
      c = this.src.charCodeAt(this.pos);
    }
    if (ctx) ctx.entries++;
    if (ctx?.kind === 'object') {
      if (c !== 0x22 /* " */) {
        this.pos++;
        this.unexpected(c, 'was expecting double-quote to start field name');
      }
      this.pos++;
      this.name = this.readString();
      this.skipWhitespace();
      const colon = this.src.charCodeAt(this.pos);
      if (colon !== 0x3a /* : */) {
        if (this.pos >= this.src.length) this.nextToken();
        this.pos++;
        this.unexpected(colon, 'was expecting a colon to separate field name and value');
      }
      this.pos++;
      this.skipWhitespace();
      this.pending = this.scanValue();
      return (this.token = 'FIELD_NAME');
    }
    const t = this.scanValue();
    if (t === 'START_OBJECT' || t === 'START_ARRAY') this.push(t, this.pos - 1);
    return (this.token = t);
  }

  /** `[Source: (String)"..."; line: L, column: C]` for an offset in the text. */
  location(offset: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < this.src.length; i++) {
      const ch = this.src.charCodeAt(i);
      if (ch === 0x0a) {
        line++;
        lineStart = i + 1;
      } else if (ch === 0x0d && this.src.charCodeAt(i + 1) !== 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const shown =
      this.src.length > MAX_SOURCE_IN_MESSAGE
        ? `${this.src.slice(0, MAX_SOURCE_IN_MESSAGE)}"[truncated ${this.src.length - MAX_SOURCE_IN_MESSAGE} chars]`
        : `${this.src}"`;
    return `[Source: (String)"${shown}; line: ${line}, column: ${offset - lineStart + 1}]`;
  }

  private push(t: Token, start: number): void {
    this.stack.push({ kind: t === 'START_OBJECT' ? 'object' : 'array', start, entries: 0 });
  }

  private scanValue(): Token {
    if (this.pos >= this.src.length) return this.nextToken();
    const c = this.src.charCodeAt(this.pos);
    switch (c) {
      case 0x22:
        this.pos++;
        this.stringOpen = true;
        return 'STRING';
      case 0x7b:
        this.pos++;
        return 'START_OBJECT';
      case 0x5b:
        this.pos++;
        return 'START_ARRAY';
      case 0x74:
        return this.literal('true', 'TRUE');
      case 0x66:
        return this.literal('false', 'FALSE');
      case 0x6e:
        return this.literal('null', 'NULL');
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER_RE.lastIndex = this.pos;
      const m = NUMBER_RE.exec(this.src);
      const end = m ? this.pos + m[0].length : this.pos;
      const next = this.src.charCodeAt(end);
      if (!m || m[0] === '-' || (next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) {
        this.pos = end + 1;
        const shown = this.src.slice(this.pos - 1 - (m?.[0].length ?? 0), this.pos);
        this.fail(`Invalid numeric value: malformed number ${JSON.stringify(shown)}`);
      }
      this.text = m[0];
      this.pos = end;
      return 'NUMBER';
    }
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) this.unrecognized();
    this.pos++;
    return this.unexpected(c, 'expected a valid value ' + VALUE_EXPECTED);
  }

  private literal(word: string, t: Token): Token {
    if (this.src.startsWith(word, this.pos)) {
      const after = this.src.charCodeAt(this.pos + word.length);
      if (!isIdentifierChar(after)) {
        this.pos += word.length;
        this.text = word;
        return t;
      }
    }
    return this.unrecognized();
  }

  private unrecognized(): never {
    const start = this.pos;
    while (this.pos < this.src.length && isIdentifierChar(this.src.charCodeAt(this.pos))) this.pos++;
    this.fail(`Unrecognized token '${this.src.slice(start, this.pos)}': was expecting ${VALUE_EXPECTED}`);
  }

  private unexpected(c: number, expectation: string): never {
    if (Number.isNaN(c)) this.fail(`Unexpected end-of-input: ${expectation}`);
    const ch = String.fromCharCode(c);
    const shown = c < 0x20 ? `(CTRL-CHAR, code ${c})` : `'${ch}' (code ${c})`;
    this.fail(`Unexpected character (${shown}): ${expectation}`);
  }

  private finishString(): void {
    this.stringOpen = false;
    this.text = this.readString();
  }

  /** Reads string content from the current position (just past the opening quote) through the closing quote. */
  private readString(): string {
    const src = this.src;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= src.length) {
        this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      }
      const c = src.charCodeAt(this.pos);
      if (c === 0x22) {
        out += src.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        this.pos++;
        this.fail(
          `Illegal unquoted character ((CTRL-CHAR, code ${c})): ` +
            'has to be escaped using backslash to be included in string value',
        );
      }
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += src.slice(runStart, this.pos);
      const e = src.charCodeAt(this.pos + 1);
      this.pos += 2;
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const hex = src.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos += Math.min(4, hex.length);
            this.fail(
              'Unexpected character in character escape sequence: expected a hex-digit for character escape sequence',
            );
          }
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          if (Number.isNaN(e)) this.fail('Unexpected end-of-input in character escape sequence');
          this.fail(`Unrecognized character escape '${String.fromCharCode(e)}' (code ${e})`);
      }
      runStart = this.pos;
    }
  }

  private skipWhitespace(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }
}

function isIdentifierChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}
