// The REST API control plane over the wire with @aws-sdk/client-api-gateway: APIs, resources, methods, integrations,
// responses, deployments and stages, with AWS's errors.
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteIntegrationCommand,
  DeleteIntegrationResponseCommand,
  DeleteMethodCommand,
  DeleteMethodResponseCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  GetResourceCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateIntegrationCommand,
  UpdateMethodCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  CreateAuthorizerCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  FlushStageAuthorizersCacheCommand,
  GetTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAuthorizerCommand,
  UpdateResourceCommand,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  DeleteApiKeyCommand,
  DeleteAuthorizerCommand,
  DeleteRequestValidatorCommand,
  DeleteUsagePlanCommand,
  GetApiKeyCommand,
  GetAuthorizerCommand,
  GetRequestValidatorCommand,
  GetUsagePlanCommand,
  UpdateDeploymentCommand,
  UpdateGatewayResponseCommand,
  UpdateIntegrationResponseCommand,
  UpdateMethodResponseCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiGatewayHarness, type ApiGatewayHarness } from './harness.js';

let h: ApiGatewayHarness;
beforeAll(async () => {
  h = await startApiGatewayHarness();
});
afterAll(async () => {
  await h.close();
});

async function fails(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected a failure');
}

describe('REST APIs', () => {
  it('creates, gets, lists, updates with patch operations and deletes', async () => {
    const api = await h.apigw.send(new CreateRestApiCommand({ name: 'orders', description: 'd', binaryMediaTypes: ['image/png'], tags: { team: 'a' } }));
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api.rootResourceId).toMatch(/^[a-z0-9]{10}$/);
    expect(api).toMatchObject({ name: 'orders', description: 'd', apiKeySource: 'HEADER', endpointConfiguration: { types: ['EDGE'] }, disableExecuteApiEndpoint: false });
    expect(api.createdDate).toBeInstanceOf(Date);
    const got = await h.apigw.send(new GetRestApiCommand({ restApiId: api.id }));
    expect(got.name).toBe('orders');
    const list = await h.apigw.send(new GetRestApisCommand({}));
    expect(list.items?.map((a) => a.id)).toContain(api.id);
    const updated = await h.apigw.send(
      new UpdateRestApiCommand({
        restApiId: api.id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'orders-v2' },
          { op: 'add', path: '/binaryMediaTypes/application~1octet-stream' },
          { op: 'remove', path: '/binaryMediaTypes/image~1png' },
          { op: 'remove', path: '/description' },
        ],
      }),
    );
    expect(updated.name).toBe('orders-v2');
    expect(updated.binaryMediaTypes).toEqual(['application/octet-stream']);
    expect(updated.description).toBeUndefined();
    const bad = await fails(h.apigw.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }] })));
    expect(bad.name).toBe('BadRequestException');
    expect(bad.message).toMatch(/^Invalid patch path '\/nope' specified for op 'replace'/);
    await h.apigw.send(new DeleteRestApiCommand({ restApiId: api.id }));
    const gone = await fails(h.apigw.send(new GetRestApiCommand({ restApiId: api.id })));
    expect(gone).toEqual({ name: 'NotFoundException', message: `Invalid API identifier specified 000000000000:${api.id}`, status: 404 });
  });

  it('paginates GetRestApis with limit and position', async () => {
    for (let i = 0; i < 3; i++) await h.apigw.send(new CreateRestApiCommand({ name: `page-${i}` }));
    const first = await h.apigw.send(new GetRestApisCommand({ limit: 2 }));
    expect(first.items).toHaveLength(2);
    expect(first.position).toBeDefined();
    const second = await h.apigw.send(new GetRestApisCommand({ limit: 2, position: first.position }));
    expect(second.items?.[0]?.id).not.toBe(first.items?.[0]?.id);
  });
});

describe('resources', () => {
  it('creates path parts, {param} and {proxy+}; GetResources embeds methods; DeleteResource removes children', async () => {
    const { id, root } = await h.api('resources');
    const users = await h.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'users' }));
    expect(users).toMatchObject({ parentId: root, pathPart: 'users', path: '/users' });
    const user = await h.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: users.id, pathPart: '{userId}' }));
    expect(user.path).toBe('/users/{userId}');
    const proxy = await h.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: '{proxy+}' }));
    expect(proxy.path).toBe('/{proxy+}');

    const dup = await fails(h.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'users' })));
    expect(dup).toEqual({ name: 'ConflictException', message: 'Another resource with the same parent already has this name: users', status: 409 });
    const sibling = await fails(h.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: users.id, pathPart: '{other}' })));
    expect(sibling.message).toBe('A sibling ({userId}) of this resource already has a variable path part -- only one is allowed');
    const badPart = await fails(h.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: 'a b' })));
    expect(badPart.name).toBe('BadRequestException');
    expect(badPart.message).toMatch(/^Resource's path part only allow a-zA-Z0-9._-/);
    const underGreedy = await fails(h.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: proxy.id, pathPart: 'x' })));
    expect(underGreedy.message).toBe('Cannot create a child of a resource with a greedy path variable: {proxy+}');
    const noParent = await fails(h.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: 'nope', pathPart: 'x' })));
    expect(noParent).toEqual({ name: 'NotFoundException', message: 'Invalid Resource identifier specified', status: 404 });

    await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: user.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId: user.id, httpMethod: 'GET', type: 'MOCK' }));
    const plain = await h.apigw.send(new GetResourcesCommand({ restApiId: id }));
    expect(plain.items?.find((r) => r.id === user.id)?.resourceMethods).toEqual({ GET: {} });
    const embedded = await h.apigw.send(new GetResourcesCommand({ restApiId: id, embed: ['methods'] }));
    expect(embedded.items?.find((r) => r.id === user.id)?.resourceMethods?.GET).toMatchObject({
      httpMethod: 'GET',
      authorizationType: 'NONE',
      methodIntegration: { type: 'MOCK', passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000 },
    });
    const one = await h.apigw.send(new GetResourceCommand({ restApiId: id, resourceId: user.id, embed: ['methods'] }));
    expect(one.resourceMethods?.GET?.methodIntegration?.type).toBe('MOCK');

    const renamed = await h.apigw.send(new UpdateResourceCommand({ restApiId: id, resourceId: users.id, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'people' }] }));
    expect(renamed.path).toBe('/people');
    expect((await h.apigw.send(new GetResourceCommand({ restApiId: id, resourceId: user.id }))).path).toBe('/people/{userId}');
    const loop = await fails(h.apigw.send(new UpdateResourceCommand({ restApiId: id, resourceId: users.id, patchOperations: [{ op: 'replace', path: '/parentId', value: user.id }] })));
    expect(loop.name).toBe('BadRequestException');
    await h.apigw.send(new DeleteResourceCommand({ restApiId: id, resourceId: users.id }));
    const after = await h.apigw.send(new GetResourcesCommand({ restApiId: id }));
    expect(after.items?.map((r) => r.path).sort()).toEqual(['/', '/{proxy+}']);
  });
});

describe('methods, integrations and responses', () => {
  it('puts, gets, updates and deletes with AWS validation', async () => {
    const { id, root } = await h.api('methods');
    const resourceId = await h.resource(id, root, 'items');
    const method = await h.apigw.send(
      new PutMethodCommand({
        restApiId: id,
        resourceId,
        httpMethod: 'post',
        authorizationType: 'NONE',
        requestParameters: { 'method.request.header.X-Trace': false, 'method.request.querystring.q': true },
        requestModels: { 'application/json': 'Empty' },
      }),
    );
    expect(method).toMatchObject({ httpMethod: 'POST', authorizationType: 'NONE', apiKeyRequired: false });
    const again = await fails(h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId, httpMethod: 'POST', authorizationType: 'NONE' })));
    expect(again).toEqual({ name: 'ConflictException', message: 'Method already exists for this resource', status: 409 });
    const custom = await fails(h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId, httpMethod: 'GET', authorizationType: 'CUSTOM' })));
    expect(custom.name).toBe('BadRequestException');
    const verb = await fails(h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId, httpMethod: 'FETCH', authorizationType: 'NONE' })));
    expect(verb.message).toBe('Invalid HttpMethod specified. Valid options are ANY,DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');

    const updated = await h.apigw.send(
      new UpdateMethodCommand({
        restApiId: id,
        resourceId,
        httpMethod: 'POST',
        patchOperations: [
          { op: 'replace', path: '/apiKeyRequired', value: 'true' },
          { op: 'add', path: '/requestParameters/method.request.header.X-Other', value: 'true' },
          { op: 'remove', path: '/requestParameters/method.request.querystring.q' },
        ],
      }),
    );
    expect(updated.apiKeyRequired).toBe(true);
    expect(updated.requestParameters).toEqual({ 'method.request.header.X-Trace': false, 'method.request.header.X-Other': true });

    const noIntegration = await fails(h.apigw.send(new GetIntegrationCommand({ restApiId: id, resourceId, httpMethod: 'POST' })));
    expect(noIntegration).toEqual({ name: 'NotFoundException', message: 'Invalid Integration identifier specified', status: 404 });
    const noHttpMethod = await fails(
      h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId, httpMethod: 'POST', type: 'HTTP', uri: 'http://example.com' })),
    );
    expect(noHttpMethod.message).toBe('Enumeration value for HttpMethod must be non-empty');
    const badUri = await fails(
      h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId, httpMethod: 'POST', type: 'HTTP', integrationHttpMethod: 'GET', uri: 'nope' })),
    );
    expect(badUri.message).toBe('Invalid HTTP endpoint specified for URI');
    const badTimeout = await fails(
      h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId, httpMethod: 'POST', type: 'MOCK', timeoutInMillis: 30000 })),
    );
    expect(badTimeout.message).toBe('Timeout should be between 50 ms and 29000 ms');
    const proxyToSqs = await fails(
      h.apigw.send(
        new PutIntegrationCommand({
          restApiId: id,
          resourceId,
          httpMethod: 'POST',
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/q',
        }),
      ),
    );
    expect(proxyToSqs.message).toBe("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");

    const integration = await h.apigw.send(
      new PutIntegrationCommand({
        restApiId: id,
        resourceId,
        httpMethod: 'POST',
        type: 'HTTP',
        integrationHttpMethod: 'post',
        uri: 'http://example.com/items',
        requestParameters: { 'integration.request.header.X-Trace': 'method.request.header.X-Trace' },
        requestTemplates: { 'application/json': '$input.body' },
        passthroughBehavior: 'NEVER',
        timeoutInMillis: 5000,
      }),
    );
    expect(integration).toMatchObject({ type: 'HTTP', httpMethod: 'POST', uri: 'http://example.com/items', passthroughBehavior: 'NEVER', timeoutInMillis: 5000, cacheNamespace: resourceId, cacheKeyParameters: [] });
    const patched = await h.apigw.send(
      new UpdateIntegrationCommand({ restApiId: id, resourceId, httpMethod: 'POST', patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '1000' }] }),
    );
    expect(patched.timeoutInMillis).toBe(1000);

    const noMethodResponse = await fails(
      h.apigw.send(new PutIntegrationResponseCommand({ restApiId: id, resourceId, httpMethod: 'POST', statusCode: '200' })),
    );
    expect(noMethodResponse).toEqual({ name: 'NotFoundException', message: 'Invalid Response status code specified', status: 404 });
    const mr = await h.apigw.send(
      new PutMethodResponseCommand({ restApiId: id, resourceId, httpMethod: 'POST', statusCode: '200', responseParameters: { 'method.response.header.X-Out': false } }),
    );
    expect(mr).toMatchObject({ statusCode: '200', responseParameters: { 'method.response.header.X-Out': false } });
    const ir = await h.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: id,
        resourceId,
        httpMethod: 'POST',
        statusCode: '200',
        selectionPattern: '2\\d{2}',
        responseParameters: { 'method.response.header.X-Out': "'yes'" },
        responseTemplates: { 'application/json': '$input.body' },
      }),
    );
    expect(ir.selectionPattern).toBe('2\\d{2}');
    expect(await h.apigw.send(new GetMethodResponseCommand({ restApiId: id, resourceId, httpMethod: 'POST', statusCode: '200' }))).toMatchObject({ statusCode: '200' });
    expect(await h.apigw.send(new GetIntegrationResponseCommand({ restApiId: id, resourceId, httpMethod: 'POST', statusCode: '200' }))).toMatchObject({ statusCode: '200' });
    const full = await h.apigw.send(new GetMethodCommand({ restApiId: id, resourceId, httpMethod: 'POST' }));
    expect(full.methodResponses?.['200']?.statusCode).toBe('200');
    expect(full.methodIntegration?.integrationResponses?.['200']?.responseTemplates).toEqual({ 'application/json': '$input.body' });

    await h.apigw.send(new DeleteIntegrationResponseCommand({ restApiId: id, resourceId, httpMethod: 'POST', statusCode: '200' }));
    await h.apigw.send(new DeleteMethodResponseCommand({ restApiId: id, resourceId, httpMethod: 'POST', statusCode: '200' }));
    await h.apigw.send(new DeleteIntegrationCommand({ restApiId: id, resourceId, httpMethod: 'POST' }));
    await h.apigw.send(new DeleteMethodCommand({ restApiId: id, resourceId, httpMethod: 'POST' }));
    const noMethod = await fails(h.apigw.send(new GetMethodCommand({ restApiId: id, resourceId, httpMethod: 'POST' })));
    expect(noMethod).toEqual({ name: 'NotFoundException', message: 'Invalid Method identifier specified', status: 404 });
  });
});

describe('deployments and stages', () => {
  it('deploys, manages stages with variables and refuses what AWS refuses', async () => {
    const { id, root } = await h.api('stages');
    const empty = await fails(h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' })));
    expect(empty).toEqual({ name: 'BadRequestException', message: "The REST API doesn't contain any methods", status: 400 });
    await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
    const noIntegration = await fails(h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' })));
    expect(noIntegration.message).toBe('No integration defined for method');
    await h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', type: 'MOCK' }));

    const d1 = await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev', description: 'first', variables: { color: 'blue' } }));
    expect(d1.id).toMatch(/^[a-z0-9]{6}$/);
    const dev = await h.apigw.send(new GetStageCommand({ restApiId: id, stageName: 'dev' }));
    expect(dev).toMatchObject({ stageName: 'dev', deploymentId: d1.id, variables: { color: 'blue' }, cacheClusterEnabled: false, tracingEnabled: false });
    expect(dev.createdDate).toBeInstanceOf(Date);

    const d2 = await h.apigw.send(new CreateDeploymentCommand({ restApiId: id }));
    const prod = await h.apigw.send(new CreateStageCommand({ restApiId: id, stageName: 'prod', deploymentId: d2.id, variables: { color: 'red' } }));
    expect(prod.deploymentId).toBe(d2.id);
    const twice = await fails(h.apigw.send(new CreateStageCommand({ restApiId: id, stageName: 'prod', deploymentId: d2.id })));
    expect(twice).toEqual({ name: 'ConflictException', message: 'Stage already exists', status: 409 });
    const noDeployment = await fails(h.apigw.send(new CreateStageCommand({ restApiId: id, stageName: 'qa', deploymentId: 'nope00' })));
    expect(noDeployment).toEqual({ name: 'NotFoundException', message: 'Invalid Deployment identifier specified', status: 404 });
    const badVar = await fails(h.apigw.send(new CreateStageCommand({ restApiId: id, stageName: 'qa', deploymentId: d2.id, variables: { 'a-b': 'x' } })));
    expect(badVar.message).toMatch(/^Stage variable name a-b is invalid/);

    expect((await h.apigw.send(new GetStagesCommand({ restApiId: id }))).item?.map((s) => s.stageName).sort()).toEqual(['dev', 'prod']);
    expect((await h.apigw.send(new GetDeploymentsCommand({ restApiId: id }))).items?.map((d) => d.id).sort()).toEqual([d1.id, d2.id].sort());
    expect((await h.apigw.send(new GetDeploymentCommand({ restApiId: id, deploymentId: d1.id }))).description).toBe('first');

    const moved = await h.apigw.send(
      new UpdateStageCommand({
        restApiId: id,
        stageName: 'dev',
        patchOperations: [
          { op: 'replace', path: '/deploymentId', value: d2.id },
          { op: 'replace', path: '/variables/color', value: 'green' },
          { op: 'add', path: '/variables/size', value: 'xl' },
        ],
      }),
    );
    expect(moved).toMatchObject({ deploymentId: d2.id, variables: { color: 'green', size: 'xl' } });
    const removed = await h.apigw.send(new UpdateStageCommand({ restApiId: id, stageName: 'dev', patchOperations: [{ op: 'remove', path: '/variables/size' }] }));
    expect(removed.variables).toEqual({ color: 'green' });

    const inUse = await fails(h.apigw.send(new DeleteDeploymentCommand({ restApiId: id, deploymentId: d2.id })));
    expect(inUse.message).toBe('Active stages pointing to this deployment must be moved or deleted');
    await h.apigw.send(new DeleteDeploymentCommand({ restApiId: id, deploymentId: d1.id }));
    await h.apigw.send(new DeleteStageCommand({ restApiId: id, stageName: 'prod' }));
    const noStage = await fails(h.apigw.send(new GetStageCommand({ restApiId: id, stageName: 'prod' })));
    expect(noStage).toEqual({ name: 'NotFoundException', message: 'Invalid Stage identifier specified', status: 404 });
  });
});

describe('updates and tags', () => {
  it('patches responses, models, validators, authorizers, gateway responses and deployments; tags APIs and stages', async () => {
    const { id, root } = await h.api('updates');
    const target = { restApiId: id, resourceId: root, httpMethod: 'GET' };
    await h.apigw.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
    await h.apigw.send(new PutIntegrationCommand({ ...target, type: 'MOCK' }));
    await h.apigw.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
    await h.apigw.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200' }));
    const mr = await h.apigw.send(
      new UpdateMethodResponseCommand({ ...target, statusCode: '200', patchOperations: [{ op: 'add', path: '/responseParameters/method.response.header.X-A', value: 'false' }] }),
    );
    expect(mr.responseParameters).toEqual({ 'method.response.header.X-A': false });
    const ir = await h.apigw.send(
      new UpdateIntegrationResponseCommand({
        ...target,
        statusCode: '200',
        patchOperations: [
          { op: 'add', path: '/responseTemplates/application~1json', value: '{}' },
          { op: 'replace', path: '/selectionPattern', value: '2\\d{2}' },
        ],
      }),
    );
    expect(ir).toMatchObject({ responseTemplates: { 'application/json': '{}' }, selectionPattern: '2\\d{2}' });
    const badPattern = await fails(h.apigw.send(new UpdateIntegrationResponseCommand({ ...target, statusCode: '200', patchOperations: [{ op: 'replace', path: '/selectionPattern', value: '(' }] })));
    expect(badPattern.name).toBe('BadRequestException');

    await h.apigw.send(new CreateModelCommand({ restApiId: id, name: 'Thing', contentType: 'application/json', schema: '{"type":"object"}' }));
    const model = await h.apigw.send(new UpdateModelCommand({ restApiId: id, modelName: 'Thing', patchOperations: [{ op: 'replace', path: '/description', value: 'd' }] }));
    expect(model.description).toBe('d');
    const v = await h.apigw.send(new CreateRequestValidatorCommand({ restApiId: id, name: 'v' }));
    const v2 = await h.apigw.send(new UpdateRequestValidatorCommand({ restApiId: id, requestValidatorId: v.id, patchOperations: [{ op: 'replace', path: '/validateRequestBody', value: 'true' }] }));
    expect(v2).toMatchObject({ name: 'v', validateRequestBody: true, validateRequestParameters: false });
    const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations';
    const a = await h.apigw.send(new CreateAuthorizerCommand({ restApiId: id, name: 'a', type: 'TOKEN', authorizerUri: uri, identitySource: 'method.request.header.Authorization' }));
    const a2 = await h.apigw.send(new UpdateAuthorizerCommand({ restApiId: id, authorizerId: a.id, patchOperations: [{ op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' }] }));
    expect(a2.authorizerResultTtlInSeconds).toBe(0);
    const badTtl = await fails(h.apigw.send(new UpdateAuthorizerCommand({ restApiId: id, authorizerId: a.id, patchOperations: [{ op: 'replace', path: '/authorizerResultTtlInSeconds', value: '4000' }] })));
    expect(badTtl.name).toBe('BadRequestException');
    const gr = await h.apigw.send(new UpdateGatewayResponseCommand({ restApiId: id, responseType: 'DEFAULT_4XX', patchOperations: [{ op: 'replace', path: '/statusCode', value: '418' }] }));
    expect(gr).toMatchObject({ responseType: 'DEFAULT_4XX', statusCode: '418', defaultResponse: false });

    const d = await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    const d2 = await h.apigw.send(new UpdateDeploymentCommand({ restApiId: id, deploymentId: d.id, patchOperations: [{ op: 'replace', path: '/description', value: 'v2' }] }));
    expect(d2.description).toBe('v2');
    await h.apigw.send(new FlushStageAuthorizersCacheCommand({ restApiId: id, stageName: 'dev' }));

    const apiArn = `arn:aws:apigateway:us-east-1::/restapis/${id}`;
    const stageArn = `${apiArn}/stages/dev`;
    await h.apigw.send(new TagResourceCommand({ resourceArn: apiArn, tags: { a: '1', b: '2' } }));
    await h.apigw.send(new TagResourceCommand({ resourceArn: stageArn, tags: { env: 'dev' } }));
    await h.apigw.send(new UntagResourceCommand({ resourceArn: apiArn, tagKeys: ['a'] }));
    expect((await h.apigw.send(new GetTagsCommand({ resourceArn: apiArn }))).tags).toEqual({ b: '2' });
    expect((await h.apigw.send(new GetTagsCommand({ resourceArn: stageArn }))).tags).toEqual({ env: 'dev' });
    expect((await h.apigw.send(new GetRestApiCommand({ restApiId: id }))).tags).toEqual({ b: '2' });
  });
});

describe('gets and deletes of validators, authorizers, keys and plans', () => {
  it('gets each by id and deletes it, with AWS NotFoundException afterwards', async () => {
    const { id, root } = await h.api('deletes');
    const v = await h.apigw.send(new CreateRequestValidatorCommand({ restApiId: id, name: 'v', validateRequestParameters: true }));
    expect(await h.apigw.send(new GetRequestValidatorCommand({ restApiId: id, requestValidatorId: v.id }))).toMatchObject({ name: 'v', validateRequestParameters: true });
    await h.apigw.send(new DeleteRequestValidatorCommand({ restApiId: id, requestValidatorId: v.id }));
    expect(await fails(h.apigw.send(new GetRequestValidatorCommand({ restApiId: id, requestValidatorId: v.id })))).toMatchObject({ name: 'NotFoundException', status: 404 });

    const uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations';
    const a = await h.apigw.send(new CreateAuthorizerCommand({ restApiId: id, name: 'a', type: 'REQUEST', authorizerUri: uri, identitySource: 'method.request.header.X-Id' }));
    expect(await h.apigw.send(new GetAuthorizerCommand({ restApiId: id, authorizerId: a.id }))).toMatchObject({ name: 'a', type: 'REQUEST', identitySource: 'method.request.header.X-Id' });
    await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: a.id }));
    expect((await fails(h.apigw.send(new DeleteAuthorizerCommand({ restApiId: id, authorizerId: a.id })))).name).toBe('ConflictException');
    await h.apigw.send(new DeleteMethodCommand({ restApiId: id, resourceId: root, httpMethod: 'GET' }));
    await h.apigw.send(new DeleteAuthorizerCommand({ restApiId: id, authorizerId: a.id }));
    expect(await fails(h.apigw.send(new GetAuthorizerCommand({ restApiId: id, authorizerId: a.id })))).toEqual({ name: 'NotFoundException', message: 'Invalid Authorizer identifier specified', status: 404 });

    const key = await h.apigw.send(new CreateApiKeyCommand({ name: 'gone' }));
    expect(key.enabled).toBe(false);
    await h.apigw.send(new DeleteApiKeyCommand({ apiKey: key.id }));
    expect(await fails(h.apigw.send(new GetApiKeyCommand({ apiKey: key.id })))).toMatchObject({ name: 'NotFoundException', status: 404 });
    const plan = await h.apigw.send(new CreateUsagePlanCommand({ name: 'p', throttle: { rateLimit: 10, burstLimit: 20 } }));
    expect(await h.apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id }))).toMatchObject({ name: 'p', throttle: { rateLimit: 10, burstLimit: 20 }, apiStages: [] });
    await h.apigw.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id }));
    expect(await fails(h.apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id })))).toMatchObject({ name: 'NotFoundException', status: 404 });
  });
});
