// The exact requests the official SQS client sends (awsJson 1.0), captured by a request handler that never touches
// the network, then serialized to HTTP/1.1 as Node's http client writes them. Signatures are not verified by the
// servers, so replaying a captured request unchanged is faithful.
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { HttpRequest } from '@smithy/types';
import type { RequestTemplate } from '../harness/load-jobs.js';
import { BODY, batchEntries } from './workload.js';

class Captured extends Error {
  constructor(readonly request: HttpRequest) {
    super('captured');
  }
}

async function capture(endpoint: string, call: (client: SQSClient) => Promise<unknown>): Promise<HttpRequest> {
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        throw new Captured(request);
      },
    },
  });
  try {
    await call(client);
  } catch (err) {
    if (err instanceof Captured) return err.request;
    throw err;
  } finally {
    client.destroy();
  }
  throw new Error('the SDK sent no request');
}

function bodyText(req: HttpRequest): string {
  const body: unknown = req.body;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  throw new Error(`unexpected request body type ${Object.prototype.toString.call(body)}`);
}

function requestLine(req: HttpRequest): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    for (const item of Array.isArray(v) ? v : [v]) if (item !== null) query.append(k, item);
  }
  const qs = query.toString();
  return `${req.method} ${req.path}${qs ? `?${qs}` : ''} HTTP/1.1\r\n`;
}

/** HTTP/1.1 bytes of a captured request, as a latin1 string (one char per byte) so that it survives IPC. */
export function wire(req: HttpRequest): string {
  let head = requestLine(req);
  for (const [name, value] of Object.entries(req.headers)) head += `${name}: ${value}\r\n`;
  head += 'connection: keep-alive\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(bodyText(req), 'utf8')]).toString('latin1');
}

const MARKER = 'RECEIPT-HANDLE-MARKER-7f3a';

/** A request template whose body holds `MARKER`, split around it and around the Content-Length value. */
function template(req: HttpRequest): RequestTemplate {
  const body = bodyText(req);
  const at = body.indexOf(MARKER);
  if (at < 0) throw new Error('marker not found in the captured body');
  let before = requestLine(req);
  let after = '';
  let seenLength = false;
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() === 'content-length') {
      before += `${name}: `;
      after = '\r\n';
      seenLength = true;
    } else if (seenLength) after += `${name}: ${value}\r\n`;
    else before += `${name}: ${value}\r\n`;
  }
  if (!seenLength) throw new Error('captured request has no Content-Length');
  after += 'connection: keep-alive\r\n\r\n';
  return {
    headBeforeLength: before,
    headAfterLength: after,
    bodyBefore: body.slice(0, at),
    bodyAfter: body.slice(at + MARKER.length),
  };
}

export interface SqsWireRequests {
  sendMessage: string;
  sendMessageBatch: string;
  receiveMessage: string;
  deleteMessage: RequestTemplate;
  /** SendMessageBatch and SendMessage aimed at the receive queue, to fill it before the receive-delete cycle. */
  fillBatch: string;
  fillSend: string;
  /** Headers and body of SendMessage, to show in the report. */
  sample: HttpRequest;
}

/** Requests aimed at `endpoint`: Send to `urls.send`, batches to `urls.batch`, receive-delete on `urls.receive`. */
export async function captureSqsRequests(
  endpoint: string,
  urls: { send: string; batch: string; receive: string },
): Promise<SqsWireRequests> {
  const send = await capture(endpoint, (c) => c.send(new SendMessageCommand({ QueueUrl: urls.send, MessageBody: BODY })));
  const batch = await capture(endpoint, (c) =>
    c.send(new SendMessageBatchCommand({ QueueUrl: urls.batch, Entries: batchEntries() })),
  );
  const receive = await capture(endpoint, (c) =>
    c.send(new ReceiveMessageCommand({ QueueUrl: urls.receive, MaxNumberOfMessages: 1 })),
  );
  const del = await capture(endpoint, (c) =>
    c.send(new DeleteMessageCommand({ QueueUrl: urls.receive, ReceiptHandle: MARKER })),
  );
  const fillBatch = await capture(endpoint, (c) =>
    c.send(new SendMessageBatchCommand({ QueueUrl: urls.receive, Entries: batchEntries() })),
  );
  const fillSend = await capture(endpoint, (c) =>
    c.send(new SendMessageCommand({ QueueUrl: urls.receive, MessageBody: BODY })),
  );
  return {
    fillBatch: wire(fillBatch),
    fillSend: wire(fillSend),
    sendMessage: wire(send),
    sendMessageBatch: wire(batch),
    receiveMessage: wire(receive),
    deleteMessage: template(del),
    sample: send,
  };
}
