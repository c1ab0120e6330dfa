// Models, request validators and gateway responses: control plane with the SDK, then traffic through the invoke URL
// (missing parameters and bodies that fail the draft 4 schema answer 400; gateway responses customize the answers).
import {
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  DeleteGatewayResponseCommand,
  DeleteModelCommand,
  GetGatewayResponseCommand,
  GetGatewayResponsesCommand,
  GetModelCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
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

const ORDER_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Order',
  type: 'object',
  required: ['item', 'quantity'],
  properties: { item: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
});

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected a failure');
}

describe('models and request validators', () => {
  it('manages models with the built-in Empty and Error, and validators', async () => {
    const { id } = await h.api('models');
    const names = (await h.apigw.send(new GetModelsCommand({ restApiId: id }))).items?.map((m) => m.name).sort();
    expect(names).toEqual(['Empty', 'Error']);
    const order = await h.apigw.send(new CreateModelCommand({ restApiId: id, name: 'Order', contentType: 'application/json', schema: ORDER_SCHEMA }));
    expect(order).toMatchObject({ name: 'Order', contentType: 'application/json', schema: ORDER_SCHEMA });
    expect((await h.apigw.send(new GetModelCommand({ restApiId: id, modelName: 'Order' }))).id).toBe(order.id);
    expect(await failure(h.apigw.send(new CreateModelCommand({ restApiId: id, name: 'Order', contentType: 'application/json', schema: '{}' })))).toEqual({
      name: 'ConflictException',
      message: 'Model name already exists for this REST API',
    });
    const badSchema = await failure(h.apigw.send(new CreateModelCommand({ restApiId: id, name: 'Bad', contentType: 'application/json', schema: '{"type": 5}' })));
    expect(badSchema.name).toBe('BadRequestException');
    expect(badSchema.message).toContain('Invalid model schema specified');
    await h.apigw.send(new DeleteModelCommand({ restApiId: id, modelName: 'Order' }));
    expect(await failure(h.apigw.send(new GetModelCommand({ restApiId: id, modelName: 'Order' })))).toEqual({
      name: 'NotFoundException',
      message: 'Invalid model name specified: Order',
    });
    const v = await h.apigw.send(new CreateRequestValidatorCommand({ restApiId: id, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
    expect((await h.apigw.send(new GetRequestValidatorsCommand({ restApiId: id }))).items).toEqual([
      { id: v.id, name: 'all', validateRequestBody: true, validateRequestParameters: true },
    ]);
  });

  it('answers 400 for missing required parameters and for a body that fails the model, as AWS', async () => {
    const { id, root } = await h.api('validated');
    await h.apigw.send(new CreateModelCommand({ restApiId: id, name: 'Order', contentType: 'application/json', schema: ORDER_SCHEMA }));
    const all = await h.apigw.send(new CreateRequestValidatorCommand({ restApiId: id, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
    const r = await h.resource(id, root, 'orders');
    const noValidator = await failure(
      h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: 'nope' })),
    );
    expect(noValidator.message).toBe('Invalid Request Validator identifier specified');
    await h.apigw.send(
      new PutMethodCommand({
        restApiId: id,
        resourceId: r,
        httpMethod: 'POST',
        authorizationType: 'NONE',
        requestValidatorId: all.id,
        requestParameters: { 'method.request.querystring.store': true, 'method.request.header.X-Client': true, 'method.request.querystring.opt': false },
        requestModels: { 'application/json': 'Order' },
      }),
    );
    await h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' } }));
    await h.apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', statusCode: '200' }));
    await h.apigw.send(new PutIntegrationResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', statusCode: '200', responseTemplates: { 'application/json': '{"accepted":true}' } }));
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));

    const post = (query: string, body: string, headers: Record<string, string> = { 'x-client': 'c' }) =>
      h.invoke(id, `/dev/orders${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const good = JSON.stringify({ item: 'book', quantity: 2 });
    const ok = await post('?store=1', good);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: true });
    const params = await post('', good, {});
    expect(params.status).toBe(400);
    expect(params.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await params.json()).toEqual({ message: 'Missing required request parameters: [store, X-Client]' });
    for (const body of [JSON.stringify({ item: 'book', quantity: 0 }), JSON.stringify({ item: 'book' }), 'not json']) {
      const bad = await post('?store=1', body);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ message: 'Invalid request body' });
    }
  });
});

describe('gateway responses', () => {
  it('lists the defaults, customizes status, headers and templates, and falls back to DEFAULT_4XX', async () => {
    const { id, root } = await h.api('gateway-responses');
    const all = (await h.apigw.send(new GetGatewayResponsesCommand({ restApiId: id }))).items ?? [];
    expect(all.find((g) => g.responseType === 'MISSING_AUTHENTICATION_TOKEN')).toEqual({
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '403',
      responseParameters: {},
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      defaultResponse: true,
    });
    await h.apigw.send(
      new PutGatewayResponseCommand({
        restApiId: id,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: { 'gatewayresponse.header.X-Why': "'no route'", 'gatewayresponse.header.X-Path': 'context.path' },
        responseTemplates: { 'application/json': '{"error":"$context.error.responseType","detail":$context.error.messageString,"stage":"$context.stage"}' },
      }),
    );
    await h.apigw.send(
      new PutGatewayResponseCommand({ restApiId: id, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } }),
    );
    const got = await h.apigw.send(new GetGatewayResponseCommand({ restApiId: id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    expect(got).toMatchObject({ statusCode: '404', defaultResponse: false });
    const r = await h.resource(id, root, 'strict');
    await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', authorizationType: 'NONE' }));
    await h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId: r, httpMethod: 'POST', type: 'MOCK', passthroughBehavior: 'NEVER' }));
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));

    const missing = await h.invoke(id, '/dev/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-why')).toBe('no route');
    expect(missing.headers.get('x-path')).toBe('/dev/nowhere');
    expect(await missing.json()).toEqual({ error: 'MISSING_AUTHENTICATION_TOKEN', detail: 'Missing Authentication Token', stage: 'dev' });
    const media = await h.invoke(id, '/dev/strict', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(media.status).toBe(415);
    expect(media.headers.get('access-control-allow-origin')).toBe('*');
    expect(await media.json()).toEqual({ message: 'Unsupported Media Type' });

    await h.apigw.send(new DeleteGatewayResponseCommand({ restApiId: id, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    // Gateway responses take effect with a deployment, as on AWS.
    expect((await h.invoke(id, '/dev/nowhere')).status).toBe(404);
    await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    expect((await h.invoke(id, '/dev/nowhere')).status).toBe(403);
    const bad = await failure(h.apigw.send(new PutGatewayResponseCommand({ restApiId: id, responseType: 'NOPE' as 'DEFAULT_4XX' })));
    expect(bad.name).toBe('BadRequestException');
  });
});
