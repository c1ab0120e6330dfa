// EventBridge operations. First slice: TestEventPattern, on the shared pattern engine in ./pattern/.
import type { TestEventPatternRequest, TestEventPatternResponse } from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { compilePattern, PatternError, type EventPattern } from './pattern/index.js';

/** The API's length limit on EventPattern. */
const MAX_PATTERN_LENGTH = 4096;

/**
 * The fields an event given to TestEventPattern must have. The API reference also lists `resources`, but AWS
 * accepts events without it, and clients rely on that.
 */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

const validation = (message: string): ServiceError => new ServiceError('ValidationException', message);
const missing = (member: string): ServiceError =>
  validation(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
const eventNotValid = (): ServiceError => validation('Parameter Event is not valid.');

/** InvalidEventPatternException with AWS's wording, for every operation that takes a pattern. */
export function parseEventPattern(text: string): EventPattern {
  try {
    return compilePattern(text);
  } catch (e) {
    if (e instanceof PatternError) {
      throw new ServiceError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${e.message}`, {
        messageMember: 'message',
      });
    }
    throw e;
  }
}

function checkPatternParameter(value: string | undefined, member: string): string {
  if (value === undefined || value === null) {
    throw missing(member);
  }
  if (value.length > MAX_PATTERN_LENGTH) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`,
    );
  }
  return value;
}

function parseTestEvent(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text === null) {
    throw missing('event');
  }
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw eventNotValid();
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw eventNotValid();
  const record = event as Record<string, unknown>;
  for (const field of REQUIRED_EVENT_FIELDS) {
    if (!Object.hasOwn(record, field)) throw eventNotValid();
  }
  return record;
}

export function createEventBridgeProvider(_host: ServiceHost): ServiceProvider {
  return {
    name: 'eventbridge',
    reset: () => undefined,
    stop: () => undefined,
    operations: {
      TestEventPattern: (_ctx: RequestContext, input: TestEventPatternRequest): TestEventPatternResponse => {
        const patternText = checkPatternParameter(input.EventPattern, 'eventPattern');
        const event = parseTestEvent(input.Event);
        const pattern = parseEventPattern(patternText);
        return { Result: pattern.matches(event) };
      },
    },
  };
}
