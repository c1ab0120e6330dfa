// One Switchyard: its config, clock, services and server. Two in one process share nothing.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { SystemClock, type Clock } from '../core/clock.js';
import { resolveConfig, type Config, type SwitchyardOptions } from '../core/config.js';
import type { RequestContext } from '../core/context.js';
import { CommonErrors, ServiceError } from '../core/errors.js';
import { Logger } from '../core/logging.js';
import type { Duplex } from 'node:stream';
import type { DataPlaneRequest, OperationHandler, ServiceHost, ServiceProvider } from '../core/provider.js';
import { SERVICES, type ServiceName } from '../models/index.js';
import type { OperationModel, ServiceModel } from '../models/types.js';
import { codecFor } from '../protocols/index.js';
import '../protocols/register-rest.js';
import type { Codec } from '../protocols/codec.js';
import type { HttpRequest, HttpResponse } from '../protocols/http.js';
import { PROVIDERS } from '../services/index.js';
import { handleInternal } from './internal-routes.js';
import { dataPlaneRoute, route, type DataPlaneRoute } from './router.js';
import { createTransport, type Transport } from './transport.js';

/** Largest request body we buffer (Lambda's 6 MB synchronous payload, with room for encoding). */
const MAX_BODY = 20 * 1024 * 1024;

export class Switchyard implements ServiceHost {
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly startedAt: number;
  private readonly providers = new Map<string, ServiceProvider>();
  private readonly loadingProviders = new Map<string, Promise<ServiceProvider | undefined>>();
  private stopped = false;
  private readonly models = new Map<string, Promise<ServiceModel>>();
  /** The models already loaded, by service name (a model never changes once loaded). */
  private readonly loadedModels = new Map<string, ServiceModel>();
  private transport: Transport | undefined;
  private boundPort = 0;

  constructor(options: SwitchyardOptions = {}) {
    this.config = resolveConfig(options);
    this.clock = options.clock ?? new SystemClock();
    this.log = new Logger(this.config.logLevel, options.logSink);
    this.startedAt = this.clock.now();
  }

  get port(): number {
    return this.boundPort;
  }

  get endpoint(): string {
    const host = this.config.host === '0.0.0.0' || this.config.host === '::' ? 'localhost' : this.config.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.boundPort}`;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.transport = createTransport(
      (req, res) => void this.onRequest(req, res),
      (req, socket, head) => void this.onUpgrade(req, socket, head),
    );
    this.boundPort = await this.transport.listen(this.config.port, this.config.host);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loadingProviders.values());
    for (const p of this.providers.values()) p.stop();
    await this.transport?.close();
    this.transport = undefined;
  }

  reset(): void {
    for (const p of this.providers.values()) p.reset();
  }

  /** The implemented services, and whether each has been used yet. */
  services(): Record<string, 'running' | 'available'> {
    const out: Record<string, 'running' | 'available'> = {};
    for (const name of Object.keys(PROVIDERS)) out[name] = this.providers.has(name) ? 'running' : 'available';
    return out;
  }

  /** The provider of a service, loaded and built on first use; undefined for a service not implemented yet. */
  provider(name: string): Promise<ServiceProvider | undefined> {
    const running = this.providers.get(name);
    if (running) return Promise.resolve(running);
    let loading = this.loadingProviders.get(name);
    if (!loading) {
      const load = PROVIDERS[name as ServiceName];
      if (!load) return Promise.resolve(undefined);
      loading = load().then((factory) => {
        const existing = this.providers.get(name);
        if (existing) return existing;
        const p = factory(this);
        this.providers.set(name, p);
        this.loadingProviders.delete(name);
        if (this.stopped) p.stop();
        return p;
      });
      this.loadingProviders.set(name, loading);
    }
    return loading;
  }

  /** A provider already built, without loading it (tests reaching inside a running service). */
  runningProvider(name: string): ServiceProvider | undefined {
    return this.providers.get(name);
  }

  private async loadModel(name: ServiceName): Promise<ServiceModel> {
    const model = await this.model(name);
    this.loadedModels.set(name, model);
    return model;
  }

  model(name: ServiceName): Promise<ServiceModel> {
    let m = this.models.get(name);
    if (!m) {
      m = SERVICES[name].load();
      this.models.set(name, m);
    }
    return m;
  }

  private async onRequest(
    req: IncomingMessage | Http2ServerRequest,
    res: ServerResponse | Http2ServerResponse,
  ): Promise<void> {
    // Made only when an operation asks (a long poll): most requests never need one, and it costs on the hot path.
    let controller: AbortController | undefined;
    const signal = (): AbortSignal => {
      if (!controller) {
        const c = new AbortController();
        controller = c;
        if (res.destroyed) c.abort(new Error('client closed the connection'));
        else res.once('close', () => {
          if (!res.writableFinished) c.abort(new Error('client closed the connection'));
        });
      }
      return controller.signal;
    };
    let response: HttpResponse;
    try {
      const request = await readRequest(req);
      const host = (req.headers.host ?? req.headers[':authority'] ?? `localhost:${this.boundPort}`) as string;
      const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
      response = await this.handle(request, host, signal, req.socket?.remoteAddress, scheme);
    } catch (err) {
      if (err instanceof ServiceError) response = plainError(err);
      else {
        this.log.error('request failed', err);
        response = plainError(CommonErrors.internal());
      }
    }
    if (res.writableEnded || res.destroyed) return;
    const headers = response.headers;
    if (response.stream) {
      await this.writeStream(res, response.status, headers, response.stream);
      return;
    }
    const body = response.body;
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
    res.writeHead(response.status, headers);
    res.end(body);
  }

  /** Sends a streamed body chunk by chunk; stops producing when the client goes away. */
  private async writeStream(
    res: ServerResponse | Http2ServerResponse,
    status: number,
    headers: Record<string, string | string[]>,
    stream: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    res.writeHead(status, headers);
    const iterator = stream[Symbol.asyncIterator]();
    const stop = (): void => void iterator.return?.(undefined);
    res.once('close', stop);
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done || res.destroyed) break;
        (res as ServerResponse).write(next.value);
      }
    } catch (err) {
      this.log.error('a streamed response failed', err);
    } finally {
      res.off('close', stop);
      if (!res.destroyed) res.end();
    }
  }

  /** Serves one buffered request: internal routes, then data planes, then AWS APIs. */
  async handle(
    req: HttpRequest,
    host: string,
    signal: () => AbortSignal,
    remoteAddress = '127.0.0.1',
    scheme = 'http',
  ): Promise<HttpResponse> {
    if (req.path.startsWith('/_switchyard/')) return handleInternal(this, req);
    const plane = dataPlaneRoute(req.path, host) ?? this.customDomainRoute(req.path, host);
    if (plane) return this.serveDataPlane(plane, req, host, remoteAddress);
    const started = this.clock.now();
    const requestId = randomUUID();
    const target = route(req, this.config);
    if (!target.service) return plainError(CommonErrors.unknownService(target.hint), requestId);
    // Hot path: once loaded, the model is taken without awaiting its promise again.
    const model = this.loadedModels.get(target.service) ?? (await this.loadModel(target.service));
    const codec = codecFor(req, model);
    if (!codec) {
      return plainError(CommonErrors.notImplemented(model.sdkId, `the ${model.protocol} protocol`), requestId);
    }
    let operation: OperationModel | undefined;
    let response: HttpResponse;
    try {
      const decoded = codec.decode(req, model);
      operation = decoded.operation;
      const provider = this.providers.get(target.service) ?? (await this.provider(target.service));
      const handler: OperationHandler | undefined = provider?.operations[operation.name];
      if (!handler) throw CommonErrors.notImplemented(model.sdkId, operation.name);
      const ctx: RequestContext = {
        requestId,
        account: target.account,
        region: target.region,
        host,
        scheme,
        protocol: model.protocol,
        clock: this.clock,
        log: this.log,
        get signal() {
          return signal();
        },
      };
      let output = (handler as (c: RequestContext, i: unknown) => unknown)(ctx, decoded.input);
      // Most handlers answer synchronously; awaiting only a promise spares a microtask turn per request.
      if (isThenable(output)) output = await output;
      response = codec.encodeOutput(model, operation, output ?? {}, requestId);
    } catch (err) {
      response = this.errorResponse(codec, model, err, requestId, operation);
    }
    if (this.log.enabled('debug')) {
      const name = operation?.name ?? codec.operationName(req, model) ?? '?';
      this.log.debug(`${target.service}.${name} ${response.status} ${this.clock.now() - started}ms ${requestId}`);
    }
    return response;
  }

  /** A request to an API Gateway custom domain name (its Host resolves here): asked only once API Gateway runs. */
  private customDomainRoute(path: string, host: string): DataPlaneRoute | undefined {
    const gateway = this.providers.get('apigateway')?.dataPlane;
    if (!gateway?.ownsHost) return undefined;
    const colon = host.lastIndexOf(':');
    const hostname = (colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host).toLowerCase();
    if (!gateway.ownsHost(hostname)) return undefined;
    return { service: 'apigateway', plane: 'execute-api', id: '', path, region: undefined, form: 'domain' };
  }

  private async serveDataPlane(
    plane: DataPlaneRoute,
    req: HttpRequest,
    host: string,
    remoteAddress: string,
  ): Promise<HttpResponse> {
    const provider = this.providers.get(plane.service) ?? (await this.provider(plane.service));
    if (!provider?.dataPlane) {
      return plainError(CommonErrors.notImplemented(plane.service, `the ${plane.service} data plane`));
    }
    try {
      return await provider.dataPlane.handle(dataPlaneRequest(plane, req, host, remoteAddress));
    } catch (err) {
      this.log.error(`${plane.service} data plane failed on ${req.method} ${req.path}`, err);
      return plainError(err instanceof ServiceError ? err : CommonErrors.internal());
    }
  }

  /** WebSocket upgrades: only data planes (API Gateway WebSocket APIs, AppSync real-time) accept them. */
  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const host = req.headers.host ?? `localhost:${this.boundPort}`;
      const plane = dataPlaneRoute(q < 0 ? url : url.slice(0, q), host);
      // WebSocket APIs are API Gateway v2's.
      const name = plane?.service === 'apigateway' ? 'apigatewayv2' : plane?.service;
      const provider = name ? await this.provider(name) : undefined;
      if (!plane || !provider?.dataPlane?.upgrade) {
        socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      const request: HttpRequest = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: Buffer.alloc(0),
      };
      provider.dataPlane.upgrade(dataPlaneRequest(plane, request, host, req.socket.remoteAddress ?? '127.0.0.1'), req, socket, head);
    } catch (err) {
      this.log.error('WebSocket upgrade failed', err);
      socket.destroy();
    }
  }

  private errorResponse(
    codec: Codec,
    model: ServiceModel,
    err: unknown,
    requestId: string,
    operation: OperationModel | undefined,
  ): HttpResponse {
    if (err instanceof ServiceError) return codec.encodeError(model, err, requestId, operation);
    this.log.error(`${model.name}.${operation?.name ?? '?'} failed unexpectedly (request ${requestId})`, err);
    return codec.encodeError(model, CommonErrors.internal(), requestId, operation);
  }
}

/** A protocol-neutral JSON error, for requests whose service or protocol is unknown. */
function plainError(err: ServiceError, requestId: string = randomUUID()): HttpResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': err.code },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}

function readRequest(req: IncomingMessage | Http2ServerRequest): Promise<HttpRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ServiceError('RequestEntityTooLarge', 'The request body is too large.', { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      resolve({
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
      });
    });
  });
}


function dataPlaneRequest(plane: DataPlaneRoute, req: HttpRequest, host: string, sourceIp: string): DataPlaneRequest {
  return {
    plane: plane.plane,
    request: { ...req, path: plane.path },
    id: plane.id,
    host,
    region: plane.region,
    sourceIp: sourceIp.startsWith('::ffff:') ? sourceIp.slice(7) : sourceIp,
    form: plane.form,
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
