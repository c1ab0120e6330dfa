// Validation of what PutMethod, PutIntegration and their responses accept, with AWS's messages, shared by the Put*
// operations and by the Update* ones (which validate the patched result the same way).
import type { Integration, IntegrationResponse, Method } from '@aws-sdk/client-api-gateway';
import { SERVICES } from '../../models/index.js';
import { badRequest } from './errors.js';

export const HTTP_METHODS = ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
const INTEGRATION_TYPES = ['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY', 'MOCK'];
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];
const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];

/** `arn:aws:apigateway:REGION:SERVICE:action/ACTION` or `...:path/PATH`. */
export const AWS_INTEGRATION_URI = /^arn:aws:apigateway:([a-z0-9-]+):([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(action|path)\/(.*)$/;
/** The Lambda integration URI: `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`. */
export const LAMBDA_INTEGRATION_URI = /^arn:aws:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

/** Signing names of the services an AWS integration may call, to our service names. */
export const AWS_INTEGRATION_SERVICES: ReadonlyMap<string, keyof typeof SERVICES> = new Map(
  (Object.entries(SERVICES) as Array<[keyof typeof SERVICES, (typeof SERVICES)[keyof typeof SERVICES]]>)
    .filter(([name]) => !name.startsWith('apigateway'))
    .map(([name, entry]) => [entry.signingName, name]),
);

const PARAM_SOURCE = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.[^.]+/;

export function checkHttpMethod(method: string | undefined): string {
  const m = (method ?? '').toUpperCase();
  if (!HTTP_METHODS.includes(m)) {
    throw badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
  }
  return m;
}

/** What a method may refer to in its API: model names and request validator ids. */
export interface MethodRefs {
  readonly models: ReadonlyMap<string, unknown>;
  readonly validators: ReadonlyMap<string, unknown>;
  readonly authorizers: ReadonlyMap<string, { type?: string }>;
}

export function checkMethod(m: Method, refs: MethodRefs): void {
  if (!m.authorizationType) throw badRequest('Invalid authorization type specified. Valid options are ' + AUTHORIZATION_TYPES.join(','));
  if (!AUTHORIZATION_TYPES.includes(m.authorizationType)) {
    throw badRequest(`Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`);
  }
  const authorizer = m.authorizerId ? refs.authorizers.get(m.authorizerId) : undefined;
  if ((m.authorizationType === 'CUSTOM' || m.authorizationType === 'COGNITO_USER_POOLS') && !authorizer) {
    throw badRequest(
      'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    );
  }
  if (m.authorizerId && !authorizer) throw badRequest('Invalid authorizer ID specified');
  if (m.requestValidatorId && !refs.validators.has(m.requestValidatorId)) {
    throw badRequest('Invalid Request Validator identifier specified');
  }
  for (const key of Object.keys(m.requestParameters ?? {})) {
    if (!PARAM_SOURCE.test(key)) {
      throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid method request parameter: ${key}]`);
    }
  }
  for (const model of Object.values(m.requestModels ?? {})) {
    if (!refs.models.has(model)) throw badRequest(`Invalid model identifier specified: ${model}`);
  }
}

function checkUriHttp(uri: string | undefined): void {
  let url: URL | undefined;
  try {
    url = uri ? new URL(uri) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw badRequest('Invalid HTTP endpoint specified for URI');
  }
}

export function checkIntegration(i: Integration): void {
  const type = i.type ?? '';
  if (!INTEGRATION_TYPES.includes(type)) {
    throw badRequest(`Invalid integration type specified. Valid options are ${INTEGRATION_TYPES.join(',')}`);
  }
  if (type !== 'MOCK') {
    if (!i.httpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
    checkHttpMethod(i.httpMethod);
  }
  if (type === 'HTTP' || type === 'HTTP_PROXY') checkUriHttp(i.uri);
  if (type === 'AWS' || type === 'AWS_PROXY') {
    const m = AWS_INTEGRATION_URI.exec(i.uri ?? '');
    if (!m) throw badRequest('AWS ARN for integration must contain path or action');
    if (type === 'AWS_PROXY' && (m[2] !== 'lambda' || !LAMBDA_INTEGRATION_URI.test(i.uri ?? ''))) {
      throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
    }
    if (m[2] !== 'lambda' && !AWS_INTEGRATION_SERVICES.has(m[2] ?? '')) {
      throw badRequest(`Switchyard does not serve the AWS service ${m[2] ?? ''} named in the integration URI`);
    }
    if (m[2] === 'lambda' && !LAMBDA_INTEGRATION_URI.test(i.uri ?? '')) {
      throw badRequest('AWS ARN for integration contains invalid path');
    }
  }
  if (i.connectionType && i.connectionType !== 'INTERNET') {
    throw badRequest('Switchyard does not serve VPC links: connectionType must be INTERNET');
  }
  if (i.passthroughBehavior !== undefined && !PASSTHROUGH.includes(i.passthroughBehavior)) {
    throw badRequest(`Invalid passthrough behavior specified: ${i.passthroughBehavior}. Valid options are ${PASSTHROUGH.join(',')}`);
  }
  if (i.contentHandling !== undefined && !CONTENT_HANDLING.includes(i.contentHandling)) {
    throw badRequest(`Invalid content handling specified: ${i.contentHandling}. Valid options are ${CONTENT_HANDLING.join(',')}`);
  }
  const t = i.timeoutInMillis ?? 29000;
  if (!Number.isInteger(t) || t < 50 || t > 29000) throw badRequest('Timeout should be between 50 ms and 29000 ms');
  for (const [target, source] of Object.entries(i.requestParameters ?? {})) {
    if (!/^integration\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.[^.]+/.test(target)) {
      throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${target}]`);
    }
    checkSource(source);
  }
}

/** A mapping source: a quoted literal, a method request parameter, a stage variable or a context variable. */
function checkSource(source: string): void {
  if (/^'.*'$/s.test(source) || PARAM_SOURCE.test(source) || /^(stageVariables|context)\.[A-Za-z0-9_.]+$/.test(source)) return;
  if (/^method\.request\.body(\..+)?$/.test(source)) return;
  throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: ${source}]`);
}

export function checkIntegrationResponse(r: IntegrationResponse): void {
  if (r.selectionPattern !== undefined && r.selectionPattern !== '') {
    try {
      new RegExp(r.selectionPattern);
    } catch {
      throw badRequest(`Invalid selection pattern specified: ${r.selectionPattern}`);
    }
  }
  if (r.contentHandling !== undefined && !CONTENT_HANDLING.includes(r.contentHandling)) {
    throw badRequest(`Invalid content handling specified: ${r.contentHandling}. Valid options are ${CONTENT_HANDLING.join(',')}`);
  }
  for (const [target, source] of Object.entries(r.responseParameters ?? {})) {
    if (!/^method\.response\.header\.[^.]+$/.test(target)) {
      throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${target}]`);
    }
    if (!/^'.*'$/s.test(source) && !/^integration\.response\.(header|multivalueheader)\.[^.]+$/.test(source) && !/^integration\.response\.body(\..+)?$/.test(source) && !/^(stageVariables|context)\.[A-Za-z0-9_.]+$/.test(source)) {
      throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: ${source}]`);
    }
  }
}
