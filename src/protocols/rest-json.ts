// restJson1 (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html): the method and uri pick the operation;
// members bind to labels, query, headers and the payload (rest-bindings.ts); the other members form a JSON body with
// jsonName keys, timestamps epoch seconds and blobs base64. A blob or string payload is the raw body.
// Errors: the error shape's status, `x-amzn-errortype: Code` (what the SDK reads first) and a JSON body with
// `message` and the error's members.
// An event stream payload (an async iterable the provider returns) goes out as application/vnd.amazon.eventstream:
// one message per event, with no initial-response (REST outputs bind their other members to headers).
import type { ServiceError } from '../core/errors.js';
import { CommonErrors } from '../core/errors.js';
import type { MemberModel, OperationModel, ServiceModel, StructureShape } from '../models/types.js';
import { encodeEventMessage } from './event-stream.js';
import type { HttpResponse } from './http.js';
import { readJsonStructure, readJsonValue, writeJsonStructure, writeJsonValue } from './json-shapes.js';
import {
  errorShapeOf,
  isResponseBinding,
  messageMemberOf,
  RestCodec,
  structureOf,
  writeHeaderMembers,
} from './rest-bindings.js';

const OPTS = { useJsonName: true } as const;

export class RestJsonCodec extends RestCodec {
  protected readonly contentType = 'application/json';

  protected readBody(model: ServiceModel, shapeName: string, body: Buffer): Record<string, unknown> {
    const parsed = parseJson(body);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw CommonErrors.serialization('The request body must be a JSON object.');
    }
    return readJsonStructure(model, shapeName, parsed, OPTS);
  }

  protected readShapePayload(model: ServiceModel, member: MemberModel, body: Buffer): unknown {
    return readJsonValue(model, member, parseJson(body), OPTS);
  }

  protected writeBody(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string {
    // Not writeJsonStructure: it leaves out every bound member, and label or query members belong in a response body.
    const shape = structureOf(model, shapeName);
    const out: Record<string, unknown> = {};
    for (const name in shape.members) {
      const m = shape.members[name] as MemberModel;
      const v = value[name];
      if (v === undefined || v === null || isResponseBinding(m)) continue;
      const converted = writeJsonValue(model, m, v, OPTS);
      if (converted !== undefined) out[m.jsonName ?? name] = converted;
    }
    return JSON.stringify(out);
  }

  protected writeShapePayload(model: ServiceModel, member: MemberModel, value: unknown): string {
    return JSON.stringify(writeJsonValue(model, member, value, OPTS) ?? {});
  }

  override encodeOutput(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): HttpResponse {
    const streamed = operation.output ? eventStreamPayload(model, operation.output, output) : undefined;
    if (!streamed) return super.encodeOutput(model, operation, output, requestId);
    const rest: Record<string, unknown> = { ...(output as Record<string, unknown>) };
    delete rest[streamed.name];
    const response = super.encodeOutput(model, operation, rest, requestId);
    return {
      ...response,
      headers: { ...response.headers, 'content-type': 'application/vnd.amazon.eventstream' },
      body: '',
      stream: restJsonEventStream(model, streamed.shape, streamed.events),
    };
  }

  encodeError(model: ServiceModel, error: ServiceError, requestId: string): HttpResponse {
    const shape = errorShapeOf(model, error.code);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.code,
    };
    const messageMember = messageMemberOf(error, shape);
    const fields: Record<string, unknown> = { ...error.fields, [messageMember]: error.message };
    let body: Record<string, unknown>;
    if (shape) {
      body = writeJsonStructure(model, error.code, fields, OPTS);
      writeHeaderMembers(model, shape, fields, headers);
      const wireMessage = shape.members[messageMember]?.jsonName ?? messageMember;
      if (body[wireMessage] === undefined) body[wireMessage] = error.message;
    } else {
      body = fields;
    }
    return { status: shape?.error?.httpStatus ?? error.status, headers, body: JSON.stringify(body) };
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw CommonErrors.serialization('Malformed JSON: the request body is not valid JSON.');
  }
}

/** The output's event stream payload member, when the provider gave it an async iterable. */
function eventStreamPayload(
  model: ServiceModel,
  outputShape: string,
  output: unknown,
): { name: string; shape: string; events: AsyncIterable<Record<string, unknown>> } | undefined {
  const shape = model.shapes[outputShape] as StructureShape | undefined;
  if (!shape || typeof output !== 'object' || output === null) return undefined;
  for (const [name, member] of Object.entries(shape.members)) {
    if (!member.streaming || model.shapes[member.shape]?.type !== 'union') continue;
    const events = (output as Record<string, unknown>)[name];
    if (events && typeof (events as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      return { name, shape: member.shape, events: events as AsyncIterable<Record<string, unknown>> };
    }
  }
  return undefined;
}

/**
 * One message per union value. An event whose only member is a blob (Smithy's @eventPayload, which the generated
 * models do not carry) is sent as the raw payload with `:content-type: application/octet-stream`; other events as a
 * JSON body. Error members go out as exception messages, after which the stream ends.
 */
async function* restJsonEventStream(
  model: ServiceModel,
  unionShape: string,
  events: AsyncIterable<Record<string, unknown>>,
): AsyncGenerator<Uint8Array> {
  const union = model.shapes[unionShape] as StructureShape;
  for await (const event of events) {
    for (const [name, value] of Object.entries(event)) {
      const member = union.members[name];
      if (!member) continue;
      const shape = model.shapes[member.shape] as StructureShape | undefined;
      const members = Object.entries(shape?.members ?? {});
      const only = members.length === 1 ? members[0] : undefined;
      if (only && only[1].shape === 'blob' && !shape?.error) {
        const raw = (value as Record<string, unknown> | null)?.[only[0]];
        const bytes = raw instanceof Uint8Array ? raw : Buffer.from(typeof raw === 'string' ? raw : '');
        yield encodeEventMessage(
          { ':event-type': name, ':content-type': 'application/octet-stream', ':message-type': 'event' },
          bytes,
        );
        continue;
      }
      const body = Buffer.from(JSON.stringify(writeJsonStructure(model, member.shape, value, OPTS)));
      if (shape?.error) {
        yield encodeEventMessage({ ':exception-type': name, ':content-type': 'application/json', ':message-type': 'exception' }, body);
        return;
      }
      yield encodeEventMessage({ ':event-type': name, ':content-type': 'application/json', ':message-type': 'event' }, body);
    }
  }
}
