// Test support: a Switchyard (optionally on a fake clock) with API Gateway, Lambda and SQS clients, and fetch through
// the invoke URL (`/_aws/execute-api/ID/STAGE/PATH`, since this machine does not resolve *.localhost).
import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

export interface ApiGatewayHarness {
  readonly sy: RunningSwitchyard;
  readonly apigw: APIGatewayClient;
  readonly lambda: LambdaClient;
  readonly sqs: SQSClient;
  /** fetch through the invoke URL's path form. */
  invoke(apiId: string, stagePath: string, init?: RequestInit): Promise<Response>;
  /** A new REST API; returns its id and root resource id. */
  api(name?: string): Promise<{ id: string; root: string }>;
  /** Creates each path part under parent in turn and returns the last resource's id. */
  resource(apiId: string, parentId: string, path: string): Promise<string>;
  /** PutMethod (authorization NONE) and PutIntegration in one step. */
  method(
    apiId: string,
    resourceId: string,
    httpMethod: string,
    integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>,
  ): Promise<void>;
  close(): Promise<void>;
}

export async function startApiGatewayHarness(options: { clock?: Clock } = {}): Promise<ApiGatewayHarness> {
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', ...(options.clock ? { clock: options.clock } : {}) });
  const config = { endpoint: sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const apigw = new APIGatewayClient(config);
  const lambda = new LambdaClient(config);
  const sqs = new SQSClient(config);
  return {
    sy,
    apigw,
    lambda,
    sqs,
    invoke: (apiId, stagePath, init) => fetch(`${sy.endpoint}/_aws/execute-api/${apiId}${stagePath}`, init),
    api: async (name = 'test-api') => {
      const api = await apigw.send(new CreateRestApiCommand({ name }));
      return { id: api.id ?? '', root: api.rootResourceId ?? '' };
    },
    resource: async (apiId, parentId, path) => {
      let parent = parentId;
      const existing = (await apigw.send(new GetResourcesCommand({ restApiId: apiId, limit: 500 }))).items ?? [];
      let at = existing.find((r) => r.id === parentId)?.path ?? '/';
      for (const part of path.split('/').filter(Boolean)) {
        const full = at === '/' ? `/${part}` : `${at}/${part}`;
        const found = existing.find((r) => r.path === full);
        parent = found?.id ?? (await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: parent, pathPart: part }))).id ?? '';
        at = full;
      }
      return parent;
    },
    method: async (apiId, resourceId, httpMethod, integration) => {
      await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod, authorizationType: 'NONE' }));
      await apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod, ...integration }));
    },
    close: async () => {
      apigw.destroy();
      lambda.destroy();
      sqs.destroy();
      await sy.stop();
    },
  };
}
