// `wildcard` values: `*` matches any run of characters (none included); `\*` is a literal asterisk and `\\` a
// literal backslash; any other escape, and two asterisks in a row, are errors. AWS reports positions in UTF-8
// bytes, counted from the opening quote of the JSON string (so the first character is at position 1).

/** A parsed wildcard: the literal pieces between asterisks. `pieces.length` is one more than the number of `*`. */
export interface Wildcard {
  readonly pieces: readonly string[];
}

export function parseWildcard(text: string): Wildcard {
  const pieces: string[] = [];
  let current = '';
  let bytePos = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2a) {
      if (text.charCodeAt(i + 1) === 0x2a) throw new Error(`Consecutive wildcard characters at pos ${bytePos}`);
      pieces.push(current);
      current = '';
    } else if (c === 0x5c) {
      const next = text.charCodeAt(i + 1);
      if (next !== 0x2a && next !== 0x5c) throw new Error(`Invalid escape character at pos ${bytePos}`);
      current += String.fromCharCode(next);
      i++;
      bytePos++;
    } else {
      current += text[i];
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        current += text[i + 1];
        i++;
        bytePos += 3;
      } else {
        bytePos += c < 0x80 ? 0 : c < 0x800 ? 1 : 2;
      }
    }
    bytePos++;
  }
  pieces.push(current);
  return { pieces };
}

/** Whether `s` matches: the first piece anchors the start, the last the end, the middle ones are found greedily. */
export function wildcardMatches(w: Wildcard, s: string): boolean {
  const pieces = w.pieces;
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return s === first;
  const last = pieces[pieces.length - 1] ?? '';
  if (s.length < first.length + last.length) return false;
  if (!s.startsWith(first) || !s.endsWith(last)) return false;
  let pos = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? '';
    if (piece === '') continue;
    const at = s.indexOf(piece, pos);
    if (at < 0 || at + piece.length > end) return false;
    pos = at + piece.length;
  }
  return true;
}
