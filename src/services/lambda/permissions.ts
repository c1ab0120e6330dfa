// Resource-based policies: a function's (per qualifier) through AddPermission/RemovePermission/GetPolicy, and a
// layer version's through Add/Remove/GetLayerVersionPolicy; statements written as AWS writes them. Cross-account
// invocations are allowed only when the function's policy grants them.
import { randomUUID } from 'node:crypto';
import type {
  AddPermissionRequest,
  AddPermissionResponse,
  GetPolicyRequest,
  GetPolicyResponse,
  RemovePermissionRequest,
} from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import { conflict, invalidParameter, preconditionFailed, resourceNotFound, validation } from './errors.js';

const SID_PATTERN = /^[a-zA-Z0-9-_.]+$/;
const ACTION_PATTERN = /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/;
/** Lambda's limit on a function's policy document (20 KB). */
const MAX_POLICY_BYTES = 20480;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: string | Record<string, string>;
  readonly Action: string;
  readonly Resource: string;
  readonly Condition?: Record<string, Record<string, string>>;
}

/**
 * The revision a policy answers with and checks. A function's policy shares its function's (or alias's) RevisionId,
 * as on Lambda: a RevisionId read from GetFunction or GetAlias guards AddPermission, and a policy change gives the
 * function a new one. A layer version's policy has its own.
 */
export interface Revision {
  get(): string;
  set(id: string): void;
}

function ownRevision(): Revision {
  let id: string = randomUUID();
  return {
    get: () => id,
    set: (next) => {
      id = next;
    },
  };
}

/** One resource's policy: its statements in order and its revision. */
export class PolicyDocument {
  readonly statements: PolicyStatement[] = [];

  constructor(private readonly revision: Revision = ownRevision()) {}

  get revisionId(): string {
    return this.revision.get();
  }

  get empty(): boolean {
    return this.statements.length === 0;
  }

  text(): string {
    return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: this.statements });
  }

  add(statement: PolicyStatement, revisionId: string | undefined): void {
    this.checkRevision(revisionId);
    if (this.statements.some((s) => s.Sid === statement.Sid)) {
      throw conflict(
        'The statement id (sid) provided already exists. Please provide a new statement id, or remove the existing statement.',
      );
    }
    this.statements.push(statement);
    if (Buffer.byteLength(this.text(), 'utf8') > MAX_POLICY_BYTES) {
      this.statements.pop();
      throw new ServiceError(
        'PolicyLengthExceededException',
        'The final policy size is bigger than the limit.',
        { status: 400, fields: { Type: 'User' }, messageMember: 'message' },
      );
    }
    this.revision.set(randomUUID());
  }

  remove(sid: string, revisionId: string | undefined): void {
    if (this.empty) throw noPolicy();
    this.checkRevision(revisionId);
    const i = this.statements.findIndex((s) => s.Sid === sid);
    if (i < 0) throw resourceNotFound(`Statement ${sid} is not found in resource policy.`);
    this.statements.splice(i, 1);
    this.revision.set(randomUUID());
  }

  private checkRevision(given: string | undefined): void {
    if (given !== undefined && given !== this.revisionId) {
      throw preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id',
      );
    }
  }
}

export const noPolicy = (): ServiceError => resourceNotFound('No policy is associated with the given resource.');

/** The principal as a policy names it: a service, an account's root, any IAM ARN, or everyone. */
export function policyPrincipal(principal: string, partition = 'aws'): string | Record<string, string> {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:${partition}:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

/** AddPermission's statement, after AWS's validation of each member. */
export function functionStatement(input: AddPermissionRequest, resource: string): PolicyStatement {
  const sid = input.StatementId;
  if (!sid) throw validation(sid, 'statementId', 'Member must not be null');
  if (sid.length > 100 || !SID_PATTERN.test(sid)) {
    throw validation(sid, 'statementId', 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)');
  }
  const action = input.Action;
  if (!action) throw validation(action, 'action', 'Member must not be null');
  if (!ACTION_PATTERN.test(action)) {
    throw validation(action, 'action', 'Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])');
  }
  const principal = input.Principal;
  if (!principal) throw validation(principal, 'principal', 'Member must not be null');
  if (/\s/.test(principal)) {
    throw validation(principal, 'principal', 'Member must satisfy regular expression pattern: [^\\s]+');
  }
  if (input.SourceAccount !== undefined && !/^\d{12}$/.test(input.SourceAccount)) {
    throw validation(input.SourceAccount, 'sourceAccount', 'Member must satisfy regular expression pattern: \\d{12}');
  }
  if (input.PrincipalOrgID !== undefined && !/^o-[a-z0-9]{10,32}$/.test(input.PrincipalOrgID)) {
    throw validation(
      input.PrincipalOrgID,
      'principalOrgID',
      'Member must satisfy regular expression pattern: ^o-[a-z0-9]{10,32}$',
    );
  }
  const authType = input.FunctionUrlAuthType;
  if (authType !== undefined && authType !== 'NONE' && authType !== 'AWS_IAM') {
    throw validation(authType, 'functionUrlAuthType', 'Member must satisfy enum value set: [NONE, AWS_IAM]');
  }
  if (authType !== undefined && action !== 'lambda:InvokeFunctionUrl') {
    throw invalidParameter('FunctionUrlAuthType is only supported for lambda:InvokeFunctionUrl action');
  }
  const condition: Record<string, Record<string, string>> = {};
  const put = (op: string, key: string, value: string | undefined): void => {
    if (value === undefined) return;
    condition[op] = { ...condition[op], [key]: value };
  };
  put('StringEquals', 'AWS:SourceAccount', input.SourceAccount);
  put('StringEquals', 'aws:PrincipalOrgID', input.PrincipalOrgID);
  put('StringEquals', 'lambda:EventSourceToken', input.EventSourceToken);
  put('StringEquals', 'lambda:FunctionUrlAuthType', authType);
  if (input.InvokedViaFunctionUrl) put('Bool', 'lambda:InvokedViaFunctionUrl', 'true');
  put('ArnLike', 'AWS:SourceArn', input.SourceArn);
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: policyPrincipal(principal, resource.split(':')[1]),
    Action: action,
    Resource: resource,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

/**
 * Whether a policy lets another account call lambda:InvokeFunction directly: a statement for that account (its root,
 * an IAM ARN in it, or `*`) without conditions, which a direct call (no source ARN, account or organization) never
 * satisfies.
 */
export function grantsInvoke(policy: PolicyDocument | undefined, callerAccount: string): boolean {
  if (!policy) return false;
  return policy.statements.some((s) => {
    if (s.Action !== 'lambda:InvokeFunction' && s.Action !== 'lambda:*' && s.Action !== '*') return false;
    if (s.Condition) return false;
    if (s.Principal === '*') return true;
    if (typeof s.Principal === 'string') return false;
    const aws = s.Principal.AWS;
    if (aws === undefined) return false;
    return aws === '*' || aws === callerAccount || aws.split(':')[4] === callerAccount;
  });
}

export function accessDenied(callerAccount: string, resource: string): ServiceError {
  return new ServiceError(
    'AccessDeniedException',
    `User: arn:aws:iam::${callerAccount}:root is not authorized to perform: lambda:InvokeFunction on resource: ${resource} because no resource-based policy allows the lambda:InvokeFunction action`,
    { status: 403, messageMember: 'Message' },
  );
}

/** The policies of each function, by qualifier ('' for the unqualified function). */
export class FunctionPolicies {
  private readonly byFunction = new WeakMap<object, Map<string, PolicyDocument>>();

  get(fn: object, qualifier: string | undefined): PolicyDocument | undefined {
    return this.byFunction.get(fn)?.get(qualifier ?? '');
  }

  getOrCreate(fn: object, qualifier: string | undefined, revision: Revision): PolicyDocument {
    let byQualifier = this.byFunction.get(fn);
    if (!byQualifier) {
      byQualifier = new Map();
      this.byFunction.set(fn, byQualifier);
    }
    let policy = byQualifier.get(qualifier ?? '');
    if (!policy) {
      policy = new PolicyDocument(revision);
      byQualifier.set(qualifier ?? '', policy);
    }
    return policy;
  }

  /** A version or alias was deleted: its policy goes with it. */
  forget(fn: object, qualifier: string): void {
    this.byFunction.get(fn)?.delete(qualifier);
  }
}

/** What the policy operations need from the rest of Lambda. */
export interface PolicyTargetLocator {
  /** The function and the resource a qualifier names (version or alias), or throws ResourceNotFoundException. */
  locate(
    ctx: RequestContext,
    functionName: string | undefined,
    qualifier: string | undefined,
  ): { fn: object; qualifier: string | undefined; resource: string; revision: Revision };
}

export class PermissionOperations {
  readonly policies = new FunctionPolicies();

  constructor(private readonly locator: PolicyTargetLocator) {}

  addPermission(ctx: RequestContext, input: AddPermissionRequest): AddPermissionResponse {
    const target = this.locator.locate(ctx, input.FunctionName, input.Qualifier);
    const statement = functionStatement(input, target.resource);
    this.policies.getOrCreate(target.fn, target.qualifier, target.revision).add(statement, input.RevisionId);
    return { Statement: JSON.stringify(statement) };
  }

  removePermission(ctx: RequestContext, input: RemovePermissionRequest): Record<string, never> {
    const target = this.locator.locate(ctx, input.FunctionName, input.Qualifier);
    const policy = this.policies.get(target.fn, target.qualifier);
    if (!policy) throw noPolicy();
    policy.remove(input.StatementId ?? '', input.RevisionId);
    return {};
  }

  getPolicy(ctx: RequestContext, input: GetPolicyRequest): GetPolicyResponse {
    const target = this.locator.locate(ctx, input.FunctionName, input.Qualifier);
    const policy = this.policies.get(target.fn, target.qualifier);
    if (!policy || policy.empty) throw noPolicy();
    return { Policy: policy.text(), RevisionId: policy.revisionId };
  }

  /** A caller from another account may invoke only what the function's policy grants it. */
  checkInvoke(callerAccount: string, ownerAccount: string, fn: object, qualifier: string | undefined, resource: string): void {
    if (callerAccount === ownerAccount) return;
    if (!grantsInvoke(this.policies.get(fn, qualifier), callerAccount)) throw accessDenied(callerAccount, resource);
  }
}
