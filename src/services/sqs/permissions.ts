// Queue policies as AddPermission and RemovePermission edit them: one statement per label (its Sid).
import type { Queue } from './store.js';

export interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: Array<Record<string, unknown>>;
}

/** Reads, or starts, a queue's policy document (for AddPermission / RemovePermission). */
export function readPolicy(q: Queue): PolicyDocument {
  const fresh = { Version: '2012-10-17', Id: `${q.arn}/SQSDefaultPolicy`, Statement: [] as Array<Record<string, unknown>> };
  const text = q.settings.Policy;
  if (!text) return fresh;
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    const st = doc.Statement;
    const statements = Array.isArray(st) ? (st as Array<Record<string, unknown>>) : st && typeof st === 'object' ? [st as Record<string, unknown>] : [];
    return {
      Version: typeof doc.Version === 'string' ? doc.Version : fresh.Version,
      Id: typeof doc.Id === 'string' ? doc.Id : fresh.Id,
      Statement: statements,
    };
  } catch {
    return fresh;
  }
}

/** The statement AddPermission adds: the label as Sid, each account's root as principal, `SQS:` actions. */
export function permissionStatement(
  queueArn: string,
  label: string,
  accounts: readonly string[],
  actions: readonly string[],
): Record<string, unknown> {
  const principals = accounts.map((a) => `arn:aws:iam::${a}:root`);
  const actionNames = actions.map((a) => `SQS:${a}`);
  return {
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: actionNames.length === 1 ? actionNames[0] : actionNames,
    Resource: queueArn,
  };
}
