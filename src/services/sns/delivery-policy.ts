// HTTP/S delivery policies (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html): their
// checks, and what a subscription's deliveries follow: the retry policy, the request's Content-Type and the throttle.
// A topic's policy is `{ "http": { defaultHealthyRetryPolicy, disableSubscriptionOverrides, defaultThrottlePolicy,
// defaultRequestPolicy } }`; a subscription's is `{ healthyRetryPolicy, throttlePolicy, requestPolicy }`.
import { SnsErrors } from './errors.js';

/** A healthyRetryPolicy with every field filled in. */
export interface HttpRetryPolicy {
  readonly minDelayTarget: number;
  readonly maxDelayTarget: number;
  readonly numRetries: number;
  readonly numNoDelayRetries: number;
  readonly numMinDelayRetries: number;
  readonly numMaxDelayRetries: number;
  readonly backoffFunction: string;
}

export const DEFAULT_HTTP_RETRY: HttpRetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  backoffFunction: 'linear',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

/** What deliveries to one HTTP/S subscription follow. */
export interface HttpDeliveryPolicy {
  readonly retry: HttpRetryPolicy;
  readonly contentType: string;
  /** Deliveries per second at most; undefined is no throttle. */
  readonly maxReceivesPerSecond: number | undefined;
}

const BACKOFF_FUNCTIONS = new Set(['linear', 'arithmetic', 'geometric', 'exponential']);
/** The total time an HTTP/S policy may retry for: a hard limit. */
const MAX_TOTAL_SECONDS = 3_600;
const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;

type Json = Record<string, unknown>;

function fail(reason: string): never {
  throw SnsErrors.invalidParameter(`DeliveryPolicy: ${reason}`);
}

function objectAt(parent: Json, key: string, path: string): Json | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) fail(`${path}${key} must be a JSON object`);
  return v as Json;
}

function intAt(o: Json, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(`${path}${key} must be an integer`);
  return v;
}

/** Checks a healthyRetryPolicy and answers it with the defaults filled in. */
function checkRetry(o: Json, path: string): HttpRetryPolicy {
  for (const k of Object.keys(o)) {
    if (!(k in DEFAULT_HTTP_RETRY)) fail(`${path}${k} is not a valid retry policy field`);
  }
  const field = (k: keyof HttpRetryPolicy): number => intAt(o, k, path) ?? (DEFAULT_HTTP_RETRY[k] as number);
  const backoff = o.backoffFunction ?? DEFAULT_HTTP_RETRY.backoffFunction;
  if (typeof backoff !== 'string' || !BACKOFF_FUNCTIONS.has(backoff.toLowerCase())) {
    fail(`${path}backoffFunction must be one of linear, arithmetic, geometric, exponential`);
  }
  const p: HttpRetryPolicy = {
    minDelayTarget: field('minDelayTarget'),
    maxDelayTarget: field('maxDelayTarget'),
    numRetries: field('numRetries'),
    numNoDelayRetries: field('numNoDelayRetries'),
    numMinDelayRetries: field('numMinDelayRetries'),
    numMaxDelayRetries: field('numMaxDelayRetries'),
    backoffFunction: backoff.toLowerCase(),
  };
  if (p.numRetries < 0 || p.numRetries > 100) fail(`${path}numRetries must be between 0 and 100`);
  if (p.minDelayTarget < 1 || p.minDelayTarget > MAX_TOTAL_SECONDS) {
    fail(`${path}minDelayTarget must be between 1 and ${MAX_TOTAL_SECONDS}`);
  }
  if (p.maxDelayTarget < 1 || p.maxDelayTarget > MAX_TOTAL_SECONDS) {
    fail(`${path}maxDelayTarget must be between 1 and ${MAX_TOTAL_SECONDS}`);
  }
  if (p.minDelayTarget > p.maxDelayTarget) fail(`${path}minDelayTarget must be less than or equal to maxDelayTarget`);
  for (const k of ['numNoDelayRetries', 'numMinDelayRetries', 'numMaxDelayRetries'] as const) {
    if (p[k] < 0) fail(`${path}${k} must be greater than or equal to 0`);
  }
  if (p.numNoDelayRetries + p.numMinDelayRetries + p.numMaxDelayRetries > p.numRetries) {
    fail(`${path}numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must be less than or equal to numRetries`);
  }
  const delay = httpRetryDelay(p);
  let total = 0;
  for (let r = 0; r < p.numRetries; r++) total += delay(r) ?? 0;
  if (total > MAX_TOTAL_SECONDS * 1000) {
    fail(`${path.slice(0, -1)} total retry time must be at most ${MAX_TOTAL_SECONDS} seconds`);
  }
  return p;
}

function checkThrottle(o: Json, path: string): number | undefined {
  for (const k of Object.keys(o)) if (k !== 'maxReceivesPerSecond') fail(`${path}${k} is not a valid throttle policy field`);
  const rate = intAt(o, 'maxReceivesPerSecond', path);
  if (rate !== undefined && rate < 1) fail(`${path}maxReceivesPerSecond must be greater than or equal to 1`);
  return rate;
}

function checkRequest(o: Json, path: string): string | undefined {
  for (const k of Object.keys(o)) if (k !== 'headerContentType') fail(`${path}${k} is not a valid request policy field`);
  const v = o.headerContentType;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !MEDIA_TYPE.test(v)) fail(`${path}headerContentType must be a valid content type`);
  return v;
}

function parse(text: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw SnsErrors.invalidParameter('DeliveryPolicy: failed to parse JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail('must be a JSON object');
  return parsed as Json;
}

interface Parsed {
  readonly retry: HttpRetryPolicy | undefined;
  readonly throttle: number | undefined;
  readonly contentType: string | undefined;
  readonly disableSubscriptionOverrides: boolean;
}

/** A subscription's DeliveryPolicy, checked; throws InvalidParameter with the first problem. */
export function parseSubscriptionDeliveryPolicy(text: string): Parsed {
  const o = parse(text);
  const known = new Set(['healthyRetryPolicy', 'sicklyRetryPolicy', 'throttlePolicy', 'requestPolicy', 'guaranteed']);
  for (const k of Object.keys(o)) if (!known.has(k)) fail(`${k} is not a valid delivery policy field`);
  const retry = objectAt(o, 'healthyRetryPolicy', '');
  const throttle = objectAt(o, 'throttlePolicy', '');
  const request = objectAt(o, 'requestPolicy', '');
  return {
    retry: retry ? checkRetry(retry, 'healthyRetryPolicy.') : undefined,
    throttle: throttle ? checkThrottle(throttle, 'throttlePolicy.') : undefined,
    contentType: request ? checkRequest(request, 'requestPolicy.') : undefined,
    disableSubscriptionOverrides: false,
  };
}

/** A topic's DeliveryPolicy, checked; only its `http` section governs deliveries (to http and https endpoints). */
export function parseTopicDeliveryPolicy(text: string): Parsed {
  const o = parse(text);
  const http = objectAt(o, 'http', '');
  if (!http) return { retry: undefined, throttle: undefined, contentType: undefined, disableSubscriptionOverrides: false };
  const known = new Set(['defaultHealthyRetryPolicy', 'defaultSicklyRetryPolicy', 'disableSubscriptionOverrides', 'defaultThrottlePolicy', 'defaultRequestPolicy']);
  for (const k of Object.keys(http)) if (!known.has(k)) fail(`http.${k} is not a valid delivery policy field`);
  const retry = objectAt(http, 'defaultHealthyRetryPolicy', 'http.');
  const throttle = objectAt(http, 'defaultThrottlePolicy', 'http.');
  const request = objectAt(http, 'defaultRequestPolicy', 'http.');
  const disable = http.disableSubscriptionOverrides;
  if (disable !== undefined && disable !== null && typeof disable !== 'boolean') {
    fail('http.disableSubscriptionOverrides must be a boolean');
  }
  return {
    retry: retry ? checkRetry(retry, 'http.defaultHealthyRetryPolicy.') : undefined,
    throttle: throttle ? checkThrottle(throttle, 'http.defaultThrottlePolicy.') : undefined,
    contentType: request ? checkRequest(request, 'http.defaultRequestPolicy.') : undefined,
    disableSubscriptionOverrides: disable === true,
  };
}

/** Policies were checked when set; a stored one that no longer parses counts as absent. */
function quietly(parse: (text: string) => Parsed, text: string | undefined): Parsed | undefined {
  if (!text) return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What an HTTP/S subscription's deliveries follow: each part from the subscription's own policy, else the topic's
 * `http` defaults (the topic's alone when it sets disableSubscriptionOverrides), else AWS's defaults.
 */
export function effectiveHttpPolicy(subscriptionPolicy: string | undefined, topicPolicy: string | undefined): HttpDeliveryPolicy {
  const topic = quietly(parseTopicDeliveryPolicy, topicPolicy);
  const own = topic?.disableSubscriptionOverrides ? undefined : quietly(parseSubscriptionDeliveryPolicy, subscriptionPolicy);
  return {
    retry: own?.retry ?? topic?.retry ?? DEFAULT_HTTP_RETRY,
    contentType: own?.contentType ?? topic?.contentType ?? DEFAULT_CONTENT_TYPE,
    maxReceivesPerSecond: own?.throttle ?? topic?.throttle,
  };
}

/** The delay before each retry under an HTTP/S policy: no-delay, min-delay, backoff, then max-delay phases. */
export function httpRetryDelay(p: HttpRetryPolicy): (retry: number) => number | undefined {
  return (retry) => {
    if (retry >= p.numRetries) return undefined;
    if (retry < p.numNoDelayRetries) return 0;
    if (retry < p.numNoDelayRetries + p.numMinDelayRetries) return p.minDelayTarget * 1000;
    const backoffRetries = p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries;
    const i = retry - p.numNoDelayRetries - p.numMinDelayRetries;
    if (i >= backoffRetries || backoffRetries <= 1) return p.maxDelayTarget * 1000;
    const f = i / (backoffRetries - 1);
    const span = p.maxDelayTarget - p.minDelayTarget;
    const weight =
      p.backoffFunction === 'arithmetic' ? f * f : p.backoffFunction === 'geometric' ? Math.sqrt(f) : p.backoffFunction === 'exponential' ? (2 ** (f * 4) - 1) / 15 : f;
    return Math.round((p.minDelayTarget + span * weight) * 1000);
  };
}
