// Picks the codec for a request: the content type says awsJson or awsQuery; otherwise the service's own protocol.
import type { ServiceModel, WireProtocol } from '../models/types.js';
import { AwsJsonCodec } from './aws-json.js';
import { AwsQueryCodec } from './aws-query.js';
import type { Codec } from './codec.js';
import type { HttpRequest } from './http.js';
import { header } from './http.js';

const awsJson10 = new AwsJsonCodec('1.0');
const awsJson11 = new AwsJsonCodec('1.1');
const awsQuery = new AwsQueryCodec();

const restCodecs: Partial<Record<WireProtocol, Codec>> = {};

/** REST codecs register here, so this module does not depend on them. */
export function registerCodec(protocol: WireProtocol, codec: Codec): void {
  restCodecs[protocol] = codec;
}

export function codecFor(req: HttpRequest, model: ServiceModel): Codec | undefined {
  const contentType = header(req, 'content-type') ?? '';
  if (contentType.startsWith('application/x-amz-json-1.0')) return awsJson10;
  if (contentType.startsWith('application/x-amz-json-1.1')) return awsJson11;
  const speaksQuery = model.protocol === 'awsQuery' || model.awsQueryCompatible === true;
  if (speaksQuery && (contentType.startsWith('application/x-www-form-urlencoded') || req.rawQuery.includes('Action='))) {
    return awsQuery;
  }
  return codecForProtocol(model.protocol);
}

export function codecForProtocol(protocol: WireProtocol): Codec | undefined {
  switch (protocol) {
    case 'awsJson1_0':
      return awsJson10;
    case 'awsJson1_1':
      return awsJson11;
    case 'awsQuery':
      return awsQuery;
    default:
      return restCodecs[protocol];
  }
}
