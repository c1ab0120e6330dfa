// The digests SQS returns, written from AWS's documentation independently of the provider's own code, so that the
// conformance suites check the emulator rather than agree with it. botocore does not verify these (the JS SDK does).
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
import { createHash } from 'node:crypto';

export interface WireAttribute {
  readonly DataType?: string | undefined;
  readonly StringValue?: string | undefined;
  /** Bytes, or base64 as the CLI and our Python scripts print them. */
  readonly BinaryValue?: Uint8Array | string | undefined;
}

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/** Sorted by name; each of name, type and value as a 4-byte big-endian length and bytes; transport byte 1 or 2. */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, WireAttribute>>): string {
  const parts: Buffer[] = [];
  const field = (bytes: Buffer): void => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const a = attributes[name];
    if (!a) continue;
    const type = a.DataType ?? '';
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(type, 'utf8'));
    if (type === 'Binary' || type.startsWith('Binary.')) {
      parts.push(Buffer.from([2]));
      const v = a.BinaryValue;
      field(typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.from(v ?? new Uint8Array()));
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}
