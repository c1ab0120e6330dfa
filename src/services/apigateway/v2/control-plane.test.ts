// The control plane over the wire with the SDK client: APIs (quick create, CORS), routes and their key validation,
// integrations, authorizers, stages, deployments with AutoDeploy, tags and AWS's errors.
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  DeleteDeploymentCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetApiCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
  DeleteAuthorizerCommand,
  DeleteRouteResponseCommand,
  DeleteRouteSettingsCommand,
  GetAuthorizerCommand,
  GetDeploymentCommand,
  GetRouteResponseCommand,
  GetRouteResponsesCommand,
  UpdateAuthorizerCommand,
  UpdateDeploymentCommand,
  type CreateIntegrationCommandInput,
  type CreateRouteCommandInput,
  type ProtocolType,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2Harness, type V2Harness } from './harness.js';

let h: V2Harness;
beforeAll(async () => {
  h = await startV2Harness();
});
afterAll(async () => {
  await h.close();
});

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:f';

async function httpApi(name = 'api'): Promise<string> {
  return (await h.v2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }))).ApiId ?? '';
}

async function expectError(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } },
  );
  expect(err?.name).toBe(name);
  if (message !== undefined) expect(err?.message).toMatch(message);
}

describe('APIs', () => {
  it('creates, reads, lists, updates and deletes HTTP APIs', async () => {
    const created = await h.v2.send(
      new CreateApiCommand({
        Name: 'pets',
        ProtocolType: 'HTTP',
        Description: 'd',
        CorsConfiguration: { AllowOrigins: ['https://a.example'], AllowMethods: ['GET'], MaxAge: 60 },
        Tags: { team: 'x' },
      }),
    );
    expect(created.ApiId).toMatch(/^[a-z0-9]{10}$/);
    expect(created).toMatchObject({
      Name: 'pets',
      ProtocolType: 'HTTP',
      RouteSelectionExpression: '$request.method $request.path',
      ApiKeySelectionExpression: '$request.header.x-api-key',
      DisableExecuteApiEndpoint: false,
      CorsConfiguration: { AllowOrigins: ['https://a.example'], AllowMethods: ['GET'], MaxAge: 60 },
      Tags: { team: 'x' },
    });
    expect(created.ApiEndpoint).toContain(`${created.ApiId}.execute-api.localhost`);
    expect(created.CreatedDate).toBeInstanceOf(Date);
    const got = await h.v2.send(new GetApiCommand({ ApiId: created.ApiId }));
    expect(got.Name).toBe('pets');
    const updated = await h.v2.send(new UpdateApiCommand({ ApiId: created.ApiId, Name: 'pets2', Description: 'e' }));
    expect(updated).toMatchObject({ Name: 'pets2', Description: 'e' });
    await h.v2.send(new DeleteCorsConfigurationCommand({ ApiId: created.ApiId }));
    expect((await h.v2.send(new GetApiCommand({ ApiId: created.ApiId }))).CorsConfiguration).toBeUndefined();
    const list = await h.v2.send(new GetApisCommand({}));
    expect(list.Items?.some((a) => a.ApiId === created.ApiId)).toBe(true);
    await h.v2.send(new DeleteApiCommand({ ApiId: created.ApiId }));
    await expectError(h.v2.send(new GetApiCommand({ ApiId: created.ApiId })), 'NotFoundException', `Invalid API identifier specified 000000000000:${created.ApiId}`);
  });

  it('pages GetApis', async () => {
    for (let i = 0; i < 3; i++) await httpApi(`page-${i}`);
    const first = await h.v2.send(new GetApisCommand({ MaxResults: '2' }));
    expect(first.Items).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const second = await h.v2.send(new GetApisCommand({ MaxResults: '2', NextToken: first.NextToken }));
    expect(second.Items?.length).toBeGreaterThan(0);
  });

  it('quick-creates an integration, a route and an auto-deployed $default stage', async () => {
    const api = await h.v2.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: LAMBDA, RouteKey: 'GET /hello' }));
    const routes = await h.v2.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items).toHaveLength(1);
    expect(routes.Items?.[0]).toMatchObject({ RouteKey: 'GET /hello', ApiGatewayManaged: true });
    const integrations = await h.v2.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    expect(integrations.Items?.[0]).toMatchObject({ IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '2.0', ApiGatewayManaged: true, TimeoutInMillis: 30000 });
    const stage = await h.v2.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true, ApiGatewayManaged: true });
    expect(stage.DeploymentId).toBeDefined();
  });

  it('rejects bad APIs with AWS errors', async () => {
    await expectError(h.v2.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'GRPC' as ProtocolType })), 'BadRequestException', /ProtocolType/);
    await expectError(h.v2.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'WEBSOCKET' })), 'BadRequestException', /RouteSelectionExpression/);
    await expectError(
      h.v2.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'HTTP', RouteSelectionExpression: '$request.body.action' })),
      'BadRequestException',
    );
    await expectError(h.v2.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'HTTP', Target: LAMBDA, RouteKey: 'FETCH /x' })), 'BadRequestException');
    await expectError(h.v2.send(new GetApiCommand({ ApiId: 'nope123456' })), 'NotFoundException');
  });
});

describe('routes', () => {
  it('validates route keys', async () => {
    const apiId = await httpApi();
    for (const key of ['GET /pets', 'ANY /pets/{id}', 'POST /files/{proxy+}', '$default', 'GET /']) {
      const r = await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key }));
      expect(r.RouteKey).toBe(key);
      expect(r.RouteId).toMatch(/^[a-z0-9]{7}$/);
      expect(r.AuthorizationType).toBe('NONE');
    }
    for (const key of ['pets', 'GET pets', 'get /pets', 'GET /a/{proxy+}/b', 'GET /a//b', 'GET /a/{x}/{x}', 'GET /a{b}']) {
      await expectError(h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key })), 'BadRequestException');
    }
    await expectError(h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /pets' })), 'ConflictException', /already exists/);
    await expectError(h.v2.send(new CreateRouteCommand({ ApiId: apiId } as CreateRouteCommandInput)), 'BadRequestException', /Route key is required/);
  });

  it('reads, updates and deletes routes; targets must be integrations of the API', async () => {
    const apiId = await httpApi();
    const integ = await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '2.0' }));
    const route = await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: `integrations/${integ.IntegrationId}` }));
    await expectError(h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b', Target: 'integrations/zzzzzzz' })), 'BadRequestException');
    const updated = await h.v2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId, RouteKey: 'GET /c' }));
    expect(updated.RouteKey).toBe('GET /c');
    expect((await h.v2.send(new GetRouteCommand({ ApiId: apiId, RouteId: route.RouteId }))).Target).toBe(`integrations/${integ.IntegrationId}`);
    await expectError(h.v2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integ.IntegrationId })), 'ConflictException');
    await h.v2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
    await expectError(h.v2.send(new GetRouteCommand({ ApiId: apiId, RouteId: route.RouteId })), 'NotFoundException');
    await h.v2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integ.IntegrationId }));
  });
});

describe('integrations', () => {
  it('accepts Lambda, HTTP and AWS service integrations', async () => {
    const apiId = await httpApi();
    const l = await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '1.0', TimeoutInMillis: 5000 }));
    expect(l).toMatchObject({ IntegrationMethod: 'POST', TimeoutInMillis: 5000, ConnectionType: 'INTERNET' });
    const hp = await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com/{proxy}', IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0', RequestParameters: { 'overwrite:header.x-a': '$request.header.x-b' } }));
    expect(hp.IntegrationId).toBeDefined();
    const sqs = await h.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationSubtype: 'SQS-SendMessage',
        PayloadFormatVersion: '1.0',
        CredentialsArn: 'arn:aws:iam::000000000000:role/r',
        RequestParameters: { QueueUrl: '$stageVariables.queue', MessageBody: '$request.body' },
      }),
    );
    expect(sqs.IntegrationSubtype).toBe('SQS-SendMessage');
    const upd = await h.v2.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: l.IntegrationId, TimeoutInMillis: 100 }));
    expect(upd.TimeoutInMillis).toBe(100);
    expect((await h.v2.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: l.IntegrationId }))).TimeoutInMillis).toBe(100);
  });

  it('rejects bad integrations', async () => {
    const apiId = await httpApi();
    const bad = [
      { IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '1.0', TimeoutInMillis: 30001 },
      { IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '1.0', TimeoutInMillis: 49 },
      { IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA, PayloadFormatVersion: '3.0' },
      { IntegrationType: 'AWS_PROXY', IntegrationUri: 'not-an-arn', PayloadFormatVersion: '2.0' },
      { IntegrationType: 'HTTP_PROXY', IntegrationUri: 'ftp://x', IntegrationMethod: 'GET' },
      { IntegrationType: 'MOCK' },
      { IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'SQS-SendMessage', PayloadFormatVersion: '1.0', RequestParameters: { QueueUrl: 'q' } },
      { IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'SQS-SendMessage', PayloadFormatVersion: '1.0', RequestParameters: { QueueUrl: 'q', MessageBody: 'b', Nope: 'x' } },
      { IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'Kafka-Send', PayloadFormatVersion: '1.0' },
    ] as Array<Omit<CreateIntegrationCommandInput, 'ApiId'>>;
    for (const input of bad) await expectError(h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, ...input })), 'BadRequestException');
  });
});

describe('stages and deployments', () => {
  it('deploys manually, auto-deploys on change, and guards deployments in use', async () => {
    const apiId = await httpApi();
    await expectError(h.v2.send(new CreateDeploymentCommand({ ApiId: apiId })), 'BadRequestException', 'At least one route is required before deploying the Api.');
    await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a' }));
    const stage = await h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', StageVariables: { v: '1' }, DefaultRouteSettings: { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 10 } }));
    expect(stage).toMatchObject({ StageName: 'dev', AutoDeploy: false, StageVariables: { v: '1' }, DefaultRouteSettings: { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 10 } });
    expect(stage.DeploymentId).toBeUndefined();
    const d = await h.v2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'dev', Description: 'first' }));
    expect(d).toMatchObject({ DeploymentStatus: 'DEPLOYED', AutoDeployed: false, Description: 'first' });
    expect((await h.v2.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }))).DeploymentId).toBe(d.DeploymentId);
    await expectError(h.v2.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: d.DeploymentId })), 'BadRequestException');
    await expectError(h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev' })), 'ConflictException');
    await expectError(h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'bad name' })), 'BadRequestException');
    await expectError(
      h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'logs', DefaultRouteSettings: { LoggingLevel: 'INFO' } })),
      'BadRequestException',
      'Execution logs are not supported on protocolType HTTP',
    );
    await expectError(
      h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'x', RouteSettings: { 'GET /nope': { ThrottlingBurstLimit: 1 } } })),
      'NotFoundException',
      'Unable to find Route by key GET /nope within the provided RouteSettings',
    );

    const auto = await h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    expect(auto.DeploymentId).toBeDefined();
    await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b' }));
    const after = await h.v2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
    expect(after.DeploymentId).not.toBe(auto.DeploymentId);
    const deployments = await h.v2.send(new GetDeploymentsCommand({ ApiId: apiId }));
    expect(deployments.Items?.filter((x) => x.AutoDeployed).length).toBe(2);
    await expectError(h.v2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: '$default' })), 'BadRequestException');

    const upd = await h.v2.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', StageVariables: { w: '2' }, RouteSettings: { 'GET /a': { ThrottlingRateLimit: 1 } } }));
    expect(upd.StageVariables).toEqual({ v: '1', w: '2' });
    expect(upd.RouteSettings?.['GET /a']?.ThrottlingRateLimit).toBe(1);
    expect((await h.v2.send(new GetStagesCommand({ ApiId: apiId }))).Items).toHaveLength(2);
    await h.v2.send(new DeleteStageCommand({ ApiId: apiId, StageName: 'dev' }));
    await expectError(h.v2.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' })), 'NotFoundException');
  });
});

describe('authorizers, route responses and tags', () => {
  it('validates authorizers and the routes that use them', async () => {
    const apiId = await httpApi();
    const jwt = await h.v2.send(
      new CreateAuthorizerCommand({ ApiId: apiId, Name: 'j', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: 'https://issuer.example', Audience: ['a'] } }),
    );
    expect(jwt.AuthorizerId).toBeDefined();
    await expectError(h.v2.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'j', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] })), 'BadRequestException');
    await expectError(
      h.v2.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'l', AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, AuthorizerPayloadFormatVersion: '1.0', EnableSimpleResponses: true, IdentitySource: [] })),
      'BadRequestException',
    );
    await expectError(
      h.v2.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'l', AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, AuthorizerPayloadFormatVersion: '2.0', AuthorizerResultTtlInSeconds: 300, IdentitySource: [] })),
      'BadRequestException',
    );
    expect((await h.v2.send(new GetAuthorizersCommand({ ApiId: apiId }))).Items).toHaveLength(1);
    const r = await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /s', AuthorizationType: 'JWT', AuthorizerId: jwt.AuthorizerId, AuthorizationScopes: ['read'] }));
    expect(r).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['read'] });
    await expectError(h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /t', AuthorizationType: 'CUSTOM', AuthorizerId: jwt.AuthorizerId })), 'BadRequestException');
    await expectError(h.v2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: r.RouteId, RouteResponseKey: '$default' })), 'BadRequestException');
  });

  it('tags APIs and stages by ARN', async () => {
    const apiId = await httpApi();
    const arn = `arn:aws:apigateway:us-east-1::/apis/${apiId}`;
    await h.v2.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1', b: '2' } }));
    await h.v2.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    expect((await h.v2.send(new GetTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ b: '2' });
    await expectError(h.v2.send(new GetTagsCommand({ ResourceArn: 'arn:aws:apigateway:us-east-1::/apis/zzzzzzzzzz' })), 'NotFoundException');
  });
});

describe('the remaining reads, updates and deletes', () => {
  it('authorizers, deployments, route settings and WebSocket route responses', async () => {
    const apiId = await httpApi();
    const a = await h.v2.send(
      new CreateAuthorizerCommand({ ApiId: apiId, Name: 'l', AuthorizerType: 'REQUEST', AuthorizerUri: LAMBDA, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: ['$request.header.x'] }),
    );
    const updated = await h.v2.send(new UpdateAuthorizerCommand({ ApiId: apiId, AuthorizerId: a.AuthorizerId, AuthorizerResultTtlInSeconds: 30 }));
    expect(updated.AuthorizerResultTtlInSeconds).toBe(30);
    expect((await h.v2.send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: a.AuthorizerId }))).Name).toBe('l');
    await expectError(h.v2.send(new UpdateAuthorizerCommand({ ApiId: apiId, AuthorizerId: a.AuthorizerId, AuthorizerResultTtlInSeconds: 3601 })), 'BadRequestException');
    await h.v2.send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: a.AuthorizerId }));
    await expectError(h.v2.send(new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: a.AuthorizerId })), 'NotFoundException');

    await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /r' }));
    const d = await h.v2.send(new CreateDeploymentCommand({ ApiId: apiId }));
    expect((await h.v2.send(new UpdateDeploymentCommand({ ApiId: apiId, DeploymentId: d.DeploymentId, Description: 'x' }))).Description).toBe('x');
    expect((await h.v2.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: d.DeploymentId }))).Description).toBe('x');
    await h.v2.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: d.DeploymentId }));
    await expectError(h.v2.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: d.DeploymentId })), 'NotFoundException');

    await h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 's', RouteSettings: { 'GET /r': { ThrottlingBurstLimit: 1 } } }));
    await h.v2.send(new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 's', RouteKey: 'GET /r' }));
    expect((await h.v2.send(new GetStageCommand({ ApiId: apiId, StageName: 's' }))).RouteSettings).toEqual({});
    await expectError(h.v2.send(new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 's', RouteKey: 'GET /r' })), 'NotFoundException');

    const ws = (await h.v2.send(new CreateApiCommand({ Name: 'w', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId;
    const route = await h.v2.send(new CreateRouteCommand({ ApiId: ws, RouteKey: 'send', RouteResponseSelectionExpression: '$default' }));
    const rr = await h.v2.send(new CreateRouteResponseCommand({ ApiId: ws, RouteId: route.RouteId, RouteResponseKey: '$default' }));
    await expectError(h.v2.send(new CreateRouteResponseCommand({ ApiId: ws, RouteId: route.RouteId, RouteResponseKey: '$default' })), 'ConflictException');
    expect((await h.v2.send(new GetRouteResponseCommand({ ApiId: ws, RouteId: route.RouteId, RouteResponseId: rr.RouteResponseId }))).RouteResponseKey).toBe('$default');
    expect((await h.v2.send(new GetRouteResponsesCommand({ ApiId: ws, RouteId: route.RouteId }))).Items).toHaveLength(1);
    await h.v2.send(new DeleteRouteResponseCommand({ ApiId: ws, RouteId: route.RouteId, RouteResponseId: rr.RouteResponseId }));
    await expectError(h.v2.send(new GetRouteResponseCommand({ ApiId: ws, RouteId: route.RouteId, RouteResponseId: rr.RouteResponseId })), 'NotFoundException');
  });
});
