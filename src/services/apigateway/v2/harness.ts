// Test support: a Switchyard with API Gateway v2, SDK clients for it, Lambda functions from inline code, and helpers
// that reach invoke URLs through `/_aws/execute-api/ID/...` (this machine does not resolve *.localhost).
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import type { Clock } from '../../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../../index.js';

export const ACCOUNT = '000000000000';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface V2Harness {
  readonly sy: RunningSwitchyard;
  readonly v2: ApiGatewayV2Client;
  readonly lambda: LambdaClient;
  /** A management API client for an endpoint (Switchyard's own, or an API's callback URL). */
  management(endpoint?: string): ApiGatewayManagementApiClient;
  /** fetch() to `/_aws/execute-api/API_ID` + path. */
  invoke(apiId: string, path: string, init?: RequestInit): Promise<Response>;
  wsUrl(apiId: string, stage: string): string;
  /** Creates a Node.js function from the source of index.mjs and answers its ARN. */
  fn(name: string, source: string, timeout?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startV2Harness(options: { clock?: Clock } = {}): Promise<V2Harness> {
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', ...(options.clock ? { clock: options.clock } : {}) });
  const common = { region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  const v2 = new ApiGatewayV2Client({ endpoint: sy.endpoint, ...common });
  const lambda = new LambdaClient({ endpoint: sy.endpoint, ...common });
  const clients: Array<{ destroy(): void }> = [v2, lambda];
  return {
    sy,
    v2,
    lambda,
    management: (endpoint = sy.endpoint) => {
      const c = new ApiGatewayManagementApiClient({ endpoint, ...common });
      clients.push(c);
      return c;
    },
    invoke: (apiId, path, init) => fetch(`${sy.endpoint}/_aws/execute-api/${apiId}${path}`, init),
    wsUrl: (apiId, stage) => `${sy.endpoint.replace(/^http/, 'ws')}/_aws/execute-api/${apiId}/${stage}`,
    fn: async (name, source, timeout = 10) => {
      const out = await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Role: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
          Handler: 'index.handler',
          Timeout: timeout,
          Code: { ZipFile: zipSync({ 'index.mjs': strToU8(source) }) },
        }),
      );
      return out.FunctionArn ?? '';
    },
    close: async () => {
      for (const c of clients) c.destroy();
      await sy.stop();
    },
  };
}
