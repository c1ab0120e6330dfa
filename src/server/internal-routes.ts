// Switchyard's own endpoints under /_switchyard/: health and reset.
import type { HttpRequest, HttpResponse } from '../protocols/http.js';
import type { Switchyard } from './switchyard.js';

const VERSION = '0.1.0';

export function handleInternal(sy: Switchyard, req: HttpRequest): HttpResponse {
  const path = req.path.replace(/\/+$/, '');
  if (path === '/_switchyard/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    return json(200, { status: 'running', version: VERSION, services: sy.services() });
  }
  if (path === '/_switchyard/reset' && req.method === 'POST') {
    sy.reset();
    return json(200, { reset: true });
  }
  return json(404, { error: 'NotFound', message: `No Switchyard route ${req.method} ${req.path}` });
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
