// AWS service integrations of HTTP APIs (AWS_PROXY with an IntegrationSubtype): the mapped request parameters become
// the input of the service's own operation, called in process, and its answer goes back as that service's API would
// send it (SQS as query XML, EventBridge and Step Functions as JSON).
import type { Integration } from '@aws-sdk/client-apigatewayv2';
import type { RequestContext } from '../../../core/context.js';
import { ServiceError } from '../../../core/errors.js';
import type { ServiceHost } from '../../../core/provider.js';
import type { HttpResponse } from '../../../protocols/http.js';
import { GatewayErrors, type HttpApiRequest } from './http-request.js';
import { evaluate } from './parameter-mapping.js';

interface Call {
  readonly service: 'sqs' | 'eventbridge' | 'stepfunctions';
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

export async function invokeService(host: ServiceHost, integration: Integration, req: HttpApiRequest): Promise<HttpResponse> {
  const params: Record<string, string> = {};
  for (const [name, expr] of Object.entries(integration.RequestParameters ?? {})) {
    const v = evaluate(expr, req);
    if (v !== undefined) params[name] = v;
  }
  const subtype = integration.IntegrationSubtype ?? '';
  let call: Call;
  try {
    call = buildCall(subtype, params);
  } catch (err) {
    if (err instanceof ServiceError) return serviceError(subtype, err);
    throw err;
  }
  const provider = await host.provider(call.service);
  const handler = provider?.operations[call.operation] as ((c: RequestContext, i: unknown) => unknown) | undefined;
  if (!handler) return GatewayErrors.internal();
  const ctx: RequestContext = {
    requestId: req.requestId,
    account: req.accountId,
    region: params.Region ?? req.region,
    host: new URL(host.endpoint).host,
    scheme: 'http',
    protocol: 'apigateway',
    clock: host.clock,
    log: host.log,
    signal: new AbortController().signal,
  };
  try {
    const output = (await handler(ctx, call.input)) ?? {};
    return serviceAnswer(call, output as Record<string, unknown>, req.requestId);
  } catch (err) {
    if (err instanceof ServiceError) return serviceError(subtype, err);
    host.log.error(`apigatewayv2 ${subtype} integration failed`, err);
    return GatewayErrors.internal();
  }
}

function number(params: Record<string, string>, name: string): number | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ServiceError('InvalidParameterValue', `Value ${v} for parameter ${name} is invalid.`);
  return n;
}

function list(params: Record<string, string>, name: string): string[] | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (v.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON: a comma-separated list.
    }
  }
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function json(params: Record<string, string>, name: string): unknown {
  const v = params[name];
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    throw new ServiceError('InvalidParameterValue', `Value for parameter ${name} must be JSON.`);
  }
}

function buildCall(subtype: string, p: Record<string, string>): Call {
  const drop = (o: Record<string, unknown>): Record<string, unknown> => {
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    return o;
  };
  switch (subtype) {
    case 'SQS-SendMessage':
      return {
        service: 'sqs',
        operation: 'SendMessage',
        input: drop({
          QueueUrl: p.QueueUrl,
          MessageBody: p.MessageBody,
          DelaySeconds: number(p, 'DelaySeconds'),
          MessageAttributes: json(p, 'MessageAttributes'),
          MessageSystemAttributes: json(p, 'MessageSystemAttributes'),
          MessageDeduplicationId: p.MessageDeduplicationId,
          MessageGroupId: p.MessageGroupId,
        }),
      };
    case 'SQS-ReceiveMessage':
      return {
        service: 'sqs',
        operation: 'ReceiveMessage',
        input: drop({
          QueueUrl: p.QueueUrl,
          AttributeNames: list(p, 'AttributeNames'),
          MessageAttributeNames: list(p, 'MessageAttributeNames'),
          MaxNumberOfMessages: number(p, 'MaxNumberOfMessages'),
          VisibilityTimeout: number(p, 'VisibilityTimeout'),
          WaitTimeSeconds: number(p, 'WaitTimeSeconds'),
          ReceiveRequestAttemptId: p.ReceiveRequestAttemptId,
        }),
      };
    case 'SQS-DeleteMessage':
      return { service: 'sqs', operation: 'DeleteMessage', input: { QueueUrl: p.QueueUrl, ReceiptHandle: p.ReceiptHandle } };
    case 'SQS-PurgeQueue':
      return { service: 'sqs', operation: 'PurgeQueue', input: { QueueUrl: p.QueueUrl } };
    case 'EventBridge-PutEvents':
      return {
        service: 'eventbridge',
        operation: 'PutEvents',
        input: {
          Entries: [
            drop({
              Source: p.Source,
              DetailType: p.DetailType,
              Detail: p.Detail,
              EventBusName: p.EventBusName,
              Resources: list(p, 'Resources'),
              Time: p.Time === undefined ? undefined : new Date(/^\d+$/.test(p.Time) ? Number(p.Time) * 1000 : p.Time),
              TraceHeader: p.TraceHeader,
            }),
          ],
        },
      };
    case 'StepFunctions-StartExecution':
      return { service: 'stepfunctions', operation: 'StartExecution', input: drop({ stateMachineArn: p.StateMachineArn, name: p.Name, input: p.Input }) };
    case 'StepFunctions-StartSyncExecution':
      return {
        service: 'stepfunctions',
        operation: 'StartSyncExecution',
        input: drop({ stateMachineArn: p.StateMachineArn, name: p.Name, input: p.Input, traceHeader: p.TraceHeader }),
      };
    case 'StepFunctions-StopExecution':
      return { service: 'stepfunctions', operation: 'StopExecution', input: drop({ executionArn: p.ExecutionArn, cause: p.Cause, error: p.Error }) };
    default:
      throw new ServiceError('InvalidParameterValue', `Unsupported integration subtype ${subtype}.`);
  }
}

/** JSON with timestamps as epoch seconds, as the awsJson protocols write them. */
function jsonBody(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

function serviceAnswer(call: Call, output: Record<string, unknown>, requestId: string): HttpResponse {
  if (call.service === 'sqs') {
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: sqsXml(call.operation, output, requestId),
    };
  }
  const contentType = call.service === 'eventbridge' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
  return { status: 200, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId }, body: jsonBody(output) };
}

function serviceError(subtype: string, err: ServiceError): HttpResponse {
  if (subtype.startsWith('SQS-')) {
    const body = `<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>${xml(err.queryCode ?? err.code)}</Code><Message>${xml(err.message)}</Message><Detail/></Error><RequestId>${xml(String(err.fields?.RequestId ?? ''))}</RequestId></ErrorResponse>`;
    return { status: err.status, headers: { 'content-type': 'text/xml' }, body };
  }
  return {
    status: err.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': err.code },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlValue(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => xmlValue(name, v)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>).map(([k, v]) => xmlValue(k, v)).join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${xml(String(value))}</${name}>`;
}

function sqsXml(operation: string, output: Record<string, unknown>, requestId: string): string {
  let result = '';
  if (operation === 'ReceiveMessage') {
    const messages = (output.Messages as Array<Record<string, unknown>> | undefined) ?? [];
    result = messages
      .map((m) => {
        const attrs = Object.entries((m.Attributes as Record<string, string> | undefined) ?? {})
          .map(([k, v]) => `<Attribute><Name>${xml(k)}</Name><Value>${xml(v)}</Value></Attribute>`)
          .join('');
        const { Attributes: _a, ...rest } = m;
        return `<Message>${Object.entries(rest).map(([k, v]) => xmlValue(k, v)).join('')}${attrs}</Message>`;
      })
      .join('');
  } else {
    result = Object.entries(output).map(([k, v]) => xmlValue(k, v)).join('');
  }
  const resultTag = operation === 'DeleteMessage' || operation === 'PurgeQueue' ? '' : `<${operation}Result>${result}</${operation}Result>`;
  return `<?xml version="1.0"?><${operation}Response xmlns="http://queue.amazonaws.com/doc/2012-11-05/">${resultTag}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}
