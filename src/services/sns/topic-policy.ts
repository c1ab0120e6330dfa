// The topic's resource policy, for callers from another account: an Allow statement must name their account (or
// `*`) and the action, and no Deny may; conditions on the source owner or account are checked, others pass.
// The topic owner's own account is always allowed, as IAM identity policies are not modelled.
import { SnsErrors } from './errors.js';

interface Statement {
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Condition?: unknown;
}

/**
 * Throws AuthorizationError unless the policy lets `account` perform `action` (`SNS:Publish`) on the topic; the
 * policy text is only made (the default one is built) for callers from other accounts.
 */
export function authorize(policy: () => string, topicArn: string, owner: string, account: string, action: string): void {
  if (account === owner) return;
  let statements: Statement[] = [];
  try {
    const doc = JSON.parse(policy()) as { Statement?: unknown };
    const s = doc.Statement;
    statements = (Array.isArray(s) ? s : s ? [s] : []) as Statement[];
  } catch {
    statements = [];
  }
  const applies = (st: Statement): boolean =>
    principalMatches(st.Principal, account) && actionMatches(st.Action, action) && conditionHolds(st.Condition, account);
  const allowed = statements.some((st) => st.Effect === 'Allow' && applies(st));
  const denied = statements.some((st) => st.Effect === 'Deny' && applies(st));
  if (!allowed || denied) {
    throw SnsErrors.authorization(
      `User: arn:aws:iam::${account}:root is not authorized to perform: ${action} on resource: ${topicArn} because ${denied ? 'an explicit deny' : 'no resource-based policy allows the ' + action + ' action'}`,
    );
  }
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function principalMatches(principal: unknown, account: string): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  return list((principal as Record<string, unknown>).AWS).some(
    (p) => p === '*' || p === account || p === `arn:aws:iam::${account}:root`,
  );
}

function actionMatches(actions: unknown, action: string): boolean {
  const wanted = action.toLowerCase();
  return list(actions).some((a) => {
    if (typeof a !== 'string') return false;
    const x = a.toLowerCase();
    return x === '*' || x === 'sns:*' || x === wanted;
  });
}

const ACCOUNT_KEYS = new Set(['aws:sourceowner', 'aws:sourceaccount', 'aws:principalaccount']);

function conditionHolds(condition: unknown, account: string): boolean {
  if (condition === null || typeof condition !== 'object') return true;
  for (const [op, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object') continue;
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      if (!ACCOUNT_KEYS.has(key.toLowerCase())) continue;
      const values = list(value).map(String);
      const equal = values.includes(account);
      if ((op === 'StringEquals' || op === 'StringLike') && !equal) return false;
      if ((op === 'StringNotEquals' || op === 'StringNotLike') && equal) return false;
    }
  }
  return true;
}
