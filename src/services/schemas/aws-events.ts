// The AWS-owned `aws.events` registry: schemas of common AWS service events, written from the event shapes that the
// services document (EventBridge user guide, "Events from AWS services"), in the OpenAPI 3 layout AWS publishes.
import { javaHashSetOrder, prettyJson } from './json-format.js';
import { pascalCase } from './inference.js';

type Json = Record<string, unknown>;

const str = { type: 'string' };
const num = { type: 'number' };
const dateTime = { type: 'string', format: 'date-time' };
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

function obj(required: readonly string[], properties: Json): Json {
  const out: Json = { type: 'object' };
  if (required.length > 0) out.required = javaHashSetOrder(required);
  out.properties = properties;
  return out;
}

const ENVELOPE_REQUIRED = ['detail-type', 'resources', 'id', 'source', 'time', 'detail', 'region', 'version', 'account'];

/** One built-in schema: the AWSEvent envelope, the detail type and the detail's nested objects. */
function awsSchema(source: string, detailType: string, detail: Json, nested: Record<string, Json> = {}): [string, string] {
  const name = pascalCase(detailType);
  const doc = {
    openapi: '3.0.0',
    info: { version: '1.0.0', title: name },
    paths: {},
    components: {
      schemas: {
        AWSEvent: {
          type: 'object',
          required: javaHashSetOrder(ENVELOPE_REQUIRED),
          'x-amazon-events-detail-type': detailType,
          'x-amazon-events-source': source,
          properties: {
            detail: ref(name),
            account: str,
            'detail-type': str,
            id: str,
            region: str,
            resources: { type: 'array', items: str },
            source: str,
            time: dateTime,
            version: str,
          },
        },
        [name]: detail,
        ...nested,
      },
    },
  };
  return [`${source}@${name}`, prettyJson(doc)];
}

const s3Common = (extra: Json, extraRequired: string[]): Json =>
  obj(['version', 'bucket', 'object', 'request-id', 'requester', 'source-ip-address', 'reason', ...extraRequired], {
    bucket: ref('Bucket'),
    object: ref('Object'),
    reason: str,
    'request-id': str,
    requester: str,
    'source-ip-address': str,
    version: str,
    ...extra,
  });

/** Schema name -> OpenAPI 3 content, for every schema of the `aws.events` registry. */
export function builtInAwsSchemas(): Map<string, string> {
  return new Map([
    awsSchema('aws.events', 'Scheduled Event', obj([], {})),
    awsSchema('aws.ec2', 'EC2 Instance State-change Notification', obj(['instance-id', 'state'], { 'instance-id': str, state: str })),
    awsSchema('aws.s3', 'Object Created', s3Common({}, []), {
      Bucket: obj(['name'], { name: str }),
      Object: obj(['key', 'size', 'etag', 'sequencer'], { etag: str, key: str, sequencer: str, size: num, 'version-id': str }),
    }),
    awsSchema('aws.s3', 'Object Deleted', s3Common({ 'deletion-type': str }, ['deletion-type']), {
      Bucket: obj(['name'], { name: str }),
      Object: obj(['key', 'sequencer'], { key: str, sequencer: str, 'version-id': str }),
    }),
    awsSchema(
      'aws.states',
      'Step Functions Execution Status Change',
      obj(['executionArn', 'stateMachineArn', 'name', 'status', 'startDate'], {
        executionArn: str,
        input: str,
        name: str,
        output: str,
        startDate: num,
        stateMachineArn: str,
        status: str,
        stopDate: num,
      }),
    ),
    awsSchema(
      'aws.codepipeline',
      'CodePipeline Pipeline Execution State Change',
      obj(['pipeline', 'execution-id', 'state', 'version'], { 'execution-id': str, pipeline: str, state: str, version: num }),
    ),
  ]);
}
