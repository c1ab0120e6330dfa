// restJson1 (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html): the method and uri pick the operation;
// members bind to labels, query, headers and the payload (rest-bindings.ts); the other members form a JSON body with
// jsonName keys, timestamps epoch seconds and blobs base64. A blob or string payload is the raw body.
// Errors: the error shape's status, `x-amzn-errortype: Code` (what the SDK reads first) and a JSON body with
// `message` and the error's members.
import type { ServiceError } from '../core/errors.js';
import { CommonErrors } from '../core/errors.js';
import type { MemberModel, ServiceModel } from '../models/types.js';
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
