// The AWS event stream encoding (application/vnd.amazon.eventstream), for streaming outputs such as Kinesis
// SubscribeToShard and Lambda InvokeWithResponseStream. Each message: total length and headers length (uint32 BE),
// the prelude's CRC32, headers (name length u8, name, type u8 = 7 string, value length u16 BE, value), payload, and
// the whole message's CRC32. https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
import { crc32 } from 'node:zlib';
import type { ServiceModel, StructureShape } from '../models/types.js';
import { writeJsonStructure } from './json-shapes.js';

const STRING = 7;

export function encodeEventMessage(headers: Readonly<Record<string, string>>, payload: Uint8Array): Buffer {
  const encoded: Buffer[] = [];
  let headersLength = 0;
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(STRING, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    encoded.push(h);
    headersLength += h.length;
  }
  const total = 12 + headersLength + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headersLength, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  let offset = 12;
  for (const h of encoded) {
    h.copy(message, offset);
    offset += h.length;
  }
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(message, offset);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/**
 * The messages of a JSON event stream: first the RPC protocols' `initial-response` (the output's other members), then
 * one message per union value the provider yields (`{ MemberName: value }`); members that are errors in the model go
 * out as exception messages, after which the stream ends.
 */
export async function* jsonEventStream(
  model: ServiceModel,
  unionShape: string,
  events: AsyncIterable<Record<string, unknown>>,
  initial: Record<string, unknown> | undefined,
): AsyncGenerator<Uint8Array> {
  const json = { 'content-type': 'application/json', 'message-type': 'event' };
  if (initial) {
    yield encodeEventMessage(
      { ':event-type': 'initial-response', ':content-type': json['content-type'], ':message-type': json['message-type'] },
      Buffer.from(JSON.stringify(initial)),
    );
  }
  const union = model.shapes[unionShape] as StructureShape;
  for await (const event of events) {
    for (const [name, value] of Object.entries(event)) {
      const member = union.members[name];
      if (!member) continue;
      const body = Buffer.from(JSON.stringify(writeJsonStructure(model, member.shape, value, { useJsonName: false })));
      if ((model.shapes[member.shape] as StructureShape | undefined)?.error) {
        yield encodeEventMessage({ ':exception-type': name, ':content-type': 'application/json', ':message-type': 'exception' }, body);
        return;
      }
      yield encodeEventMessage({ ':event-type': name, ':content-type': 'application/json', ':message-type': 'event' }, body);
    }
  }
}
