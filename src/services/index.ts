// The services Switchyard implements, each built on first use.
import type { ServiceHost, ServiceProvider } from '../core/provider.js';
import type { ServiceName } from '../models/index.js';
import { createEventBridgeProvider } from './eventbridge/provider.js';
import { createLambdaProvider } from './lambda/provider.js';
import { createSnsProvider } from './sns/provider.js';
import { createSqsProvider } from './sqs/provider.js';
import { createStepFunctionsProvider } from './stepfunctions/provider.js';

export const PROVIDERS: Partial<Record<ServiceName, (host: ServiceHost) => ServiceProvider>> = {
  sqs: createSqsProvider,
  eventbridge: createEventBridgeProvider,
  stepfunctions: (host) => createStepFunctionsProvider(host),
  lambda: createLambdaProvider,
  sns: createSnsProvider,
};
