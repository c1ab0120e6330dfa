// Event bus resource policies ("Permissions for event buses in Amazon EventBridge"): PutPermission adds a statement
// (or replaces the whole policy), RemovePermission takes one out, and another account's PutEvents or bus-to-bus
// delivery is let in only when a statement allows it and none denies it.
import { ServiceError } from '../../core/errors.js';
import { constraint, missing, validation } from './validation.js';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

export interface BusPolicy {
  readonly Version: string;
  readonly Statement: PolicyStatement[];
}

const STATEMENT_ID = /^[a-zA-Z0-9-_]+$/;
const PRINCIPAL = /^(\d{12}|\*)$/;
const MAX_POLICY_BYTES = 10_240;

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A whole Policy parameter, checked for the shape a resource policy has. */
export function parsePolicy(text: string): BusPolicy {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    throw new ServiceError('PolicyLengthExceededException', 'Event bus policy exceeds the maximum allowed size.', { messageMember: 'message' });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw validation('Parameter Policy is not valid. Reason: The policy is not a valid JSON document.');
  }
  const statements = typeof doc === 'object' && doc !== null ? list((doc as Record<string, unknown>).Statement) : [];
  if (statements.length === 0) throw validation('Parameter Policy is not valid. Reason: The policy has no Statement.');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw validation('Parameter Policy is not valid. Reason: A Statement must be an object.');
    const effect = (s as Record<string, unknown>).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') throw validation('Parameter Policy is not valid. Reason: Effect must be Allow or Deny.');
  }
  const version = (doc as Record<string, unknown>).Version;
  return { Version: typeof version === 'string' ? version : '2012-10-17', Statement: statements as PolicyStatement[] };
}

export interface PermissionInput {
  readonly Action?: string | undefined;
  readonly Principal?: string | undefined;
  readonly StatementId?: string | undefined;
  readonly Condition?: { readonly Type?: string | undefined; readonly Key?: string | undefined; readonly Value?: string | undefined } | undefined;
}

/** The statement PutPermission adds, as AWS writes it in the bus policy. */
export function permissionStatement(input: PermissionInput, busArn: string): PolicyStatement {
  const { Action, Principal, StatementId, Condition } = input;
  if (Action === undefined || Action === null) throw missing('action');
  if (Principal === undefined || Principal === null) throw missing('principal');
  if (StatementId === undefined || StatementId === null) throw missing('statementId');
  if (StatementId.length < 1 || StatementId.length > 64) throw constraint(StatementId, 'statementId', 'Member must have length less than or equal to 64');
  if (!STATEMENT_ID.test(StatementId)) throw constraint(StatementId, 'statementId', 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+');
  if (!PRINCIPAL.test(Principal)) throw constraint(Principal, 'principal', 'Member must satisfy regular expression pattern: (\\d{12}|\\*)');
  if (Action !== 'events:PutEvents') {
    throw constraint(Action, 'action', 'Member must satisfy regular expression pattern: events:[a-zA-Z]+');
  }
  let condition: Record<string, Record<string, string>> | undefined;
  if (Condition) {
    if (Condition.Type === undefined || Condition.Type === null) throw missing('condition.type');
    if (Condition.Key === undefined || Condition.Key === null) throw missing('condition.key');
    if (Condition.Value === undefined || Condition.Value === null) throw missing('condition.value');
    if (Condition.Type !== 'StringEquals') throw validation('Parameter Condition.Type is not valid. Reason: Only StringEquals is supported.');
    if (Condition.Key !== 'aws:PrincipalOrgID') throw validation('Parameter Condition.Key is not valid. Reason: Only aws:PrincipalOrgID is supported.');
    condition = { [Condition.Type]: { [Condition.Key]: Condition.Value } };
  }
  return {
    Sid: StatementId,
    Effect: 'Allow',
    Principal: Principal === '*' ? '*' : { AWS: `arn:aws:iam::${Principal}:root` },
    Action,
    Resource: busArn,
    ...(condition ? { Condition: condition } : {}),
  };
}

/** IAM's wildcard match (`*` any run, `?` one character), case-sensitive unless told. */
function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function principalMatches(principal: unknown, account: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  for (const p of list((principal as Record<string, unknown>).AWS)) {
    if (p === '*' || p === account) return true;
    // Any IAM principal of the account (its root, a role a rule target assumes, ...) speaks for it.
    if (typeof p === 'string' && p.startsWith(`arn:aws:iam::${account}:`)) return true;
  }
  return false;
}

/**
 * Conditions: only keys we can know hold. Switchyard has no AWS Organizations, so a statement that needs an
 * organization id or another unknown key does not apply.
 */
function conditionHolds(condition: unknown, account: string): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [operator, tests] of Object.entries(condition as Record<string, unknown>)) {
    if (typeof tests !== 'object' || tests === null) return false;
    for (const [key, expected] of Object.entries(tests as Record<string, unknown>)) {
      const actual = key.toLowerCase() === 'aws:principalaccount' || key.toLowerCase() === 'aws:sourceaccount' ? account : undefined;
      if (actual === undefined) return false;
      const values = list(expected).filter((v): v is string => typeof v === 'string');
      const ok =
        operator === 'StringEquals' ? values.includes(actual)
        : operator === 'StringLike' ? values.some((v) => globMatch(v, actual))
        : operator === 'StringNotEquals' ? !values.includes(actual)
        : false;
      if (!ok) return false;
    }
  }
  return true;
}

function statementApplies(s: PolicyStatement, account: string, action: string, resource: string): boolean {
  if (!principalMatches(s.Principal, account)) return false;
  if (!list(s.Action).some((a) => typeof a === 'string' && globMatch(a, action, true))) return false;
  const resources = list(s.Resource);
  if (resources.length > 0 && !resources.some((r) => typeof r === 'string' && globMatch(r, resource))) return false;
  return conditionHolds(s.Condition, account);
}

/** Whether the policy lets `account` perform `action` (events:PutEvents) on the bus. */
export function policyAllows(policy: BusPolicy | undefined, account: string, action: string, busArn: string): boolean {
  if (!policy) return false;
  let allowed = false;
  for (const s of policy.Statement) {
    if (!statementApplies(s, account, action, busArn)) continue;
    if (s.Effect === 'Deny') return false;
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

export function accessDenied(account: string, busArn: string): ServiceError {
  return new ServiceError(
    'AccessDeniedException',
    `User: arn:aws:iam::${account}:root is not authorized to perform: events:PutEvents on resource: ${busArn} ` +
      `because no resource-based policy allows the events:PutEvents action`,
  );
}
