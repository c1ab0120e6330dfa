// The services Switchyard implements. Each one's code is imported when it is first used, so that startup time and
// idle memory do not grow with the number of services.
import type { ServiceHost, ServiceProvider } from '../core/provider.js';
import type { ServiceName } from '../models/index.js';

export type ProviderFactory = (host: ServiceHost) => ServiceProvider;

export const PROVIDERS: Partial<Record<ServiceName, () => Promise<ProviderFactory>>> = {
  sqs: async () => (await import('./sqs/provider.js')).createSqsProvider,
  eventbridge: async () => (await import('./eventbridge/provider.js')).createEventBridgeProvider,
  stepfunctions: async () => (await import('./stepfunctions/provider.js')).createStepFunctionsProvider,
  lambda: async () => (await import('./lambda/provider.js')).createLambdaProvider,
  sns: async () => (await import('./sns/provider.js')).createSnsProvider,
  kinesis: async () => (await import('./kinesis/provider.js')).createKinesisProvider,
  schemas: async () => (await import('./schemas/provider.js')).createSchemasProvider,
  apigateway: async () => (await import('./apigateway/provider.js')).createApiGatewayProvider,
  apigatewayv2: async () => (await import('./apigateway/v2/provider.js')).createApiGatewayV2Provider,
  apigatewaymanagementapi: async () => (await import('./apigateway/v2/management.js')).createApiGatewayManagementProvider,
  logs: async () => (await import('./logs/provider.js')).createLogsProvider,
};
