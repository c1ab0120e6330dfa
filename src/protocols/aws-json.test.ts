// awsJson 1.0 and 1.1 against the official SDK clients: generated inputs, outputs and errors round-trip through the
// SDK's own serializers and our codec (src/protocols/testing/).
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as events from '@aws-sdk/client-eventbridge';
import * as kinesis from '@aws-sdk/client-kinesis';
import * as sfn from '@aws-sdk/client-sfn';
import * as sqs from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommonErrors, ServiceError } from '../core/errors.js';
import { model as cloudwatchModel } from '../models/cloudwatch.js';
import { model as eventbridgeModel } from '../models/eventbridge.js';
import { model as kinesisModel } from '../models/kinesis.js';
import { model as logsModel } from '../models/logs.js';
import { model as sqsModel } from '../models/sqs.js';
import { model as sfnModel } from '../models/stepfunctions.js';
import type { StructureShape } from '../models/types.js';
import { AwsJsonCodec } from './aws-json.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';
import type { CaughtError } from './testing/differential.js';
import { Differential } from './testing/differential.js';
import { describeErrors, describeOperations } from './testing/suite.js';

/** SWITCHYARD_DIFF_RUNS=2000 for a deeper search than the default quick pass. */
const RUNS = Number(process.env.SWITCHYARD_DIFF_RUNS ?? 75);
const ERROR_RUNS = 3;
const json10 = new AwsJsonCodec('1.0');
const json11 = new AwsJsonCodec('1.1');
/** The SDK keeps a `__proto__` map key only when its value is a scalar; maps of structures leave it out. */
const NO_PROTO = { protoKeys: false } as const;

/** The SDK reads the legacy code from x-amzn-query-error and exposes it as Code, Type and Error.{Code,Type,Message}. */
function checkQueryCompatible(e: CaughtError, shape: StructureShape, code: string): void {
  const legacy = shape.error?.queryCode ?? code;
  const type = shape.error?.fault === 'server' ? 'Receiver' : 'Sender';
  expect(e.Code).toBe(legacy);
  expect(e.Type).toBe(type);
  expect(e.Error).toMatchObject({ Code: legacy, Type: type, Message: e.message });
}

// SQS: awsJson 1.0 and query-compatible. The client's MD5 checks and queue-URL endpoint rewriting are switched off:
// the generated bodies have no matching digests and the generated URLs are not URLs.
const sqsDiff = () =>
  new Differential({
    model: sqsModel,
    codec: json10,
    client: sqs.SQSClient,
    clientConfig: { md5: false, useQueueUrlAsEndpoint: false },
  });
describeOperations(
  'awsJson 1.0 SQS',
  sqsDiff(),
  [
    { name: 'SendMessage', command: sqs.SendMessageCommand },
    { name: 'SendMessageBatch', command: sqs.SendMessageBatchCommand },
    { name: 'ReceiveMessage', command: sqs.ReceiveMessageCommand, output: NO_PROTO },
    { name: 'GetQueueAttributes', command: sqs.GetQueueAttributesCommand },
    { name: 'ListQueues', command: sqs.ListQueuesCommand },
  ],
  { runs: RUNS },
);
describeErrors(
  'awsJson 1.0 SQS errors (query-compatible)',
  sqsDiff(),
  { name: 'ListQueues', command: sqs.ListQueuesCommand },
  {
    runs: ERROR_RUNS,
    // The SDK reads the legacy code from x-amzn-query-error and exposes it as Code, Type and Error.{Code,Type,Message}.
    check: checkQueryCompatible,
  },
);

// CloudWatch: awsJson 1.0 and query-compatible, with timestamps in requests and unions (one an empty structure).
const cloudwatchDiff = () =>
  new Differential({
    model: cloudwatchModel,
    codec: json10,
    client: cloudwatch.CloudWatchClient,
    clientConfig: { disableRequestCompression: true },
  });
describeOperations(
  'awsJson 1.0 CloudWatch',
  cloudwatchDiff(),
  [
    { name: 'PutMetricData', command: cloudwatch.PutMetricDataCommand },
    { name: 'GetMetricData', command: cloudwatch.GetMetricDataCommand },
    // The SDK drops a `__proto__` key of the ExtendedStatistics map when it reads it (an SDK limit, not the wire's).
    { name: 'GetMetricStatistics', command: cloudwatch.GetMetricStatisticsCommand, output: { protoKeys: false } },
    { name: 'DescribeAlarms', command: cloudwatch.DescribeAlarmsCommand },
  ],
  { runs: RUNS },
);
describeErrors(
  'awsJson 1.0 CloudWatch errors (query-compatible)',
  cloudwatchDiff(),
  { name: 'DescribeAlarms', command: cloudwatch.DescribeAlarmsCommand },
  { runs: ERROR_RUNS, check: checkQueryCompatible },
);

describeOperations(
  'awsJson 1.0 Step Functions',
  new Differential({ model: sfnModel, codec: json10, client: sfn.SFNClient }),
  [
    { name: 'StartExecution', command: sfn.StartExecutionCommand },
    { name: 'DescribeExecution', command: sfn.DescribeExecutionCommand },
    { name: 'GetExecutionHistory', command: sfn.GetExecutionHistoryCommand },
    // clientToken is an idempotency token: the SDK fills it in when the caller leaves it out.
    { name: 'RedriveExecution', command: sfn.RedriveExecutionCommand },
  ],
  { runs: RUNS },
);
describeErrors(
  'awsJson 1.0 Step Functions errors',
  new Differential({ model: sfnModel, codec: json10, client: sfn.SFNClient }),
  { name: 'DescribeExecution', command: sfn.DescribeExecutionCommand },
  { runs: ERROR_RUNS },
);

// EndpointId selects a multi-region endpoint signed with SigV4a, which needs the CRT; it is not a wire concern.
describeOperations(
  'awsJson 1.1 EventBridge',
  new Differential({ model: eventbridgeModel, codec: json11, client: events.EventBridgeClient }),
  [
    { name: 'PutEvents', command: events.PutEventsCommand, input: { omitMembers: ['EndpointId'] } },
    { name: 'PutRule', command: events.PutRuleCommand },
    { name: 'ListRules', command: events.ListRulesCommand },
  ],
  { runs: RUNS },
);
describeErrors(
  'awsJson 1.1 EventBridge errors',
  new Differential({ model: eventbridgeModel, codec: json11, client: events.EventBridgeClient }),
  { name: 'ListRules', command: events.ListRulesCommand },
  { runs: ERROR_RUNS },
);

describeOperations(
  'awsJson 1.1 Kinesis',
  new Differential({ model: kinesisModel, codec: json11, client: kinesis.KinesisClient }),
  [
    { name: 'PutRecord', command: kinesis.PutRecordCommand },
    { name: 'PutRecords', command: kinesis.PutRecordsCommand },
    { name: 'GetRecords', command: kinesis.GetRecordsCommand },
  ],
  { runs: RUNS },
);
describeErrors(
  'awsJson 1.1 Kinesis errors',
  new Differential({ model: kinesisModel, codec: json11, client: kinesis.KinesisClient }),
  { name: 'GetRecords', command: kinesis.GetRecordsCommand },
  { runs: ERROR_RUNS },
);

describeOperations(
  'awsJson 1.1 CloudWatch Logs',
  new Differential({ model: logsModel, codec: json11, client: logs.CloudWatchLogsClient }),
  [
    { name: 'PutLogEvents', command: logs.PutLogEventsCommand },
    { name: 'GetLogEvents', command: logs.GetLogEventsCommand },
    { name: 'FilterLogEvents', command: logs.FilterLogEventsCommand },
    { name: 'DescribeLogGroups', command: logs.DescribeLogGroupsCommand },
    // Unions: the integration details in the request and in the response.
    { name: 'PutIntegration', command: logs.PutIntegrationCommand },
    { name: 'GetIntegration', command: logs.GetIntegrationCommand },
  ],
  { runs: RUNS },
);
describeErrors(
  'awsJson 1.1 CloudWatch Logs errors',
  new Differential({ model: logsModel, codec: json11, client: logs.CloudWatchLogsClient }),
  { name: 'DescribeLogGroups', command: logs.DescribeLogGroupsCommand },
  { runs: ERROR_RUNS },
);

describe('awsJson beyond the model', () => {
  const sqsClient = sqsDiff();
  const events11 = new Differential({ model: eventbridgeModel, codec: json11, client: events.EventBridgeClient });

  it('timestamps: epoch seconds with a fraction read back to the same millisecond', () => {
    // Found by the PutEvents property: 2197596865.798 * 1000 is 2197596865797.9998, which Date truncates.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2999, 0) }), (ms) => {
        const wire = formatTimestamp(new Date(ms), 'epoch-seconds');
        return (
          parseTimestamp(wire, 'epoch-seconds')?.getTime() === ms &&
          parseTimestamp(String(wire), 'epoch-seconds')?.getTime() === ms
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('map keys named __proto__ stay keys, in both directions', () => {
    const op = sqsModel.operations.SendMessage!;
    const body = '{"QueueUrl":"q","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"x"}}}';
    const { input } = json10.decode(
      {
        method: 'POST',
        path: '/',
        rawQuery: '',
        headers: { 'x-amz-target': 'AmazonSQS.SendMessage', 'content-type': 'application/x-amz-json-1.0' },
        body: Buffer.from(body),
      },
      sqsModel,
    );
    const attrs = input.MessageAttributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(Object.keys(attrs)).toEqual(['__proto__']);
    const out = json10.encodeOutput(sqsModel, sqsModel.operations.GetQueueAttributes!, { Attributes: attrs }, 'r');
    expect(String(out.body)).toContain('"__proto__":{"DataType":"String","StringValue":"x"}');
    expect(op.name).toBe('SendMessage');
  });

  it('errors outside the model reach the SDK with their code, status and fault', async () => {
    const cases = [
      CommonErrors.serialization('Malformed JSON: the request body is not valid JSON.'),
      CommonErrors.internal(),
      new ServiceError('InvalidParameterValue', 'Value x for parameter QueueName is invalid.', {
        queryCode: 'InvalidParameterValue',
      }),
    ];
    for (const error of cases) {
      const e = await sqsClient.sdkErrorFor(sqs.ListQueuesCommand, 'ListQueues', error);
      expect(e.name).toBe(error.code);
      expect(e.message).toBe(error.message);
      expect(e.$metadata.httpStatusCode).toBe(error.status);
      expect(e.$fault).toBe(error.fault);
      expect(e.Code).toBe(error.queryCode ?? error.code);
      const plain = await events11.sdkErrorFor(events.ListRulesCommand, 'ListRules', error);
      expect([plain.name, plain.message, plain.$metadata.httpStatusCode]).toEqual([error.code, error.message, error.status]);
    }
  });

  it('error members declared by the shape are written by their shape', async () => {
    // CloudWatch Logs MalformedQueryException carries a structure; generated error fields cover the rest.
    const e = await new Differential({ model: logsModel, codec: json11, client: logs.CloudWatchLogsClient }).checkError(
      logs.DescribeLogGroupsCommand,
      'DescribeLogGroups',
      {
        code: 'MalformedQueryException',
        message: 'bad query',
        fields: { queryCompileError: { location: { startCharOffset: 1, endCharOffset: 4 }, message: 'unexpected |' } },
      },
    );
    expect(e.queryCompileError).toEqual({ location: { startCharOffset: 1, endCharOffset: 4 }, message: 'unexpected |' });
  });

  it('carries NaN and the infinities of doubles as the strings the SDK writes and reads', async () => {
    const d = cloudwatchDiff();
    try {
      await d.checkRequest(cloudwatch.PutMetricDataCommand, 'PutMetricData', {
        MetricData: [{ MetricName: 'm', Value: NaN, Values: [Infinity, -Infinity, 1.5] }],
      });
      await d.checkResponse(cloudwatch.GetMetricDataCommand, 'GetMetricData', {
        MetricDataResults: [{ Id: 'a', Values: [NaN, Infinity, -Infinity, -0.25] }],
      });
    } finally {
      d.destroy();
    }
  });

  it('rejects a target of another service with UnknownOperationException', () => {
    expect(() =>
      json10.decode(
        {
          method: 'POST',
          path: '/',
          rawQuery: '',
          headers: { 'x-amz-target': 'AWSStepFunctions.SendMessage' },
          body: Buffer.from('{}'),
        },
        sqsModel,
      ),
    ).toThrow(expect.objectContaining({ code: 'UnknownOperationException', queryCode: 'InvalidAction' }));
  });
});
