// awsJson 1.0 and 1.1 (https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html):
// POST / with `X-Amz-Target: Prefix.Operation` and a JSON body of the input's members (jsonName ignored);
// timestamps are epoch seconds, blobs base64. Errors: the status, `__type` naming the error shape and a message;
// query-compatible services (SQS) add `x-amzn-query-error: LegacyCode;Sender|Receiver`.
import { CommonErrors, ServiceError } from '../core/errors.js';
import type { OperationModel, ServiceModel, StructureShape } from '../models/types.js';
import type { Codec, DecodedRequest } from './codec.js';
import type { HttpRequest, HttpResponse } from './http.js';
import { header } from './http.js';
import { jsonEventStream } from './event-stream.js';
import { readJsonStructure, writeJsonStructure, writeJsonValue } from './json-shapes.js';

const OPTS = { useJsonName: false } as const;

export class AwsJsonCodec implements Codec {
  /** Built once: every response carries it. */
  private readonly contentType: string;

  constructor(version: '1.0' | '1.1') {
    this.contentType = `application/x-amz-json-${version}`;
  }

  operationName(req: HttpRequest): string | undefined {
    const target = header(req, 'x-amz-target');
    if (!target) return undefined;
    const dot = target.lastIndexOf('.');
    return dot < 0 ? target : target.slice(dot + 1);
  }

  decode(req: HttpRequest, model: ServiceModel): DecodedRequest {
    const target = header(req, 'x-amz-target');
    if (!target) throw CommonErrors.missingParameter('X-Amz-Target');
    const dot = target.lastIndexOf('.');
    const name = target.slice(dot + 1);
    const operation = model.operations[name];
    if (!operation || (model.targetPrefix && target.slice(0, dot) !== model.targetPrefix)) {
      throw new ServiceError('UnknownOperationException', `The operation ${name} is not recognized.`, {
        status: 400,
        queryCode: 'InvalidAction',
      });
    }
    let parsed: unknown = {};
    if (req.body.length > 0) {
      try {
        parsed = JSON.parse(req.body.toString('utf8'));
      } catch {
        throw CommonErrors.serialization('Malformed JSON: the request body is not valid JSON.');
      }
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw CommonErrors.serialization('The request body must be a JSON object.');
    }
    const input = operation.input ? readJsonStructure(model, operation.input, parsed, OPTS) : {};
    return { operation, input };
  }

  encodeOutput(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): HttpResponse {
    const streamed = operation.output ? eventStreamMember(model, operation.output, output) : undefined;
    if (streamed) {
      const rest: Record<string, unknown> = { ...(output as Record<string, unknown>) };
      delete rest[streamed.name];
      const initial = writeJsonStructure(model, operation.output as string, rest, OPTS);
      return {
        status: 200,
        headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId },
        body: '',
        stream: jsonEventStream(model, streamed.shape, streamed.events, initial),
      };
    }
    const body = operation.output ? JSON.stringify(writeJsonStructure(model, operation.output, output, OPTS)) : '{}';
    return {
      status: 200,
      headers: { 'content-type': this.contentType, 'x-amzn-requestid': requestId },
      body,
    };
  }

  encodeError(model: ServiceModel, error: ServiceError, requestId: string): HttpResponse {
    const shape = model.shapes[error.code] as StructureShape | undefined;
    const headers: Record<string, string> = {
      'content-type': this.contentType,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.code,
    };
    const messageMember =
      error.messageMember ?? (shape?.members.message ? 'message' : shape?.members.Message ? 'Message' : 'message');
    const body: Record<string, unknown> = {
      __type: `${model.namespace}#${error.code}`,
      [messageMember]: error.message,
    };
    if (error.fields) {
      // Members the error shape declares are written by their shape (timestamps as epoch seconds, blobs as base64).
      for (const [k, v] of Object.entries(error.fields)) {
        const member = shape?.members[k];
        const converted = member ? writeJsonValue(model, member, v, OPTS) : v;
        if (converted !== undefined && converted !== null) body[k] = converted;
      }
    }
    if (model.awsQueryCompatible) {
      const code = error.queryCode ?? shape?.error?.queryCode ?? error.code;
      headers['x-amzn-query-error'] = `${code};${error.fault === 'server' ? 'Receiver' : 'Sender'}`;
    }
    return { status: error.status, headers, body: JSON.stringify(body) };
  }
}

/** The output's event stream member, when the operation has one and the provider gave it an async iterable. */
function eventStreamMember(
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
