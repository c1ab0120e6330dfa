// The API Gateway management API (`@connections`): PostToConnection, GetConnection and DeleteConnection on the
// connections the apigatewayv2 provider holds.
import type { DeleteConnectionRequest, GetConnectionRequest, GetConnectionResponse, PostToConnectionRequest } from '@aws-sdk/client-apigatewaymanagementapi';
import type { RequestContext } from '../../../core/context.js';
import type { ServiceHost, ServiceProvider } from '../../../core/provider.js';
import { ManagementErrors } from './errors.js';
import type { ApiGatewayV2Internal } from './provider.js';

export function createApiGatewayManagementProvider(host: ServiceHost): ServiceProvider {
  const connections = async (id: string | undefined): Promise<ApiGatewayV2Internal['connections']> => {
    const v2 = (await host.provider('apigatewayv2'))?.internal as ApiGatewayV2Internal | undefined;
    if (!v2) throw ManagementErrors.gone(id ?? '');
    return v2.connections;
  };
  return {
    name: 'apigatewaymanagementapi',
    reset: () => undefined,
    stop: () => undefined,
    operations: {
      PostToConnection: async (_ctx: RequestContext, input: PostToConnectionRequest): Promise<Record<string, never>> => {
        (await connections(input.ConnectionId)).post(input.ConnectionId ?? '', input.Data);
        return {};
      },
      GetConnection: async (_ctx: RequestContext, input: GetConnectionRequest): Promise<GetConnectionResponse> =>
        (await connections(input.ConnectionId)).describe(input.ConnectionId ?? ''),
      DeleteConnection: async (_ctx: RequestContext, input: DeleteConnectionRequest): Promise<void> => {
        (await connections(input.ConnectionId)).disconnect(input.ConnectionId ?? '');
      },
    },
  };
}
