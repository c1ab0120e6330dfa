// The Lambda Runtime API (2018-06-01) that one execution environment's runtime talks to, on its own 127.0.0.1
// listener: GET invocation/next, POST invocation/{id}/response, POST invocation/{id}/error, POST init/error.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
// A response posted with `Lambda-Runtime-Function-Response-Mode: streaming` is passed on chunk by chunk as it
// arrives; an error mid-stream comes in the trailers Lambda-Runtime-Function-Error-Type and -Error-Body (base64).
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html#runtimes-custom-response-streaming
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const PREFIX = '/2018-06-01/runtime/';

/** What GET invocation/next hands the runtime. */
export interface NextInvocation {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  readonly traceId: string;
  readonly clientContext?: string;
}

export interface RuntimeApiHandlers {
  /** Resolves with the next invocation for this environment; rejects when the environment is going away. */
  next(): Promise<NextInvocation>;
  /** False when no invocation with that id is in progress. */
  response(requestId: string, body: Buffer): boolean;
  error(requestId: string, body: Buffer, errorType: string | undefined): boolean;
  initError(body: Buffer, errorType: string | undefined): void;
  /**
   * A streamed response begins, with the Content-Type the runtime gave it: undefined when no invocation with that id
   * is in progress.
   */
  responseStream(requestId: string, contentType: string): StreamedResponseSink | undefined;
}

/** Where the chunks of a streamed response go. */
export interface StreamedResponseSink {
  write(chunk: Buffer): void;
  /** The stream ended: normally, or with the error the runtime sent in its trailers. */
  end(error?: { readonly errorType: string; readonly body: Buffer }): void;
}

export interface RuntimeApiServer {
  /** `127.0.0.1:PORT`, the value of AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  close(): void;
}

/** Largest body the runtime may post: the 6 MB response limit plus room, so that an oversized answer is seen. */
const MAX_POST = 6 * 1024 * 1024 + 1024 * 1024;

export async function startRuntimeApi(handlers: RuntimeApiHandlers): Promise<RuntimeApiServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    serve(handlers, req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { errorMessage: 'internal error', errorType: 'InternalError' });
    });
  });
  // The runtime keeps one connection open while its handler runs, for as long as that takes: never time it out.
  server.keepAliveTimeout = 0;
  server.on('connection', (socket: Socket) => {
    socket.unref();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    close: () => {
      server.close();
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
  };
}

async function serve(handlers: RuntimeApiHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const path = url.startsWith(PREFIX) ? (url.slice(PREFIX.length).split('?')[0] ?? '') : '';
  const errorType = headerOf(req, 'lambda-runtime-function-error-type');
  if (req.method === 'GET' && path === 'invocation/next') {
    let inv: NextInvocation;
    try {
      inv = await handlers.next();
    } catch {
      reply(res, 500, { errorMessage: 'The execution environment is shutting down.', errorType: 'Runtime.Shutdown' });
      return;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': inv.requestId,
      'lambda-runtime-deadline-ms': String(inv.deadlineMs),
      'lambda-runtime-invoked-function-arn': inv.invokedFunctionArn,
      'lambda-runtime-trace-id': inv.traceId,
      'content-length': String(inv.payload.length),
    };
    if (inv.clientContext !== undefined) headers['lambda-runtime-client-context'] = inv.clientContext;
    res.writeHead(200, headers);
    res.end(inv.payload);
    return;
  }
  const streamedId = /^invocation\/([^/]+)\/response$/.exec(path)?.[1];
  if (req.method === 'POST' && streamedId !== undefined && headerOf(req, 'lambda-runtime-function-response-mode') === 'streaming') {
    const id = decodeURIComponent(streamedId);
    const sink = handlers.responseStream(id, headerOf(req, 'content-type') ?? 'application/octet-stream');
    if (!sink) {
      req.resume();
      reply(res, 400, { errorMessage: `Invalid request ID: ${id}`, errorType: 'InvalidRequestID' });
      return;
    }
    await pipeStream(req, sink);
    reply(res, 202, { status: 'OK' });
    return;
  }
  const body = await readBody(req);
  if (req.method === 'POST' && path === 'init/error') {
    handlers.initError(body ?? Buffer.alloc(0), errorType);
    reply(res, 202, { status: 'OK' });
    return;
  }
  const match = /^invocation\/([^/]+)\/(response|error)$/.exec(path);
  if (req.method === 'POST' && match) {
    const id = decodeURIComponent(match[1] ?? '');
    if (body === undefined) {
      // Too large: the invocation still ends, with the error AWS gives for it.
      handlers.response(id, Buffer.alloc(MAX_POST + 1));
      reply(res, 413, { errorMessage: 'Payload too large', errorType: 'RequestEntityTooLarge' });
      return;
    }
    const known = match[2] === 'response' ? handlers.response(id, body) : handlers.error(id, body, errorType);
    if (known) reply(res, 202, { status: 'OK' });
    else reply(res, 400, { errorMessage: `Invalid request ID: ${id}`, errorType: 'InvalidRequestID' });
    return;
  }
  reply(res, 404, { errorMessage: 'Not found', errorType: 'InvalidRequest' });
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Passes a streamed response on as it arrives; the trailers say whether it ended in an error. */
function pipeStream(req: IncomingMessage, sink: StreamedResponseSink): Promise<void> {
  return new Promise((resolve) => {
    req.on('data', (chunk: Buffer) => sink.write(chunk));
    req.on('end', () => {
      const errorType = req.trailers['lambda-runtime-function-error-type'];
      if (errorType) {
        const encoded = req.trailers['lambda-runtime-function-error-body'] ?? '';
        sink.end({ errorType, body: Buffer.from(encoded, 'base64') });
      } else {
        sink.end();
      }
      resolve();
    });
    req.on('error', () => {
      sink.end({ errorType: 'Runtime.StreamError', body: Buffer.from('{"errorType":"Runtime.StreamError","errorMessage":"The response stream was interrupted."}') });
      resolve();
    });
  });
}

/** The body, or undefined when it exceeds MAX_POST. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_POST) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
