// awsQuery against the official SDK clients: generated inputs, outputs and errors round-trip through the SDK's own
// query serializer and XML parser and our codec (src/protocols/testing/); then our SQS query encoding against the
// samples in the SQS API reference.
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as iam from '@aws-sdk/client-iam';
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import * as sts from '@aws-sdk/client-sts';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import { model as cloudwatchModel } from '../models/cloudwatch.js';
import { model as elbv2Model } from '../models/elbv2.js';
import { model as iamModel } from '../models/iam.js';
import { model as snsModel } from '../models/sns.js';
import { model as sqsModel } from '../models/sqs.js';
import { model as stsModel } from '../models/sts.js';
import type { OperationModel } from '../models/types.js';
import { AwsQueryCodec } from './aws-query.js';
import type { HttpRequest } from './http.js';
import type { DifferentialOptions } from './testing/differential.js';
import { Differential } from './testing/differential.js';
import type { ErrorSuiteOptions } from './testing/suite.js';
import { describeErrors, describeOperations } from './testing/suite.js';

/** SWITCHYARD_DIFF_RUNS=2000 for a deeper search than the default quick pass. */
const RUNS = Number(process.env.SWITCHYARD_DIFF_RUNS ?? 75);
const ERROR_RUNS = 3;
const codec = new AwsQueryCodec();
const XML = { strings: 'xml' } as const;
/** A query form has no key for an empty map or an empty structure (an empty list is `Name=`). */
const QUERY_INPUT = { emptyMapsAbsent: true, emptyStructuresAbsent: true } as const;
const XML_OUTPUT = { blankLinesEmpty: true, emptyFlattenedAbsent: true } as const;
/** Query clients also expose the legacy code and the fault type of <Error> as Code and Type. */
const ERRORS: ErrorSuiteOptions = {
  runs: ERROR_RUNS,
  arbitraries: XML,
  check: (e, shape, code) => {
    expect(e.Code).toBe(shape.error?.queryCode ?? code);
    expect(e.Type).toBe(shape.error?.fault === 'server' ? 'Receiver' : 'Sender');
  },
};

const diff = (model: DifferentialOptions['model'], client: DifferentialOptions['client']) =>
  new Differential({ model, codec, client, input: QUERY_INPUT, output: XML_OUTPUT });

describeOperations(
  'awsQuery SNS',
  diff(snsModel, sns.SNSClient),
  [
    { name: 'Publish', command: sns.PublishCommand },
    { name: 'CreateTopic', command: sns.CreateTopicCommand },
    { name: 'ListSubscriptions', command: sns.ListSubscriptionsCommand },
    { name: 'GetTopicAttributes', command: sns.GetTopicAttributesCommand },
  ],
  { runs: RUNS, arbitraries: XML },
);
describeErrors('awsQuery SNS errors', diff(snsModel, sns.SNSClient), {
  name: 'ListSubscriptions',
  command: sns.ListSubscriptionsCommand,
}, ERRORS);

describeOperations(
  'awsQuery STS',
  diff(stsModel, sts.STSClient),
  [{ name: 'AssumeRole', command: sts.AssumeRoleCommand }],
  { runs: RUNS, arbitraries: XML },
);
describeErrors('awsQuery STS errors', diff(stsModel, sts.STSClient), {
  name: 'AssumeRole',
  command: sts.AssumeRoleCommand,
}, ERRORS);

describeOperations(
  'awsQuery IAM',
  diff(iamModel, iam.IAMClient),
  [
    { name: 'CreateRole', command: iam.CreateRoleCommand },
    { name: 'ListRoles', command: iam.ListRolesCommand },
  ],
  { runs: RUNS, arbitraries: XML },
);
describeErrors('awsQuery IAM errors', diff(iamModel, iam.IAMClient), {
  name: 'ListRoles',
  command: iam.ListRolesCommand,
}, ERRORS);

describeOperations(
  'awsQuery ELBv2',
  diff(elbv2Model, elbv2.ElasticLoadBalancingV2Client),
  [
    { name: 'DescribeLoadBalancers', command: elbv2.DescribeLoadBalancersCommand },
    { name: 'CreateTargetGroup', command: elbv2.CreateTargetGroupCommand },
  ],
  { runs: RUNS, arbitraries: XML },
);
describeErrors('awsQuery ELBv2 errors', diff(elbv2Model, elbv2.ElasticLoadBalancingV2Client), {
  name: 'DescribeLoadBalancers',
  command: elbv2.DescribeLoadBalancersCommand,
}, ERRORS);

// SQS over query: its model is awsJson 1.0, but the same SDK client speaks the legacy query protocol when given the
// SDK's AwsQueryProtocol, as older SDKs and the CLI v1 do. Its schemas carry the query names (MessageAttribute.N).
const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
/** A Differential whose client speaks awsQuery instead of its service's awsJson (query-compatible services). */
function legacyQueryDiff(
  model: DifferentialOptions['model'],
  client: DifferentialOptions['client'],
  xmlNamespace: string,
  clientConfig: Record<string, unknown> = {},
): Differential {
  const probe = new client({ region: 'us-east-1' } as never) as unknown as { config: { protocolSettings?: object } };
  return new Differential({
    model,
    codec,
    client,
    clientConfig: {
      ...clientConfig,
      protocol: AwsQueryProtocol,
      protocolSettings: { ...probe.config.protocolSettings, xmlNamespace },
    },
    input: QUERY_INPUT,
    output: XML_OUTPUT,
    queryErrors: true,
  });
}
const sqsQueryDiff = () =>
  legacyQueryDiff(sqsModel, sqs.SQSClient, SQS_NAMESPACE, { md5: false, useQueueUrlAsEndpoint: false });
describeOperations(
  'awsQuery SQS (query protocol of a query-compatible service)',
  sqsQueryDiff(),
  [
    { name: 'SendMessage', command: sqs.SendMessageCommand },
    { name: 'SendMessageBatch', command: sqs.SendMessageBatchCommand },
    // MessageSystemAttributeNames goes on the wire as AttributeName.N, the key of AttributeNames: not its own member.
    { name: 'ReceiveMessage', command: sqs.ReceiveMessageCommand, input: { omitMembers: ['MessageSystemAttributeNames'] } },
    { name: 'GetQueueAttributes', command: sqs.GetQueueAttributesCommand },
    { name: 'ListQueues', command: sqs.ListQueuesCommand },
  ],
  { runs: RUNS, arbitraries: XML },
);
describeErrors(
  'awsQuery SQS errors',
  sqsQueryDiff(),
  { name: 'ListQueues', command: sqs.ListQueuesCommand },
  ERRORS,
);

// CloudWatch over query: timestamps in requests (date-time), unions in responses.
const cloudwatchQueryDiff = () =>
  legacyQueryDiff(cloudwatchModel, cloudwatch.CloudWatchClient, 'http://monitoring.amazonaws.com/doc/2010-08-01/', {
    disableRequestCompression: true,
  });
describeOperations(
  'awsQuery CloudWatch (query protocol of a query-compatible service)',
  cloudwatchQueryDiff(),
  [
    { name: 'PutMetricData', command: cloudwatch.PutMetricDataCommand },
    { name: 'GetMetricData', command: cloudwatch.GetMetricDataCommand },
    // The SDK drops a `__proto__` key of the ExtendedStatistics map when it reads it (an SDK limit, not the wire's).
    { name: 'GetMetricStatistics', command: cloudwatch.GetMetricStatisticsCommand, output: { protoKeys: false } },
    { name: 'DescribeAlarms', command: cloudwatch.DescribeAlarmsCommand },
  ],
  { runs: RUNS, arbitraries: XML },
);
describeErrors(
  'awsQuery CloudWatch errors',
  cloudwatchQueryDiff(),
  { name: 'DescribeAlarms', command: cloudwatch.DescribeAlarmsCommand },
  ERRORS,
);

describe('awsQuery numbers', () => {
  it('carries NaN and the infinities of doubles in both directions', async () => {
    const d = cloudwatchQueryDiff();
    try {
      await d.checkRequest(cloudwatch.PutMetricDataCommand, 'PutMetricData', {
        MetricData: [{ MetricName: 'm', Value: NaN, Values: [Infinity, -Infinity, 1.5] }],
      });
      await d.checkResponse(cloudwatch.GetMetricDataCommand, 'GetMetricData', {
        MetricDataResults: [{ Id: 'a', Values: [NaN, Infinity, -Infinity, -0.25, 1e21, 5e-324] }],
      });
    } finally {
      d.destroy();
    }
  });
});

// Our SQS query encoding against the sample requests and responses of the SQS API reference (query API pages).
describe('awsQuery SQS against the API reference samples', () => {
  const parser = new XMLParser({ ignoreAttributes: true, ignoreDeclaration: true, parseTagValue: false, trimValues: true });
  /** Element structure only: whitespace between elements and the XML declaration do not matter. */
  const tree = (xml: string | Buffer): unknown => parser.parse(xml.toString()) as unknown;
  const form = (body: string, rawQuery = ''): HttpRequest => ({
    method: 'POST',
    path: '/123456789012/MyQueue/',
    rawQuery,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(body),
  });
  const op = (name: string) => sqsModel.operations[name] as OperationModel;

  it('decodes SendMessage with MessageAttribute.N.Name / Value.StringValue / Value.DataType', () => {
    const query =
      'Action=SendMessage&MessageBody=This+is+a+test+message' +
      '&MessageAttribute.1.Name=my_attribute_name_1&MessageAttribute.1.Value.StringValue=my_attribute_value_1' +
      '&MessageAttribute.1.Value.DataType=String' +
      '&MessageAttribute.2.Name=my_attribute_name_2&MessageAttribute.2.Value.StringValue=my_attribute_value_2' +
      '&MessageAttribute.2.Value.DataType=String' +
      '&Expires=2020-05-05T22%3A52%3A43PST&Version=2012-11-05';
    // The sample is a GET with the parameters in the query string; the same parameters as a form body decode alike.
    for (const req of [{ ...form(''), method: 'GET', rawQuery: query }, form(query)]) {
      const { operation, input } = codec.decode(req, sqsModel);
      expect(operation.name).toBe('SendMessage');
      expect(input).toEqual({
        MessageBody: 'This is a test message',
        MessageAttributes: {
          my_attribute_name_1: { StringValue: 'my_attribute_value_1', DataType: 'String' },
          my_attribute_name_2: { StringValue: 'my_attribute_value_2', DataType: 'String' },
        },
      });
    }
  });

  it('decodes SendMessageBatch entries and ReceiveMessage attribute names', () => {
    const batch = codec.decode(
      form(
        'Action=SendMessageBatch&QueueUrl=https%3A%2F%2Fsqs.us-east-2.amazonaws.com%2F123456789012%2FMyQueue' +
          '&SendMessageBatchRequestEntry.1.Id=test_msg_001' +
          '&SendMessageBatchRequestEntry.1.MessageBody=test%20message%20body%201' +
          '&SendMessageBatchRequestEntry.2.Id=test_msg_002' +
          '&SendMessageBatchRequestEntry.2.MessageBody=test%20message%20body%202' +
          '&SendMessageBatchRequestEntry.2.DelaySeconds=60' +
          '&SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=test_attribute_name_1' +
          '&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=test_attribute_value_1' +
          '&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=String&Version=2012-11-05',
      ),
      sqsModel,
    );
    expect(batch.input).toEqual({
      QueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/MyQueue',
      Entries: [
        { Id: 'test_msg_001', MessageBody: 'test message body 1' },
        {
          Id: 'test_msg_002',
          MessageBody: 'test message body 2',
          DelaySeconds: 60,
          MessageAttributes: { test_attribute_name_1: { StringValue: 'test_attribute_value_1', DataType: 'String' } },
        },
      ],
    });
    const receive = codec.decode(
      form(
        'Action=ReceiveMessage&MaxNumberOfMessages=5&VisibilityTimeout=15&AttributeName.1=All' +
          '&MessageAttributeName.1=my_attribute_name&Version=2012-11-05',
      ),
      sqsModel,
    );
    expect(receive.input).toEqual({
      MaxNumberOfMessages: 5,
      VisibilityTimeout: 15,
      AttributeNames: ['All'],
      MessageAttributeNames: ['my_attribute_name'],
    });
  });

  it('encodes ReceiveMessage with flattened Message, Attribute and MessageAttribute elements', () => {
    const res = codec.encodeOutput(
      sqsModel,
      op('ReceiveMessage'),
      {
        Messages: [
          {
            MessageId: '5fea7756-0ea4-451a-a703-a558b933e274',
            ReceiptHandle: 'MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+CwLj1FjgXUv1uSj1gUPAWV66FU/WeR4mq2OKpEGYWbnLmpRCJVAyeMjeU5ZBdtcQ+QEauMZc8ZRv37sIW2iJKq3M9MFx1YvV11A2x/KSbkJ0=',
            MD5OfBody: 'fafb00f5732ab283681e124bf8747ed1',
            Body: 'This is a test message',
            Attributes: {
              SenderId: '195004372649',
              SentTimestamp: '1238099229000',
              ApproximateReceiveCount: '5',
              ApproximateFirstReceiveTimestamp: '1250700979248',
            },
            MD5OfMessageAttributes: '3ae8f24a165a8cedc005670c81a27295',
            MessageAttributes: { my_attribute_name: { DataType: 'String', StringValue: 'my_attribute_value' } },
          },
        ],
      },
      'b6633655-283d-45b4-aee4-4e84e0ae6afa',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml');
    expect(res.body.toString()).toContain(`<ReceiveMessageResponse xmlns="${SQS_NAMESPACE}">`);
    expect(tree(res.body)).toEqual(
      tree(`<?xml version="1.0"?>
        <ReceiveMessageResponse>
          <ReceiveMessageResult>
            <Message>
              <MessageId>5fea7756-0ea4-451a-a703-a558b933e274</MessageId>
              <ReceiptHandle>MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+CwLj1FjgXUv1uSj1gUPAWV66FU/WeR4mq2OKpEGYWbnLmpRCJVAyeMjeU5ZBdtcQ+QEauMZc8ZRv37sIW2iJKq3M9MFx1YvV11A2x/KSbkJ0=</ReceiptHandle>
              <MD5OfBody>fafb00f5732ab283681e124bf8747ed1</MD5OfBody>
              <Body>This is a test message</Body>
              <Attribute><Name>SenderId</Name><Value>195004372649</Value></Attribute>
              <Attribute><Name>SentTimestamp</Name><Value>1238099229000</Value></Attribute>
              <Attribute><Name>ApproximateReceiveCount</Name><Value>5</Value></Attribute>
              <Attribute><Name>ApproximateFirstReceiveTimestamp</Name><Value>1250700979248</Value></Attribute>
              <MD5OfMessageAttributes>3ae8f24a165a8cedc005670c81a27295</MD5OfMessageAttributes>
              <MessageAttribute>
                <Name>my_attribute_name</Name>
                <Value><StringValue>my_attribute_value</StringValue><DataType>String</DataType></Value>
              </MessageAttribute>
            </Message>
          </ReceiveMessageResult>
          <ResponseMetadata><RequestId>b6633655-283d-45b4-aee4-4e84e0ae6afa</RequestId></ResponseMetadata>
        </ReceiveMessageResponse>`),
    );
  });

  it('encodes GetQueueAttributes and SendMessageBatch results', () => {
    const attrs = codec.encodeOutput(
      sqsModel,
      op('GetQueueAttributes'),
      { Attributes: { ReceiveMessageWaitTimeSeconds: '2', VisibilityTimeout: '30', ApproximateNumberOfMessages: '0' } },
      '1ea71be5-b5a2-4f9d-b85a-945d8d08cd0b',
    );
    expect(tree(attrs.body)).toEqual(
      tree(`<GetQueueAttributesResponse>
        <GetQueueAttributesResult>
          <Attribute><Name>ReceiveMessageWaitTimeSeconds</Name><Value>2</Value></Attribute>
          <Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>
          <Attribute><Name>ApproximateNumberOfMessages</Name><Value>0</Value></Attribute>
        </GetQueueAttributesResult>
        <ResponseMetadata><RequestId>1ea71be5-b5a2-4f9d-b85a-945d8d08cd0b</RequestId></ResponseMetadata>
      </GetQueueAttributesResponse>`),
    );
    const batch = codec.encodeOutput(
      sqsModel,
      op('SendMessageBatch'),
      {
        Successful: [
          { Id: 'test_msg_001', MessageId: '0a5231c7-8bff-4955-be2e-8dc7c50a25fa', MD5OfMessageBody: '0e024d309850c78cba5eabbeff7cae71' },
        ],
        Failed: [{ Id: 'test_msg_002', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad' }],
      },
      'ca1ad5d0-8271-408b-8d0f-1351bf547e74',
    );
    expect(tree(batch.body)).toEqual(
      tree(`<SendMessageBatchResponse>
        <SendMessageBatchResult>
          <SendMessageBatchResultEntry>
            <Id>test_msg_001</Id>
            <MessageId>0a5231c7-8bff-4955-be2e-8dc7c50a25fa</MessageId>
            <MD5OfMessageBody>0e024d309850c78cba5eabbeff7cae71</MD5OfMessageBody>
          </SendMessageBatchResultEntry>
          <BatchResultErrorEntry>
            <Id>test_msg_002</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code><Message>bad</Message>
          </BatchResultErrorEntry>
        </SendMessageBatchResult>
        <ResponseMetadata><RequestId>ca1ad5d0-8271-408b-8d0f-1351bf547e74</RequestId></ResponseMetadata>
      </SendMessageBatchResponse>`),
    );
  });

  it('encodes errors as ErrorResponse/Error with Type, the legacy Code and Message', () => {
    const res = codec.encodeError(
      sqsModel,
      new ServiceError('QueueDoesNotExist', 'The specified queue does not exist for this wsdl version.'),
      'b5bf2332-e983-5e3c-a8e1-2b9bb8bc6ba0',
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/xml');
    expect(tree(res.body)).toEqual(
      tree(`<ErrorResponse>
        <Error>
          <Type>Sender</Type>
          <Code>AWS.SimpleQueueService.NonExistentQueue</Code>
          <Message>The specified queue does not exist for this wsdl version.</Message>
          <Detail/>
        </Error>
        <RequestId>b5bf2332-e983-5e3c-a8e1-2b9bb8bc6ba0</RequestId>
      </ErrorResponse>`),
    );
    // Errors outside the model keep their own code (the common InvalidParameterValue of the samples).
    const invalid = codec.encodeError(
      sqsModel,
      new ServiceError('InvalidParameterValue', 'Value (quename_nonalpha) for parameter QueueName is invalid.'),
      'r',
    );
    expect(tree(invalid.body)).toMatchObject({
      ErrorResponse: { Error: { Type: 'Sender', Code: 'InvalidParameterValue' } },
    });
  });
});
