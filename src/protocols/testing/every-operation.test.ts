// Every operation of every awsJson and awsQuery service, both directions, a few generated cases each: the wide net
// under the deeper per-operation suites of aws-json.test.ts and aws-query.test.ts. SWITCHYARD_DIFF_RUNS=300 to dig.
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as events from '@aws-sdk/client-eventbridge';
import * as iam from '@aws-sdk/client-iam';
import * as kinesis from '@aws-sdk/client-kinesis';
import * as sfn from '@aws-sdk/client-sfn';
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import * as sts from '@aws-sdk/client-sts';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { model as cloudwatchModel } from '../../models/cloudwatch.js';
import { model as logsModel } from '../../models/logs.js';
import { model as elbv2Model } from '../../models/elbv2.js';
import { model as eventbridgeModel } from '../../models/eventbridge.js';
import { model as iamModel } from '../../models/iam.js';
import { model as kinesisModel } from '../../models/kinesis.js';
import { model as snsModel } from '../../models/sns.js';
import { model as sqsModel } from '../../models/sqs.js';
import { model as sfnModel } from '../../models/stepfunctions.js';
import { model as stsModel } from '../../models/sts.js';
import type { ServiceModel } from '../../models/types.js';
import { AwsJsonCodec } from '../aws-json.js';
import { AwsQueryCodec } from '../aws-query.js';
import type { Codec } from '../codec.js';
import type { ArbitraryOptions } from './arbitraries.js';
import type { SdkClientClass, SdkCommandClass } from './differential.js';
import { Differential } from './differential.js';
import type { OperationCase } from './suite.js';
import { describeOperations } from './suite.js';

const RUNS = Number(process.env.SWITCHYARD_DIFF_RUNS ?? 4);

/** Left out: event streams (no single response). */
const SKIP = new Set(['SubscribeToShard', 'StartLiveTail', 'GetLogObject']);

interface Target {
  readonly title: string;
  readonly model: ServiceModel;
  readonly module: Record<string, unknown>;
  readonly client: SdkClientClass;
  readonly query: boolean;
  readonly clientConfig?: Record<string, unknown>;
  /** Per-operation input options (members the protocol cannot carry on their own). */
  readonly inputs?: Record<string, ArbitraryOptions>;
}

const SQS_CONFIG = { md5: false, useQueueUrlAsEndpoint: false };
const CW_CONFIG = { disableRequestCompression: true };

const targets: Target[] = [
  { title: 'SQS', model: sqsModel, module: sqs, client: sqs.SQSClient, query: false, clientConfig: SQS_CONFIG },
  { title: 'EventBridge', model: eventbridgeModel, module: events, client: events.EventBridgeClient, query: false },
  { title: 'Step Functions', model: sfnModel, module: sfn, client: sfn.SFNClient, query: false },
  { title: 'Kinesis', model: kinesisModel, module: kinesis, client: kinesis.KinesisClient, query: false },
  { title: 'CloudWatch Logs', model: logsModel, module: logs, client: logs.CloudWatchLogsClient, query: false },
  {
    title: 'CloudWatch',
    model: cloudwatchModel,
    module: cloudwatch,
    client: cloudwatch.CloudWatchClient,
    query: false,
    clientConfig: CW_CONFIG,
  },
  { title: 'SNS', model: snsModel, module: sns, client: sns.SNSClient, query: true },
  { title: 'STS', model: stsModel, module: sts, client: sts.STSClient, query: true },
  { title: 'IAM', model: iamModel, module: iam, client: iam.IAMClient, query: true },
  { title: 'ELBv2', model: elbv2Model, module: elbv2, client: elbv2.ElasticLoadBalancingV2Client, query: true },
  {
    title: 'SQS over query',
    model: sqsModel,
    module: sqs,
    client: sqs.SQSClient,
    query: true,
    clientConfig: { ...SQS_CONFIG, ...legacyQuery(sqs.SQSClient, 'http://queue.amazonaws.com/doc/2012-11-05/') },
    // Both go on the wire as AttributeName.N.
    inputs: { ReceiveMessage: { omitMembers: ['MessageSystemAttributeNames'] } },
  },
  {
    title: 'CloudWatch over query',
    model: cloudwatchModel,
    module: cloudwatch,
    client: cloudwatch.CloudWatchClient,
    query: true,
    clientConfig: {
      ...CW_CONFIG,
      ...legacyQuery(cloudwatch.CloudWatchClient, 'http://monitoring.amazonaws.com/doc/2010-08-01/'),
    },
  },
];

/** Client settings that make a query-compatible service's client speak awsQuery. */
function legacyQuery(client: SdkClientClass, xmlNamespace: string): Record<string, unknown> {
  const probe = new client({ region: 'us-east-1' } as never) as unknown as { config: { protocolSettings?: object } };
  return { protocol: AwsQueryProtocol, protocolSettings: { ...probe.config.protocolSettings, xmlNamespace } };
}

for (const t of targets) {
  const codec: Codec = t.query
    ? new AwsQueryCodec()
    : new AwsJsonCodec(t.model.protocol === 'awsJson1_0' ? '1.0' : '1.1');
  const cases: OperationCase[] = [];
  for (const name of Object.keys(t.model.operations)) {
    const command = t.module[`${name}Command`];
    if (SKIP.has(name) || typeof command !== 'function') continue;
    cases.push({
      name,
      command: command as SdkCommandClass,
      // EndpointId selects a SigV4a multi-region endpoint (EventBridge PutEvents): not a wire concern.
      input: { omitMembers: ['EndpointId'], ...t.inputs?.[name] },
      output: { protoKeys: false },
    });
  }
  const d = new Differential({
    model: t.model,
    codec,
    client: t.client,
    ...(t.clientConfig ? { clientConfig: t.clientConfig } : {}),
    ...(t.query
      ? {
          input: { emptyMapsAbsent: true, emptyStructuresAbsent: true },
          output: { blankLinesEmpty: true, emptyFlattenedAbsent: true },
          queryErrors: true,
        }
      : {}),
  });
  describeOperations(`every operation: ${t.title}`, d, cases, {
    runs: RUNS,
    arbitraries: t.query ? { strings: 'xml' } : {},
  });
}
