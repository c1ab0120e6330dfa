// Switchyard's own endpoints under /_switchyard/: health and reset, the SNS outbox and signing certificate.
import type { HttpRequest, HttpResponse } from '../protocols/http.js';
import type { SnsInternal } from '../services/sns/provider.js';
import { SIGNING_CERT_PATH, SIGNING_CERTIFICATE } from '../services/sns/signing-key.js';
import type { Switchyard } from './switchyard.js';
import { TLS_CERTIFICATE } from './tls-certificate.js';

const VERSION = '0.1.0';

export async function handleInternal(sy: Switchyard, req: HttpRequest): Promise<HttpResponse> {
  const path = req.path.replace(/\/+$/, '');
  if (path === '/_switchyard/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    return json(200, { status: 'running', version: VERSION, services: sy.services() });
  }
  if (path === '/_switchyard/reset' && req.method === 'POST') {
    sy.reset();
    return json(200, { reset: true });
  }
  if (path === '/_switchyard/sns/outbox') {
    // Messages that would have left the machine (email, SMS, mobile push): read them, or clear them with DELETE.
    const sns = (await sy.provider('sns'))?.internal as SnsInternal | undefined;
    if (req.method === 'GET' && sns) return json(200, { messages: sns.outbox() });
    if (req.method === 'DELETE' && sns) {
      sns.clearOutbox();
      return json(200, { cleared: true });
    }
  }
  if (path === SIGNING_CERT_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
    // The certificate of the key SNS messages are signed with (SigningCertURL), for message validators.
    return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: SIGNING_CERTIFICATE };
  }
  if (path === '/_switchyard/tls/certificate.pem' && (req.method === 'GET' || req.method === 'HEAD')) {
    // The certificate of Switchyard's HTTPS (same port): trust it in a client to use https:// endpoints.
    return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: TLS_CERTIFICATE };
  }
  return json(404, { error: 'NotFound', message: `No Switchyard route ${req.method} ${req.path}` });
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
