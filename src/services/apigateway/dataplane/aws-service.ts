// AWS service integrations (`arn:aws:apigateway:REGION:SERVICE:action/ACTION` or `...:path/PATH`): the integration
// request is built as AWS sends it to the service (form or JSON body, query string, X-Amz-Target), decoded by that
// service's own codec and served by its provider in process, in the API's account; the answer is encoded the same way.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../core/context.js';
import { ServiceError, CommonErrors } from '../../../core/errors.js';
import type { OperationHandler, ServiceHost } from '../../../core/provider.js';
import { SERVICES, type ServiceName } from '../../../models/index.js';
import { codecFor } from '../../../protocols/index.js';
import type { HttpRequest } from '../../../protocols/http.js';

export interface ServiceCall {
  readonly service: ServiceName;
  readonly region: string;
  readonly account: string;
  readonly form: 'action' | 'path';
  /** The action name or the path after `path/`. */
  readonly target: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
  readonly body: string;
  readonly host: string;
  readonly signal: AbortSignal;
}

export interface ServiceAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export async function callService(host: ServiceHost, call: ServiceCall): Promise<ServiceAnswer> {
  const model = await SERVICES[call.service].load();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(call.headers)) headers[k.toLowerCase()] = v;
  const query = new URLSearchParams(call.query);
  let path = '/';
  if (call.form === 'action') {
    query.set('Action', call.target);
    const speaksQuery = model.protocol === 'awsQuery' || model.awsQueryCompatible === true;
    if (!headers['content-type']) {
      headers['content-type'] = speaksQuery ? 'application/x-www-form-urlencoded' : jsonContentType(model.protocol);
    }
    if (model.targetPrefix && !speaksQuery && !headers['x-amz-target']) headers['x-amz-target'] = `${model.targetPrefix}.${call.target}`;
  } else {
    path = `/${call.target.replace(/^\/+/, '')}`;
  }
  const req: HttpRequest = {
    method: call.httpMethod,
    path,
    rawQuery: query.toString(),
    headers,
    body: Buffer.from(call.body, 'utf8'),
  };
  const requestId = randomUUID();
  const codec = codecFor(req, model);
  if (!codec) throw CommonErrors.notImplemented(model.sdkId, `the ${model.protocol} protocol`);
  const encoded = await (async () => {
    let operation;
    try {
      const decoded = codec.decode(req, model);
      operation = decoded.operation;
      // SQS's path form names the queue in the path, as a queue URL does.
      if (call.service === 'sqs' && decoded.input.QueueUrl === undefined && /^\/\d{12}\/[^/]+$/.test(path)) {
        decoded.input.QueueUrl = `http://${call.host}${path}`;
      }
      const provider = await host.provider(call.service);
      const handler: OperationHandler | undefined = provider?.operations[operation.name];
      if (!handler) throw CommonErrors.notImplemented(model.sdkId, operation.name);
      const ctx: RequestContext = {
        requestId,
        account: call.account,
        region: call.region,
        host: call.host,
        scheme: 'http',
        protocol: model.protocol,
        clock: host.clock,
        log: host.log,
        signal: call.signal,
      };
      const output: unknown = await (handler as (c: RequestContext, i: unknown) => unknown)(ctx, decoded.input);
      return codec.encodeOutput(model, operation, output ?? {}, requestId);
    } catch (err) {
      const error = err instanceof ServiceError ? err : CommonErrors.internal();
      if (!(err instanceof ServiceError)) host.log.error(`API Gateway integration call to ${call.service} failed`, err);
      return codec.encodeError(model, error, requestId, operation);
    }
  })();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(encoded.headers)) out[k] = Array.isArray(v) ? v.join(',') : v;
  return { status: encoded.status, headers: out, body: typeof encoded.body === 'string' ? encoded.body : encoded.body.toString('utf8') };
}

function jsonContentType(protocol: string): string {
  return protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
}
