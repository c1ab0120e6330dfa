// The contract between the router and a wire protocol: request -> { operation, input }, output or error -> response.
import type { ServiceError } from '../core/errors.js';
import type { OperationModel, ServiceModel } from '../models/types.js';
import type { HttpRequest, HttpResponse } from './http.js';

export interface DecodedRequest {
  readonly operation: OperationModel;
  readonly input: Record<string, unknown>;
}

export interface Codec {
  /** Finds the operation and decodes its input; throws a ServiceError for malformed requests. */
  decode(req: HttpRequest, model: ServiceModel): DecodedRequest;
  /**
   * Finds the operation only (no input decoding), for error responses before decoding; undefined when the request
   * names none.
   */
  operationName(req: HttpRequest, model: ServiceModel): string | undefined;
  encodeOutput(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): HttpResponse;
  encodeError(model: ServiceModel, error: ServiceError, requestId: string, operation?: OperationModel): HttpResponse;
}
