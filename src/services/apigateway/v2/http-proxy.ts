// HTTP_PROXY integrations: the request goes to the backend URL (path variables and stage variables substituted,
// parameter mapping applied) and its answer comes back as it is. The wait is bounded on the injected clock and runs
// on its own, so a slow backend holds up only its own requests.
import type { Integration } from '@aws-sdk/client-apigatewayv2';
import type { ServiceHost } from '../../../core/provider.js';
import type { HttpResponse } from '../../../protocols/http.js';
import { GatewayErrors, type HttpApiRequest } from './http-request.js';
import { applyProxyMapping, evaluate, type ProxyShape } from './parameter-mapping.js';

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'content-length']);

export async function proxyHttp(host: ServiceHost, integration: Integration, req: HttpApiRequest): Promise<HttpResponse> {
  let uri = (integration.IntegrationUri ?? '').replace(/\{([A-Za-z0-9._-]+)\+?\}/g, (m, name: string) => {
    const v = req.pathParameters?.[name];
    return v === undefined ? m : v.split('/').map(encodeURIComponent).join('/');
  });
  uri = uri.replace(/\$\{stageVariables\.[A-Za-z0-9_]+\}/g, (m) => evaluate(m, req) ?? '');
  let target: URL;
  try {
    target = new URL(uri);
  } catch {
    host.log.warn(`apigatewayv2 HTTP_PROXY: ${uri} is not a valid URL after substitution`);
    return GatewayErrors.internal();
  }
  const shape: ProxyShape = { headers: new Map(), query: new Map(), path: undefined };
  for (const [k, v] of req.headers) if (!HOP_BY_HOP.has(k)) shape.headers.set(k, [...v]);
  for (const [k, v] of target.searchParams) shape.query.set(k, [...(shape.query.get(k) ?? []), v]);
  for (const [k, v] of req.query) shape.query.set(k, [...(shape.query.get(k) ?? []), ...v]);
  applyProxyMapping(integration.RequestParameters, req, shape);
  if (shape.path !== undefined) target.pathname = shape.path;
  target.search = '';
  for (const [k, values] of shape.query) for (const v of values) target.searchParams.append(k, v);
  const headers = new Headers();
  for (const [k, values] of shape.headers) for (const v of values) headers.append(k, v);
  const method = integration.IntegrationMethod && integration.IntegrationMethod !== 'ANY' ? integration.IntegrationMethod : req.method;
  const abort = new AbortController();
  const timer = host.clock.setTimer(integration.TimeoutInMillis ?? 30000, () => abort.abort(new Error('timeout')));
  try {
    const res = await fetch(target, {
      method,
      headers,
      redirect: 'manual',
      signal: abort.signal,
      ...(method === 'GET' || method === 'HEAD' || req.body.length === 0 ? {} : { body: req.body }),
    });
    const body = Buffer.from(await res.arrayBuffer());
    const out: Record<string, string | string[]> = {};
    res.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.has(k) && k !== 'content-encoding' && k !== 'set-cookie') out[k] = v;
    });
    const cookies = res.headers.getSetCookie();
    if (cookies.length) out['set-cookie'] = cookies;
    return { status: res.status, headers: out, body };
  } catch (err) {
    if (abort.signal.aborted) return GatewayErrors.unavailable();
    host.log.warn(`apigatewayv2 HTTP_PROXY to ${target.origin} failed: ${err instanceof Error ? err.message : String(err)}`);
    return GatewayErrors.internal();
  } finally {
    timer.cancel();
  }
}
