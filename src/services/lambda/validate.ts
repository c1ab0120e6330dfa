// Request validation at the edge of Lambda's operations, with AWS's constraints and messages.
import type { Environment } from '@aws-sdk/client-lambda';
import { invalidParameter, validation } from './errors.js';
import { DEPRECATED_RUNTIMES, SUPPORTED_RUNTIMES } from './runtimes.js';

const ROLE_PATTERN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const NAME_PATTERN = /^[a-zA-Z0-9-_]+$/;
const FUNCTION_ARN =
  /^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const NAME_WITH_QUALIFIER = /^([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/** Keys Lambda sets itself, which a function's Environment may not name. */
const RESERVED_KEYS = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

export interface FunctionRef {
  readonly name: string;
  readonly qualifier: string | undefined;
  /** From an ARN or partial ARN; undefined means the caller's. */
  readonly account: string | undefined;
  readonly region: string | undefined;
}

/** A FunctionName parameter: a name, `name:qualifier`, a full ARN or a partial ARN. */
export function parseFunctionRef(value: string | undefined, member = 'functionName'): FunctionRef {
  if (value === undefined || value === null || value === '') {
    throw validation(value, member, 'Member must not be null');
  }
  if (value.length > 256) {
    throw validation(value, member, 'Member must have length less than or equal to 256');
  }
  let m = FUNCTION_ARN.exec(value);
  if (m) return { name: m[4] ?? '', qualifier: m[5], account: m[3], region: m[2] };
  m = PARTIAL_ARN.exec(value);
  if (m) return { name: m[2] ?? '', qualifier: m[3], account: m[1], region: undefined };
  m = NAME_WITH_QUALIFIER.exec(value);
  if (m && (m[1] ?? '').length <= 64)
    return { name: m[1] ?? '', qualifier: m[2], account: undefined, region: undefined };
  throw validation(
    value,
    member,
    'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?' +
      '(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
  );
}

/** The qualifier named by both the function name and the Qualifier parameter must agree. */
export function qualifierOf(ref: FunctionRef, qualifier: string | undefined): string | undefined {
  if (qualifier !== undefined && qualifier !== null && qualifier !== '') {
    if (!/^(|[a-zA-Z0-9$_-]+)$/.test(qualifier) || qualifier.length > 128) {
      throw validation(qualifier, 'qualifier', 'Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)');
    }
    if (ref.qualifier !== undefined && ref.qualifier !== qualifier) {
      throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    }
    return qualifier;
  }
  return ref.qualifier;
}

export function checkNewName(name: string): void {
  if (!NAME_PATTERN.test(name) || name.length > 64) {
    throw validation(name, 'functionName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+');
  }
}

export function checkRole(role: string | undefined): string {
  if (role === undefined || role === null) throw validation(role, 'role', 'Member must not be null');
  if (!ROLE_PATTERN.test(role)) {
    throw validation(
      role,
      'role',
      'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+',
    );
  }
  return role;
}

export function checkRuntime(runtime: string | undefined): void {
  if (runtime === undefined) return;
  if (DEPRECATED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
        'We recommend you use a supported runtime while creating or updating functions.',
    );
  }
  if (!SUPPORTED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(
      `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ` +
        `[${SUPPORTED_RUNTIMES.join(', ')}] or be a valid ARN`,
    );
  }
}

export function checkHandler(handler: string | undefined): void {
  if (handler === undefined) return;
  if (handler.length > 128) {
    throw validation(handler, 'handler', 'Member must have length less than or equal to 128');
  }
  if (!/^[^\s]+$/.test(handler)) {
    throw validation(handler, 'handler', 'Member must satisfy regular expression pattern: [^\\s]+');
  }
}

export function checkTimeout(timeout: number | undefined): void {
  if (timeout === undefined) return;
  if (!Number.isInteger(timeout) || timeout < 1) {
    throw validation(timeout, 'timeout', 'Member must have value greater than or equal to 1');
  }
  if (timeout > 900) throw validation(timeout, 'timeout', 'Member must have value less than or equal to 900');
}

export function checkMemorySize(memory: number | undefined): void {
  if (memory === undefined) return;
  if (!Number.isInteger(memory) || memory < 128) {
    throw validation(memory, 'memorySize', 'Member must have value greater than or equal to 128');
  }
  if (memory > 10240) throw validation(memory, 'memorySize', 'Member must have value less than or equal to 10240');
}

export function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > 256) {
    throw validation(description, 'description', 'Member must have length less than or equal to 256');
  }
}

export function checkEnvironment(env: Environment | undefined): Record<string, string> | undefined {
  if (!env?.Variables) return env ? {} : undefined;
  const reserved = Object.keys(env.Variables).filter((k) => RESERVED_KEYS.has(k));
  if (reserved.length) {
    throw invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have ' +
        'provided contains reserved keys that are currently not supported for modification. Reserved keys used in ' +
        `this request: ${reserved.join(', ')}`,
    );
  }
  for (const key of Object.keys(env.Variables)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(key)) {
      throw validation(
        key,
        'environment.variables',
        'Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+',
      );
    }
  }
  const size = Buffer.byteLength(JSON.stringify(env.Variables));
  if (size > 4096) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(env.Variables)}`,
    );
  }
  return { ...env.Variables };
}
