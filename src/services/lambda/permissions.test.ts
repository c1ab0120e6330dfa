// Resource-based policies over the wire: AddPermission/RemovePermission/GetPolicy with AWS's statements and errors,
// and cross-account Invoke allowed only by the policy.
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

const OWNER = '000000000000';
const OTHER = '111111111111';
const FN_ARN = `arn:aws:lambda:us-east-1:${OWNER}:function:`;

let h: LambdaHarness;
let other: LambdaClient;

beforeAll(async () => {
  h = await startLambdaHarness();
  other = new LambdaClient({
    endpoint: h.sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: OTHER, secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  other.destroy();
  await h.close();
});

async function create(name: string): Promise<void> {
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip({ 'index.js': 'exports.handler = async (e) => ({ got: e });' }) },
    }),
  );
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; $metadata?: { httpStatusCode?: number } },
  );
  if (!err) throw new Error('expected an error');
  return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
}

describe('resource-based policy', () => {
  it('adds statements as AWS writes them, shows the policy with its revision and removes them', async () => {
    await create('pol');
    const noPolicy = await failure(h.lambda.send(new GetPolicyCommand({ FunctionName: 'pol' })));
    expect(noPolicy).toEqual({
      name: 'ResourceNotFoundException',
      message: 'No policy is associated with the given resource.',
      status: 404,
    });
    const before = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'pol' }));
    const added = await h.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'pol',
        RevisionId: before.Configuration?.RevisionId,
        StatementId: 's3-invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::my-bucket',
        SourceAccount: OWNER,
      }),
    );
    expect(added.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(added.Statement ?? '')).toEqual({
      Sid: 's3-invoke',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: `${FN_ARN}pol`,
      Condition: {
        StringEquals: { 'AWS:SourceAccount': OWNER },
        ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::my-bucket' },
      },
    });
    await h.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'pol',
        StatementId: 'url',
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      }),
    );
    const policy = await h.lambda.send(new GetPolicyCommand({ FunctionName: 'pol' }));
    const doc = JSON.parse(policy.Policy ?? '') as { Version: string; Id: string; Statement: Array<{ Sid: string }> };
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Id).toBe('default');
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['s3-invoke', 'url']);
    expect(doc.Statement[1]).toMatchObject({
      Principal: '*',
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
    });
    expect(policy.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    // The policy shares the function's revision: each change gives the function a new RevisionId.
    const after = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'pol' }));
    expect(after.Configuration?.RevisionId).toBe(policy.RevisionId);
    expect(policy.RevisionId).not.toBe(before.Configuration?.RevisionId);

    const dup = await failure(
      h.lambda.send(
        new AddPermissionCommand({ FunctionName: 'pol', StatementId: 'url', Action: 'lambda:*', Principal: '*' }),
      ),
    );
    expect(dup).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message:
        'The statement id (sid) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
    const stale = await failure(
      h.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 'url', RevisionId: 'stale' })),
    );
    expect(stale).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    await h.lambda.send(
      new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 'url', RevisionId: policy.RevisionId }),
    );
    const missing = await failure(h.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 'url' })));
    expect(missing).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'Statement url is not found in resource policy.',
    });
    await h.lambda.send(new RemovePermissionCommand({ FunctionName: 'pol', StatementId: 's3-invoke' }));
    expect(await failure(h.lambda.send(new GetPolicyCommand({ FunctionName: 'pol' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('keeps one policy per qualifier and validates members', async () => {
    await create('qual');
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'qual' }));
    await h.lambda.send(new CreateAliasCommand({ FunctionName: 'qual', Name: 'live', FunctionVersion: '1' }));
    const st = await h.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'qual',
        Qualifier: 'live',
        StatementId: 'acct',
        Action: 'lambda:InvokeFunction',
        Principal: OTHER,
      }),
    );
    expect(JSON.parse(st.Statement ?? '')).toMatchObject({
      Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
      Resource: `${FN_ARN}qual:live`,
    });
    expect(await failure(h.lambda.send(new GetPolicyCommand({ FunctionName: 'qual' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const live = await h.lambda.send(new GetPolicyCommand({ FunctionName: 'qual', Qualifier: 'live' }));
    expect(JSON.parse(live.Policy ?? '')).toMatchObject({ Statement: [{ Sid: 'acct' }] });
    expect(
      await failure(
        h.lambda.send(
          new AddPermissionCommand({
            FunctionName: 'qual',
            Qualifier: '9',
            StatementId: 'x',
            Action: 'lambda:InvokeFunction',
            Principal: '*',
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${FN_ARN}qual:9` });
    expect(
      await failure(
        h.lambda.send(
          new AddPermissionCommand({ FunctionName: 'qual', StatementId: 'bad sid', Action: 'lambda:InvokeFunction', Principal: '*' }),
        ),
      ),
    ).toMatchObject({ name: 'ValidationException' });
    expect(
      await failure(
        h.lambda.send(new AddPermissionCommand({ FunctionName: 'qual', StatementId: 'a', Action: 'invoke', Principal: '*' })),
      ),
    ).toMatchObject({ name: 'ValidationException' });
    expect(
      await failure(
        h.lambda.send(
          new AddPermissionCommand({ FunctionName: 'nope', StatementId: 'a', Action: 'lambda:InvokeFunction', Principal: '*' }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${FN_ARN}nope` });
  });

  it('lets another account invoke only when the policy grants it', async () => {
    await create('shared');
    const invokeFromOther = (qualifier?: string) =>
      other.send(
        new InvokeCommand({
          FunctionName: `${FN_ARN}shared${qualifier ? `:${qualifier}` : ''}`,
          Payload: Buffer.from('{"a":1}'),
        }),
      );
    const denied = await failure(invokeFromOther());
    expect(denied).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: arn:aws:iam::${OTHER}:root is not authorized to perform: lambda:InvokeFunction on resource: ${FN_ARN}shared because no resource-based policy allows the lambda:InvokeFunction action`,
    });
    // A service principal or a conditioned statement does not grant a direct call from another account.
    await h.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'shared',
        StatementId: 'svc',
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
      }),
    );
    expect((await failure(invokeFromOther())).name).toBe('AccessDeniedException');
    await h.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'shared',
        StatementId: 'other-account',
        Action: 'lambda:InvokeFunction',
        Principal: OTHER,
      }),
    );
    const ok = await invokeFromOther();
    expect(JSON.parse(Buffer.from(ok.Payload ?? []).toString('utf8'))).toEqual({ got: { a: 1 } });
    // The owner's own calls never need a policy; a published version has its own (empty) policy.
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'shared' }));
    expect((await failure(invokeFromOther('1'))).name).toBe('AccessDeniedException');
    const own = await h.lambda.send(new InvokeCommand({ FunctionName: 'shared', Qualifier: '1' }));
    expect(own.StatusCode).toBe(200);
    await h.lambda.send(new RemovePermissionCommand({ FunctionName: 'shared', StatementId: 'other-account' }));
    expect((await failure(invokeFromOther())).name).toBe('AccessDeniedException');
    await h.lambda.send(
      new AddPermissionCommand({ FunctionName: 'shared', StatementId: 'all', Action: 'lambda:*', Principal: '*' }),
    );
    expect((await invokeFromOther()).StatusCode).toBe(200);
  });
});
