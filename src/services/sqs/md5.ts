// The digests SQS returns: MD5 of the body, and MD5 of message (or system) attributes in AWS's binary encoding:
// for each attribute sorted by name, length-prefixed (4-byte big-endian) name and data type, a transport byte
// (1 string/number, 2 binary), then the length-prefixed value.
import { hash } from 'node:crypto';

export interface AttributeValue {
  readonly DataType?: string | undefined;
  readonly StringValue?: string | undefined;
  readonly BinaryValue?: Uint8Array | undefined;
}

export function md5Hex(text: string): string {
  // One-shot hash (Node 20.12+): no Hash object per message on the send path.
  return hash('md5', text, 'hex');
}

export function md5OfAttributes(attributes: Readonly<Record<string, AttributeValue>>): string {
  // Hand-written: hot path (every send with attributes). Measure, then encode into one buffer and hash it once,
  // instead of a Hash object fed many small buffers.
  const names = Object.keys(attributes).sort();
  let size = 0;
  for (const name of names) {
    const a = attributes[name] as AttributeValue;
    const type = a.DataType ?? '';
    size += 4 + Buffer.byteLength(name, 'utf8') + 4 + Buffer.byteLength(type, 'utf8') + 1 + 4;
    size += type.startsWith('Binary') ? (a.BinaryValue?.length ?? 0) : Buffer.byteLength(a.StringValue ?? '', 'utf8');
  }
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  const writeText = (text: string): void => {
    const n = buf.write(text, at + 4, 'utf8');
    buf.writeUInt32BE(n, at);
    at += 4 + n;
  };
  for (const name of names) {
    const a = attributes[name] as AttributeValue;
    const type = a.DataType ?? '';
    writeText(name);
    writeText(type);
    if (type.startsWith('Binary')) {
      buf[at++] = 2;
      const bytes = a.BinaryValue ?? new Uint8Array();
      buf.writeUInt32BE(bytes.length, at);
      buf.set(bytes, at + 4);
      at += 4 + bytes.length;
    } else {
      buf[at++] = 1;
      writeText(a.StringValue ?? '');
    }
  }
  return hash('md5', buf, 'hex');
}
