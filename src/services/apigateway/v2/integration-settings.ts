// What each integration type accepts (HTTP APIs: AWS_PROXY to Lambda or to an AWS service by subtype, HTTP_PROXY;
// WebSocket APIs: AWS_PROXY to Lambda and MOCK), and the parameters of each AWS service subtype.
import type { Integration } from '@aws-sdk/client-apigatewayv2';
import { V2Errors } from './errors.js';

/** Subtype -> [required parameters, optional parameters], as AWS's integration subtype reference lists them. */
export const SUBTYPES: Readonly<Record<string, readonly [readonly string[], readonly string[]]>> = {
  'SQS-SendMessage': [['QueueUrl', 'MessageBody'], ['DelaySeconds', 'MessageAttributes', 'MessageDeduplicationId', 'MessageGroupId', 'MessageSystemAttributes', 'Region']],
  'SQS-ReceiveMessage': [['QueueUrl'], ['AttributeNames', 'MaxNumberOfMessages', 'MessageAttributeNames', 'ReceiveRequestAttemptId', 'VisibilityTimeout', 'WaitTimeSeconds', 'Region']],
  'SQS-DeleteMessage': [['QueueUrl', 'ReceiptHandle'], ['Region']],
  'SQS-PurgeQueue': [['QueueUrl'], ['Region']],
  'EventBridge-PutEvents': [['Detail', 'DetailType', 'Source'], ['Time', 'EventBusName', 'Resources', 'Region', 'TraceHeader']],
  'StepFunctions-StartExecution': [['StateMachineArn'], ['Name', 'Input', 'Region']],
  'StepFunctions-StartSyncExecution': [['StateMachineArn'], ['Name', 'Input', 'Region', 'TraceHeader']],
  'StepFunctions-StopExecution': [['ExecutionArn'], ['Cause', 'Error', 'Region']],
};

const HTTP_PARAMETER_KEY = /^(append|overwrite|remove):(header\.[A-Za-z0-9!#$%&'*+.^_`|~-]+|querystring\.[^\s]+)$|^overwrite:path$/;

export function validateIntegration(i: Integration, http: boolean): void {
  const type = i.IntegrationType;
  const timeoutMax = http ? 30000 : 29000;
  if (i.TimeoutInMillis !== undefined && (!Number.isInteger(i.TimeoutInMillis) || i.TimeoutInMillis < 50 || i.TimeoutInMillis > timeoutMax)) {
    throw V2Errors.badRequest(`Timeout must be between 50 milliseconds and ${timeoutMax / 1000} seconds.`);
  }
  if (i.ConnectionType !== undefined && i.ConnectionType !== 'INTERNET') {
    throw V2Errors.badRequest('Only ConnectionType INTERNET is supported by Switchyard (VPC links are not emulated).');
  }
  if (i.PayloadFormatVersion !== undefined && i.PayloadFormatVersion !== '1.0' && i.PayloadFormatVersion !== '2.0') {
    throw V2Errors.badRequest(`Invalid PayloadFormatVersion ${i.PayloadFormatVersion}. Valid values are 1.0 and 2.0.`);
  }
  if (i.RequestTemplates && Object.keys(i.RequestTemplates).length > 0 && (http || type !== 'MOCK')) {
    throw V2Errors.badRequest('RequestTemplates are supported only for WebSocket MOCK integrations in Switchyard.');
  }
  if (i.TlsConfig?.ServerNameToVerify) {
    throw V2Errors.badRequest('TlsConfig applies to private integrations (VPC links), which Switchyard does not emulate.');
  }
  if (i.ContentHandlingStrategy !== undefined) throw V2Errors.badRequest('ContentHandlingStrategy is not supported by Switchyard.');
  if (i.ResponseParameters && Object.keys(i.ResponseParameters).length > 0) {
    throw V2Errors.badRequest('ResponseParameters are not supported by Switchyard.');
  }
  switch (type) {
    case 'AWS_PROXY':
      if (i.IntegrationSubtype) {
        if (!http) throw V2Errors.badRequest('IntegrationSubtype is supported only for HTTP APIs.');
        const spec = SUBTYPES[i.IntegrationSubtype];
        if (!spec) throw V2Errors.badRequest(`Unsupported integration subtype ${i.IntegrationSubtype}.`);
        if (i.PayloadFormatVersion !== '1.0') throw V2Errors.badRequest('PayloadFormatVersion must be 1.0 for AWS service integrations.');
        const params = i.RequestParameters ?? {};
        for (const name of spec[0]) {
          if (params[name] === undefined) throw V2Errors.badRequest(`Parameter ${name} is required for integration subtype ${i.IntegrationSubtype}.`);
        }
        for (const name of Object.keys(params)) {
          if (!spec[0].includes(name) && !spec[1].includes(name)) {
            throw V2Errors.badRequest(`Parameter ${name} is not supported for integration subtype ${i.IntegrationSubtype}.`);
          }
        }
        return;
      }
      if (!i.IntegrationUri || !functionArnOf(i.IntegrationUri)) {
        throw V2Errors.badRequest(`Invalid integration URI ${i.IntegrationUri ?? ''}. AWS_PROXY integrations need a Lambda function ARN or invocation URI.`);
      }
      if (http && !i.PayloadFormatVersion) throw V2Errors.badRequest('PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs (1.0 or 2.0).');
      checkHttpParameters(i, http);
      return;
    case 'HTTP_PROXY':
      if (!i.IntegrationUri || !/^https?:\/\/[^\s]+$/.test(i.IntegrationUri)) {
        throw V2Errors.badRequest(`Invalid integration URI ${i.IntegrationUri ?? ''}. HTTP_PROXY integrations need an http or https URL.`);
      }
      if (!i.IntegrationMethod) throw V2Errors.badRequest('IntegrationMethod is required for HTTP_PROXY integrations.');
      if (!['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(i.IntegrationMethod)) {
        throw V2Errors.badRequest(`Invalid IntegrationMethod ${i.IntegrationMethod}.`);
      }
      if (i.PayloadFormatVersion && i.PayloadFormatVersion !== '1.0') throw V2Errors.badRequest('PayloadFormatVersion must be 1.0 for HTTP_PROXY integrations.');
      checkHttpParameters(i, http);
      return;
    case 'MOCK':
      if (http) throw V2Errors.badRequest('MOCK integrations are supported only for WebSocket APIs.');
      return;
    case 'AWS':
    case 'HTTP':
      if (http) throw V2Errors.badRequest(`Integration type ${type} is supported only for WebSocket APIs.`);
      throw V2Errors.badRequest(`Integration type ${type} (with mapping templates) is not supported by Switchyard for WebSocket APIs; use AWS_PROXY or MOCK.`);
    default:
      throw V2Errors.badRequest(`Invalid IntegrationType specified: ${type}. Valid values are AWS, AWS_PROXY, HTTP, HTTP_PROXY and MOCK.`);
  }
}

function checkHttpParameters(i: Integration, http: boolean): void {
  const params = i.RequestParameters ?? {};
  if (Object.keys(params).length === 0) return;
  if (!http) throw V2Errors.badRequest('RequestParameters are not supported for WebSocket AWS_PROXY integrations by Switchyard.');
  for (const key of Object.keys(params)) {
    if (!HTTP_PARAMETER_KEY.test(key)) {
      throw V2Errors.badRequest(`Invalid mapping key ${key}. Keys are append:, overwrite: or remove: followed by header.NAME or querystring.NAME, or overwrite:path.`);
    }
  }
}

/** The function ARN inside a Lambda invocation URI (`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations`) or a plain function ARN. */
export function functionArnOf(uri: string): string | undefined {
  const m = /^arn:aws:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/(arn:aws:lambda:[^/]+)\/invocations$/.exec(uri);
  if (m) return m[1];
  return /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/.test(uri) ? uri : undefined;
}
