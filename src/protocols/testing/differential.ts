// Differential driver: a real AWS SDK v3 client talks to one of our codecs through an in-memory request handler (no
// network). Requests the SDK serializes must decode to the input it was given; responses and errors our codec encodes
// must deserialize, in the SDK, to the output or exception we meant. Protocol-agnostic: give it a client class, the
// service model and a codec.
import { expect } from 'vitest';
import { ServiceError } from '../../core/errors.js';
import type { OperationModel, ServiceModel, StructureShape } from '../../models/types.js';
import type { Codec } from '../codec.js';
import type { HttpRequest, HttpResponse } from '../http.js';
import type { NormaliseOptions } from './normalise.js';
import { normalise } from './normalise.js';

/** The request the SDK hands its request handler (a structural subset of @smithy HttpRequest). */
export interface SdkHttpRequest {
  readonly method: string;
  readonly hostname?: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | readonly string[] | null | undefined>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface SdkHttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export interface SdkRequestHandler {
  handle(request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }>;
}

export interface SdkClient {
  send(command: never): Promise<unknown>;
  destroy(): void;
}

export type SdkClientClass = new (config: never) => SdkClient;
export type SdkCommandClass = new (input: never) => unknown;

export interface DifferentialOptions {
  readonly model: ServiceModel;
  readonly codec: Codec;
  readonly client: SdkClientClass;
  /** Extra client configuration (for example SQS `{ md5: false, useQueueUrlAsEndpoint: false }`). */
  readonly clientConfig?: Readonly<Record<string, unknown>>;
  /** What the protocol cannot carry, for comparisons in the response direction (outputs). */
  readonly output?: NormaliseOptions;
  /** What the protocol cannot carry, for comparisons in the request direction (inputs). */
  readonly input?: NormaliseOptions;
  /**
   * The codec answers errors with the awsQuery status (awsQueryError trait) rather than the shape's httpStatus.
   * Default: the model's protocol is awsQuery. Set it for services that speak query besides their own protocol (SQS).
   */
  readonly queryErrors?: boolean;
  /** Sign requests with SigV4 (default false: signing is not a codec concern, and it is half the cost of a call). */
  readonly sign?: boolean;
}

export interface ErrorCase {
  /** The error shape's name (a key of `model.shapes`). */
  readonly code: string;
  readonly message: string;
  /** Other members of the error structure, carried as ServiceError fields. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface CaughtError {
  readonly name: string;
  readonly message: string;
  readonly $fault?: string;
  readonly $metadata: { readonly httpStatusCode?: number; readonly requestId?: string };
  readonly [key: string]: unknown;
}

const REQUEST_ID = '4f9a2e8c-6b1d-4c3e-9a7f-0d2b5e8c1a3f';

/** A client wired to a codec; call the checks from inside fast-check properties. */
export class Differential {
  readonly model: ServiceModel;
  readonly codec: Codec;
  private readonly client: SdkClient;
  private respond: (req: SdkHttpRequest) => HttpResponse = () => {
    throw new Error('no response planned');
  };
  private captured: SdkHttpRequest | undefined;

  constructor(private readonly options: DifferentialOptions) {
    this.model = options.model;
    this.codec = options.codec;
    const requestHandler: SdkRequestHandler = {
      handle: async (request) => {
        this.captured = request;
        return { response: toSdkResponse(this.respond(request)) };
      },
    };
    const credentials = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    const pass = { sign: async (request: unknown) => request };
    const unsigned = [
      { schemeId: 'aws.auth#sigv4', identityProvider: () => async () => credentials, signer: pass },
      { schemeId: 'smithy.api#noAuth', identityProvider: () => async () => ({}), signer: pass },
    ];
    const config = {
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
      credentials,
      maxAttempts: 1,
      disableHostPrefix: true,
      requestHandler,
      ...(options.sign ? {} : { httpAuthSchemes: unsigned }),
      ...options.clientConfig,
    };
    this.client = new options.client(config as never);
  }

  destroy(): void {
    this.client.destroy();
  }

  /** Request direction: the SDK serializes `input`; our codec must decode it to the same value. */
  async checkRequest(command: SdkCommandClass, operationName: string, input: Record<string, unknown>): Promise<void> {
    const operation = this.operation(operationName);
    const sent = structuredClone(input);
    this.captured = undefined;
    this.respond = () => this.codec.encodeOutput(this.model, operation, {}, REQUEST_ID);
    await this.client.send(new command(sent as never) as never);
    if (!this.captured) throw new Error('the SDK sent no request');
    const decoded = this.codec.decode(toOurRequest(this.captured), this.model);
    expect(decoded.operation.name).toBe(operationName);
    const got = { ...decoded.input };
    if (operation.input) dropFilledTokens(this.model, operation.input, input, got);
    expect(this.canonical(operation.input, got, this.options.input)).toEqual(
      this.canonical(operation.input, input, this.options.input),
    );
  }

  /** Response direction: our codec encodes `output`; the SDK must deserialize it to the same value. */
  async checkResponse(
    command: SdkCommandClass,
    operationName: string,
    output: Record<string, unknown>,
    input: Record<string, unknown> = {},
  ): Promise<void> {
    const operation = this.operation(operationName);
    this.respond = () => this.codec.encodeOutput(this.model, operation, output, REQUEST_ID);
    const result = (await this.client.send(new command(input as never) as never)) as Record<string, unknown>;
    const { $metadata, ...got } = result;
    expect(($metadata as { httpStatusCode?: number }).httpStatusCode).toBe(200);
    expect(this.canonical(operation.output, got, this.options.output)).toEqual(
      this.canonical(operation.output, output, this.options.output),
    );
  }

  /**
   * Error direction: our codec encodes a ServiceError of the error shape `error.code` with the status the model
   * gives it; the SDK must throw that shape's exception with our message, status and fields. Returns the exception
   * for protocol-specific checks.
   */
  async checkError(
    command: SdkCommandClass,
    operationName: string,
    error: ErrorCase,
    input: Record<string, unknown> = {},
  ): Promise<CaughtError> {
    const shape = this.model.shapes[error.code] as StructureShape | undefined;
    if (!shape?.error) throw new Error(`${this.model.name}: ${error.code} is not an error shape`);
    const traits = shape.error;
    const status = traits.httpStatus ?? (traits.fault === 'server' ? 500 : 400);
    const serviceError = new ServiceError(error.code, error.message, {
      status,
      fault: traits.fault,
      ...(error.fields ? { fields: error.fields } : {}),
    });
    const e = await this.sdkErrorFor(command, operationName, serviceError, input);
    const queryErrors = this.options.queryErrors ?? this.model.protocol === 'awsQuery';
    // Clients that read the legacy code look it up as a shape name first: CloudWatch DashboardNotFoundError's code is
    // ResourceNotFound, itself an error shape, so the SDK (against AWS too) throws ResourceNotFound.
    const legacy = traits.queryCode;
    const readsLegacy = queryErrors || this.model.awsQueryCompatible;
    const byLegacy = readsLegacy && legacy && legacy !== error.code && this.model.shapes[legacy] ? legacy : undefined;
    expect(e.name).toBe(byLegacy ?? error.code);
    expect(e.message).toBe(error.message);
    if (!byLegacy) expect(e.$fault).toBe(traits.fault);
    const wireStatus = queryErrors ? (traits.queryStatus ?? status) : status;
    expect(e.$metadata.httpStatusCode).toBe(wireStatus);
    expect(e.$metadata.requestId).toBe(REQUEST_ID);
    if (error.fields && !byLegacy) {
      const got: Record<string, unknown> = {};
      for (const k of Object.keys(error.fields)) got[k] = e[k];
      expect(this.canonical(error.code, got, this.options.output)).toEqual(
        this.canonical(error.code, error.fields, this.options.output),
      );
    }
    return e;
  }

  /** The exception the SDK throws for our encoding of any ServiceError (also errors outside the model). */
  async sdkErrorFor(
    command: SdkCommandClass,
    operationName: string,
    error: ServiceError,
    input: Record<string, unknown> = {},
  ): Promise<CaughtError> {
    const operation = this.operation(operationName);
    this.respond = () => this.codec.encodeError(this.model, error, REQUEST_ID, operation);
    try {
      await this.client.send(new command(input as never) as never);
    } catch (e) {
      if (e instanceof Error) return e as unknown as CaughtError;
      throw e;
    }
    throw new Error(`the SDK did not throw for ${error.code}`);
  }

  private operation(name: string): OperationModel {
    const op = this.model.operations[name];
    if (!op) throw new Error(`${this.model.name}: no operation ${name}`);
    return op;
  }

  private canonical(shape: string | undefined, value: unknown, o: NormaliseOptions | undefined): unknown {
    if (!shape) return {};
    return normalise(this.model, shape, value, o) ?? {};
  }
}

/** Idempotency tokens the SDK filled in (absent from the caller's input) are checked for presence and dropped. */
function dropFilledTokens(
  model: ServiceModel,
  shapeName: string,
  input: Record<string, unknown>,
  decoded: Record<string, unknown>,
): void {
  const shape = model.shapes[shapeName];
  if (!shape || shape.type === 'list' || shape.type === 'map') return;
  for (const name in shape.members) {
    if (!shape.members[name]?.idempotencyToken || input[name] !== undefined) continue;
    expect(typeof decoded[name]).toBe('string');
    delete decoded[name];
  }
}

/** The SDK's outgoing request as the router would hand it to a codec. */
export function toOurRequest(req: SdkHttpRequest): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  let rawQuery = '';
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === undefined) continue;
    const values = v === null ? [null] : typeof v === 'string' ? [v] : v;
    for (const item of values) {
      if (rawQuery) rawQuery += '&';
      rawQuery += item === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(item)}`;
    }
  }
  const body = req.body;
  let buf: Buffer;
  if (body === undefined || body === null) buf = Buffer.alloc(0);
  else if (typeof body === 'string') buf = Buffer.from(body, 'utf8');
  else if (body instanceof Uint8Array) buf = Buffer.from(body);
  else throw new Error(`unsupported request body ${typeof body}`);
  return { method: req.method, path: req.path, rawQuery, headers, body: buf };
}

/** Our codec's response as the SDK's handler must return it. */
export function toSdkResponse(res: HttpResponse): SdkHttpResponse {
  const body = typeof res.body === 'string' ? Buffer.from(res.body, 'utf8') : res.body;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return { statusCode: res.status, headers, body: new Uint8Array(body) };
}
