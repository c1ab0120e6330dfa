// Gateway responses (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html):
// the answers API Gateway itself gives, each customizable per API (status, headers, templates), falling back to
// DEFAULT_4XX or DEFAULT_5XX, then to AWS's default.
import type { GatewayResponse, GatewayResponseType } from '@aws-sdk/client-api-gateway';

/** Response type -> its default status (DEFAULT_4XX and DEFAULT_5XX have none of their own). */
export const RESPONSE_TYPES: ReadonlyMap<string, string | undefined> = new Map([
  ['ACCESS_DENIED', '403'],
  ['API_CONFIGURATION_ERROR', '500'],
  ['AUTHORIZER_CONFIGURATION_ERROR', '500'],
  ['AUTHORIZER_FAILURE', '500'],
  ['BAD_REQUEST_PARAMETERS', '400'],
  ['BAD_REQUEST_BODY', '400'],
  ['DEFAULT_4XX', undefined],
  ['DEFAULT_5XX', undefined],
  ['EXPIRED_TOKEN', '403'],
  ['INTEGRATION_FAILURE', '504'],
  ['INTEGRATION_TIMEOUT', '504'],
  ['INVALID_API_KEY', '403'],
  ['INVALID_SIGNATURE', '403'],
  ['MISSING_AUTHENTICATION_TOKEN', '403'],
  ['QUOTA_EXCEEDED', '429'],
  ['REQUEST_TOO_LARGE', '413'],
  ['RESOURCE_NOT_FOUND', '404'],
  ['THROTTLED', '429'],
  ['UNAUTHORIZED', '401'],
  ['UNSUPPORTED_MEDIA_TYPE', '415'],
  ['WAF_FILTERED', '403'],
]);

export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** What GetGatewayResponse(s) shows for a type the API has not customized. */
export function defaultGatewayResponse(type: string): GatewayResponse {
  const status = RESPONSE_TYPES.get(type);
  return {
    responseType: type as GatewayResponseType,
    ...(status ? { statusCode: status } : {}),
    responseParameters: {},
    responseTemplates: { 'application/json': DEFAULT_TEMPLATE },
    defaultResponse: true,
  };
}

/** The customization that applies to a type: its own, else DEFAULT_4XX/DEFAULT_5XX by status class. */
export function customizationFor(
  responses: ReadonlyMap<string, GatewayResponse>,
  type: string,
  status: number,
): GatewayResponse | undefined {
  return responses.get(type) ?? responses.get(status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
}
