// The digests SQS returns: MD5 of the body, and MD5 of message (or system) attributes in AWS's binary encoding:
// for each attribute sorted by name, length-prefixed (4-byte big-endian) name and data type, a transport byte
// (1 string/number, 2 binary), then the length-prefixed value.
import { createHash, hash } from 'node:crypto';

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
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Uint8Array): void => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length, 0);
    hash.update(len);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const a = attributes[name] as AttributeValue;
    const type = a.DataType ?? '';
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(type, 'utf8'));
    if (type.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(a.BinaryValue ?? new Uint8Array());
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
