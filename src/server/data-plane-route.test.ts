import { describe, expect, it } from 'vitest';
import { dataPlaneRoute } from './router.js';

describe('dataPlaneRoute', () => {
  it('finds API Gateway invoke URLs in their three forms', () => {
    expect(dataPlaneRoute('/prod/pets/1', 'abc123.execute-api.localhost:4566')).toEqual({
      service: 'apigateway', plane: 'execute-api', id: 'abc123', path: '/prod/pets/1', region: undefined, form: 'host',
    });
    expect(dataPlaneRoute('/prod', 'abc123.execute-api.eu-west-1.localhost')).toMatchObject({ id: 'abc123', region: 'eu-west-1' });
    expect(dataPlaneRoute('/_aws/execute-api/abc123/prod/pets', 'localhost:4566')).toEqual({
      service: 'apigateway', plane: 'execute-api', id: 'abc123', path: '/prod/pets', region: undefined, form: 'path',
    });
    expect(dataPlaneRoute('/restapis/abc123/prod/_user_request_/pets', 'localhost:4566')).toEqual({
      service: 'apigateway', plane: 'execute-api', id: 'abc123', path: '/prod/pets', region: undefined, form: 'legacy',
    });
  });

  it('finds Lambda function URLs by host and by path', () => {
    expect(dataPlaneRoute('/x', 'u1d.lambda-url.us-east-1.localhost:4566')).toMatchObject({ service: 'lambda', id: 'u1d', path: '/x' });
    expect(dataPlaneRoute('/_aws/lambda-url/u1d', 'localhost:4566')).toMatchObject({ service: 'lambda', id: 'u1d', path: '/' });
  });

  it('sends Lambda code downloads to Lambda with their whole path', () => {
    expect(dataPlaneRoute('/_aws/lambda-code/functions/000000000000/us-east-1/f/1', 'localhost:4566')).toEqual({
      service: 'lambda', plane: 'lambda-code', id: '', path: '/_aws/lambda-code/functions/000000000000/us-east-1/f/1', region: undefined, form: 'path',
    });
  });

  it('leaves AWS API paths alone, including the API Gateway control plane', () => {
    expect(dataPlaneRoute('/restapis/abc123/resources', 'localhost:4566')).toBeUndefined();
    expect(dataPlaneRoute('/000000000000/queue', 'localhost:4566')).toBeUndefined();
    expect(dataPlaneRoute('/2015-03-31/functions', 'localhost:4566')).toBeUndefined();
  });
});
