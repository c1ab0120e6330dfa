// API Gateway v2 (HTTP and WebSocket APIs): the control plane's operations table, and the data plane that serves
// invoke URLs (HTTP requests the REST provider hands over for ids it does not own, and WebSocket upgrades).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestContext } from '../../../core/context.js';
import { ServiceError } from '../../../core/errors.js';
import type { DataPlaneRequest, ServiceHost, ServiceProvider } from '../../../core/provider.js';
import type { HttpResponse } from '../../../protocols/http.js';
import { Authorizers } from './authorizers.js';
import { domainPathOf } from '../domains.js';
import { ControlPlane } from './control-plane.js';
import { V2DomainNames } from './domain-names.js';
import { GatewayErrors } from './http-request.js';
import { HttpApiInvoker } from './http-invoke.js';
import { Throttle } from './throttling.js';
import { WebSocketGateway } from './websocket.js';

/** What the management API (and tests) reach in process. */
export interface ApiGatewayV2Internal {
  readonly connections: Pick<WebSocketGateway, 'post' | 'describe' | 'disconnect'>;
}

const CONNECTIONS_PATH = /^\/[^/]+\/@connections\/([^/]+)\/?$/;

export function createApiGatewayV2Provider(host: ServiceHost): ServiceProvider {
  const control = new ControlPlane();
  const throttle = new Throttle(host.clock);
  const authorizers = new Authorizers(host);
  const invoker = new HttpApiInvoker(host, throttle, authorizers);
  const sockets = new WebSocketGateway(host);
  const c = control;
  const d = new V2DomainNames(host, control);

  const dataPlane = {
    handle: async (req: DataPlaneRequest): Promise<HttpResponse> => {
      const record = control.findApi(req.id);
      // A custom domain whose mapping names an API that is gone answers as an unmapped path does.
      if (!record) return domainPathOf(req) === undefined ? GatewayErrors.notFound() : GatewayErrors.forbidden();
      if (record.api.ProtocolType === 'WEBSOCKET') {
        const m = CONNECTIONS_PATH.exec(req.request.path);
        if (m) return manageOverCallbackUrl(sockets, req, decodeURIComponent(m[1] ?? ''));
        return GatewayErrors.notFound();
      }
      return invoker.handle(record, req);
    },
    upgrade: (req: DataPlaneRequest, raw: IncomingMessage, socket: Duplex, head: Buffer): void => {
      const record = control.findApi(req.id);
      if (!record || record.api.ProtocolType !== 'WEBSOCKET') {
        socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      sockets.upgrade(record, req, raw, socket, head);
    },
  };

  const internal: ApiGatewayV2Internal = { connections: sockets };

  return {
    name: 'apigatewayv2',
    internal,
    dataPlane,
    reset: () => {
      sockets.closeAll();
      control.stores.clear();
      throttle.clear();
      authorizers.clear();
    },
    stop: () => sockets.closeAll(),
    operations: {
      CreateApi: c.createApi.bind(c),
      GetApi: c.getApi.bind(c),
      GetApis: c.getApis.bind(c),
      UpdateApi: c.updateApi.bind(c),
      DeleteApi: (ctx: RequestContext, input: { ApiId?: string }): void => {
        const record = c.deleteApi(ctx, input);
        sockets.closeAll(record.api.ApiId);
      },
      DeleteCorsConfiguration: c.deleteCorsConfiguration.bind(c),
      CreateRoute: c.createRoute.bind(c),
      GetRoute: c.getRoute.bind(c),
      GetRoutes: c.getRoutes.bind(c),
      UpdateRoute: c.updateRoute.bind(c),
      DeleteRoute: c.deleteRoute.bind(c),
      CreateRouteResponse: c.createRouteResponse.bind(c),
      GetRouteResponse: c.getRouteResponse.bind(c),
      GetRouteResponses: c.getRouteResponses.bind(c),
      DeleteRouteResponse: c.deleteRouteResponse.bind(c),
      CreateIntegration: c.createIntegration.bind(c),
      GetIntegration: c.getIntegration.bind(c),
      GetIntegrations: c.getIntegrations.bind(c),
      UpdateIntegration: c.updateIntegration.bind(c),
      DeleteIntegration: c.deleteIntegration.bind(c),
      CreateIntegrationResponse: c.createIntegrationResponse.bind(c),
      GetIntegrationResponse: c.getIntegrationResponse.bind(c),
      GetIntegrationResponses: c.getIntegrationResponses.bind(c),
      UpdateIntegrationResponse: c.updateIntegrationResponse.bind(c),
      DeleteIntegrationResponse: c.deleteIntegrationResponse.bind(c),
      CreateAuthorizer: c.createAuthorizer.bind(c),
      GetAuthorizer: c.getAuthorizer.bind(c),
      GetAuthorizers: c.getAuthorizers.bind(c),
      UpdateAuthorizer: c.updateAuthorizer.bind(c),
      DeleteAuthorizer: c.deleteAuthorizer.bind(c),
      CreateDeployment: c.createDeployment.bind(c),
      GetDeployment: c.getDeployment.bind(c),
      GetDeployments: c.getDeployments.bind(c),
      UpdateDeployment: c.updateDeployment.bind(c),
      DeleteDeployment: c.deleteDeployment.bind(c),
      CreateStage: c.createStage.bind(c),
      GetStage: c.getStage.bind(c),
      GetStages: c.getStages.bind(c),
      UpdateStage: c.updateStage.bind(c),
      DeleteStage: c.deleteStage.bind(c),
      DeleteRouteSettings: c.deleteRouteSettings.bind(c),
      ImportApi: c.importApi.bind(c),
      ReimportApi: c.reimportApi.bind(c),
      ExportApi: c.exportApi.bind(c),
      TagResource: c.tagResource.bind(c),
      UntagResource: c.untagResource.bind(c),
      GetTags: c.getTags.bind(c),
      CreateDomainName: d.createDomainName.bind(d),
      GetDomainName: d.getDomainName.bind(d),
      GetDomainNames: d.getDomainNames.bind(d),
      UpdateDomainName: d.updateDomainName.bind(d),
      DeleteDomainName: d.deleteDomainName.bind(d),
      CreateApiMapping: d.createApiMapping.bind(d),
      GetApiMapping: d.getApiMapping.bind(d),
      GetApiMappings: d.getApiMappings.bind(d),
      UpdateApiMapping: d.updateApiMapping.bind(d),
      DeleteApiMapping: d.deleteApiMapping.bind(d),
    },
  };
}

/** The management API at the API's own callback URL (`/STAGE/@connections/ID`), answered in its restJson1 shapes. */
function manageOverCallbackUrl(sockets: WebSocketGateway, req: DataPlaneRequest, connectionId: string): HttpResponse {
  try {
    switch (req.request.method) {
      case 'POST':
        sockets.post(connectionId, req.request.body);
        return { status: 200, headers: {}, body: '' };
      case 'GET': {
        const info = sockets.describe(connectionId);
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            connectedAt: info.ConnectedAt.toISOString(),
            identity: { sourceIp: info.Identity.SourceIp, userAgent: info.Identity.UserAgent },
            lastActiveAt: info.LastActiveAt.toISOString(),
          }),
        };
      }
      case 'DELETE':
        sockets.disconnect(connectionId);
        return { status: 204, headers: {}, body: '' };
      default:
        return GatewayErrors.forbidden();
    }
  } catch (err) {
    if (err instanceof ServiceError) {
      return {
        status: err.status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code },
        body: JSON.stringify({ message: err.message }),
      };
    }
    throw err;
  }
}
