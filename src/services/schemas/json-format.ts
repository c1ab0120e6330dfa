// The JSON layout the schema registry writes: AWS's service serializes with Jackson, so schema documents come back
// pretty-printed as Jackson does (`"key" : value`, arrays on one line), and `required` lists come out in the order
// of a java.util.HashSet. Both are reproduced so that stored and generated content reads as AWS's does.

/** Jackson's DefaultPrettyPrinter layout. */
export function prettyJson(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, level: number): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => write(v, level)).join(', ')} ]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{ }';
    const inner = '  '.repeat(level + 1);
    const lines = keys.map((k) => `${inner}${JSON.stringify(k)} : ${write((value as Record<string, unknown>)[k], level + 1)}`);
    return `{\n${lines.join(',\n')}\n${'  '.repeat(level)}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of a java.util.HashSet<String> filled with `keys` in order: by bucket of the spread hash in
 * a table grown from 16 at load factor 0.75, insertion order within a bucket.
 */
export function javaHashSetOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string): number => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((e) => e.k);
}
