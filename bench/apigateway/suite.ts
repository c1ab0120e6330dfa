// The API Gateway suite: raw GET requests through a REST API's invoke URL (`/_aws/execute-api/ID/STAGE/PATH`) to a
// MOCK integration (static templates, then Velocity templates) and to a warm Lambda proxy integration, against a
// canned server that answers the MOCK's response with no work; then through an HTTP API (`/_aws/execute-api/ID/PATH`,
// stage $default) to the same warm Lambda (payload 2.0) and, since HTTP APIs have no MOCK integration, to their
// cheapest integration: HTTP_PROXY to the canned server. The Lambda rows are also measured against serverless-offline
// serving the same handler (installed on first use, see serverless-offline.ts).
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import type { LoadJob } from '../harness/load-jobs.js';
import { runLoad, startScriptServer, startSwitchyardCli, type ServerProcess } from '../harness/processes.js';
import { CREDENTIALS, describeLoad, guard, measuredRow, othersNote, resetSwitchyard, throughputTable, type Row } from '../harness/report.js';
import type { SuiteReport } from '../sqs/suite.js';
import { startServerlessOffline, type ServerlessOffline } from './serverless-offline.js';

export type ApiGatewayScenario = 'mock' | 'lambda' | 'http-lambda' | 'http-proxy';
export const APIGATEWAY_SCENARIOS: readonly ApiGatewayScenario[] = ['mock', 'lambda', 'http-lambda', 'http-proxy'];

export interface ApiGatewayOptions {
  durationMs: number;
  warmupMs: number;
  connections: number;
  scenarios: readonly ApiGatewayScenario[];
  log: (line: string) => void;
}

const FUNCTION = 'bench-apigw-fn';
const HANDLER = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true, id: event.pathParameters.id }) });`;

/** An API with GET /mock (MOCK, response template) and GET /fn/{id} (Lambda proxy), deployed to stage `bench`. */
async function setUp(endpoint: string, withLambda: boolean): Promise<{ restApiId: string; fnArn: string }> {
  await resetSwitchyard(endpoint);
  const config = { endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  const apigw = new APIGatewayClient(config);
  const lambda = new LambdaClient(config);
  try {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'bench' }));
    const restApiId = api.id ?? '';
    let fnArn = '';
    const mock = (await apigw.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'mock' }))).id;
    await apigw.send(new PutMethodCommand({ restApiId, resourceId: mock, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({ restApiId, resourceId: mock, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }),
    );
    await apigw.send(new PutMethodResponseCommand({ restApiId, resourceId: mock, httpMethod: 'GET', statusCode: '200' }));
    await apigw.send(
      new PutIntegrationResponseCommand({ restApiId, resourceId: mock, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }),
    );
    const tpl = (await apigw.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'tpl' }))).id;
    await apigw.send(new PutMethodCommand({ restApiId, resourceId: tpl, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({ restApiId, resourceId: tpl, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": $input.params(\'code\')}' } }),
    );
    await apigw.send(new PutMethodResponseCommand({ restApiId, resourceId: tpl, httpMethod: 'GET', statusCode: '200' }));
    await apigw.send(
      new PutIntegrationResponseCommand({
        restApiId,
        resourceId: tpl,
        httpMethod: 'GET',
        statusCode: '200',
        responseTemplates: { 'application/json': '{"id":"$context.requestId","stage":"$context.stage","q":"$util.escapeJavaScript($input.params(\'q\'))"}' },
      }),
    );
    if (withLambda) {
      fnArn = (
        await lambda.send(
          new CreateFunctionCommand({
            FunctionName: FUNCTION,
            Runtime: 'nodejs20.x',
            Role: 'arn:aws:iam::000000000000:role/bench',
            Handler: 'index.handler',
            Code: { ZipFile: zipSync({ 'index.js': strToU8(HANDLER) }) },
          }),
        )
      ).FunctionArn ?? '';
      for (let i = 0; i < 100; i++) {
        const state = (await lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION }))).Configuration?.State;
        if (state === 'Active') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const fn = (await apigw.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'fn' }))).id;
      const id = (await apigw.send(new CreateResourceCommand({ restApiId, parentId: fn, pathPart: '{id}' }))).id;
      await apigw.send(new PutMethodCommand({ restApiId, resourceId: id, httpMethod: 'GET', authorizationType: 'NONE' }));
      await apigw.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId: id,
          httpMethod: 'GET',
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
        }),
      );
    }
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'bench' }));
    return { restApiId, fnArn };
  } finally {
    apigw.destroy();
    lambda.destroy();
  }
}

/** An HTTP API on stage $default (auto-deploy): GET /fn/{id} to the Lambda (payload 2.0), GET /proxy HTTP_PROXY to the canned server. */
async function setUpHttpApi(endpoint: string, fnArn: string, cannedPort: number): Promise<string> {
  const v2 = new ApiGatewayV2Client({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    const ApiId = (await v2.send(new CreateApiCommand({ Name: 'bench-http', ProtocolType: 'HTTP' }))).ApiId ?? '';
    if (fnArn) {
      const fn = await v2.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn, PayloadFormatVersion: '2.0' }));
      await v2.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /fn/{id}', Target: `integrations/${fn.IntegrationId ?? ''}` }));
    }
    const proxy = await v2.send(
      new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `http://127.0.0.1:${cannedPort}/bench/proxy`, PayloadFormatVersion: '1.0' }),
    );
    await v2.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /proxy', Target: `integrations/${proxy.IntegrationId ?? ''}` }));
    await v2.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
    return ApiId;
  } finally {
    v2.destroy();
  }
}

function rawGet(port: number, path: string): string {
  return `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nuser-agent: bench\r\naccept: application/json\r\nconnection: keep-alive\r\n\r\n`;
}

async function measure(opts: ApiGatewayOptions, server: ServerProcess, request: string, operation: string): Promise<Row> {
  const job: LoadJob = {
    kind: 'closed-loop',
    port: server.port,
    connections: opts.connections,
    warmupMs: opts.warmupMs,
    durationMs: opts.durationMs,
    workload: { type: 'repeat', request, messagesPerRequest: 1 },
  };
  return measuredRow(operation, server.name, 1, await runLoad(job, server.pid));
}

export async function runApiGatewaySuite(opts: ApiGatewayOptions): Promise<SuiteReport> {
  const rows: Row[] = [];
  let sls: ServerlessOffline | undefined;
  let slsError: string | undefined;
  const sy = await startSwitchyardCli();
  const canned = await startScriptServer('canned', '../apigateway/canned-server.ts');
  const want = (s: ApiGatewayScenario): boolean => opts.scenarios.includes(s);
  try {
    const { restApiId: apiId, fnArn } = await setUp(sy.endpoint, want('lambda') || want('http-lambda'));
    const httpApiId = want('http-lambda') || want('http-proxy') ? await setUpHttpApi(sy.endpoint, want('http-lambda') ? fnArn : '', canned.port) : '';
    const rest = `/_aws/execute-api/${apiId}/bench`;
    const http = `/_aws/execute-api/${httpApiId}`;
    // [operation, path on Switchyard, whether the canned server is measured beside it, serverless-offline's path]
    const runs: Array<[string, string, boolean, ('restPath' | 'httpPath')?]> = [];
    if (want('mock')) {
      runs.push(['REST API: GET → MOCK integration (static templates)', `${rest}/mock`, true]);
      runs.push(['REST API: GET → MOCK integration (Velocity templates)', `${rest}/tpl?code=200&q=x`, false]);
    }
    if (want('lambda')) runs.push(['REST API: GET → Lambda proxy (warm, nodejs20.x)', `${rest}/fn/42`, false, 'restPath']);
    if (want('http-lambda')) runs.push(['HTTP API: GET → Lambda proxy, payload 2.0 (warm, nodejs20.x)', `${http}/fn/42`, false, 'httpPath']);
    if (want('lambda') || want('http-lambda')) {
      try {
        sls = await startServerlessOffline(HANDLER, opts.log);
        for (let round = 0; round < 3; round++) {
          const url = `${sls.endpoint}${sls.restPath}`;
          await Promise.all(Array.from({ length: opts.connections }, async () => (await fetch(url)).arrayBuffer()));
        }
      } catch (err) {
        slsError = (err as Error).message;
        opts.log(`serverless-offline is not compared: ${slsError}`);
      }
    }
    if (want('http-proxy')) runs.push(['HTTP API: GET → HTTP_PROXY to the canned server (no MOCK in HTTP APIs)', `${http}/proxy`, false]);
    for (const [enabled, path] of [[want('lambda'), `${rest}/fn/warm`], [want('http-lambda'), `${http}/fn/warm`]] as const) {
      if (!enabled) continue;
      // Start one execution environment per connection before measuring, so the window sees warm functions only.
      const url = `${sy.endpoint}${path}`;
      for (let round = 0; round < 3; round++) {
        await Promise.all(Array.from({ length: opts.connections }, async () => (await fetch(url)).arrayBuffer()));
      }
    }
    for (const [operation, path, compare, slsPath] of runs) {
      opts.log(`\n${operation}: ${opts.connections} connections, ${opts.durationMs / 1000} s after ${opts.warmupMs / 1000} s warm-up`);
      const servers: Array<[ServerProcess, string]> = [[sy, path]];
      if (compare) servers.push([canned, '/bench/mock']);
      if (slsPath && sls) servers.push([sls, sls[slsPath]]);
      for (const [server, serverPath] of servers) {
        const row = await guard(operation, server.name, 1, () => measure(opts, server, rawGet(server.port, serverPath), operation));
        opts.log(describeLoad(row));
        rows.push(row);
      }
    }
  } finally {
    await sy.stop();
    await canned.stop();
    await sls?.stop();
  }
  const mockSy = rows.find((r) => r.server === 'switchyard' && r.operation.includes('static'))?.load;
  const mockCanned = rows.find((r) => r.server === 'canned')?.load;
  let aim = '';
  if (mockSy && mockCanned) {
    const added = mockSy.serverCpuUs / mockSy.result.requests - mockCanned.serverCpuUs / mockCanned.result.requests;
    aim = `\n\nA MOCK integration adds ${added.toFixed(0)} µs of server CPU per request over the canned server (aim: under 100 µs).`;
    opts.log(aim.trim());
  }
  return {
    title: 'API Gateway (REST and HTTP APIs)',
    markdown:
      `Raw GET requests through the invoke URLs (\`/_aws/execute-api/ID/STAGE/PATH\` for the REST API, ` +
      `\`/_aws/execute-api/ID/PATH\` for the HTTP API's $default stage) over ${opts.connections} keep-alive ` +
      `connections, ${opts.durationMs / 1000} s each after ${opts.warmupMs / 1000} s warm-up; the canned server answers the ` +
      `MOCK's response with no work; ratio = Switchyard / canned. HTTP APIs have no MOCK integration: their cheapest ` +
      `route is measured as HTTP_PROXY to the canned server (its time includes the canned server's answer). ` +
      (slsError === undefined
        ? `The Lambda rows also show serverless-offline 13 (serverless 3) serving the same handler ` +
          `(its server CPU includes the handler, which runs in its process; Switchyard's excludes the function's process).\n\n`
        : `serverless-offline could not be measured: ${slsError.slice(0, 200)}\n\n`) +
      throughputTable(rows, 'requests') +
      aim +
      othersNote(rows),
  };
}
