// Stage and route throttling of HTTP APIs: a token bucket per stage and route (burst = capacity, rate = tokens per
// second), refilled on the injected clock.
import type { Stage } from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../../core/clock.js';

interface Bucket {
  tokens: number;
  at: number;
  readonly burst: number;
  readonly rate: number;
}

export class Throttle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Whether the request may go on; false means 429 Too Many Requests. */
  admit(apiId: string, stage: Stage, routeKey: string): boolean {
    const route = stage.RouteSettings?.[routeKey];
    const burst = route?.ThrottlingBurstLimit ?? stage.DefaultRouteSettings?.ThrottlingBurstLimit;
    const rate = route?.ThrottlingRateLimit ?? stage.DefaultRouteSettings?.ThrottlingRateLimit;
    if (burst === undefined && rate === undefined) return true;
    const b = Math.max(0, burst ?? 5000);
    const r = Math.max(0, rate ?? 10000);
    const key = `${apiId}/${stage.StageName}/${routeKey}`;
    const now = this.clock.now();
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.burst !== b || bucket.rate !== r) {
      bucket = { tokens: b, at: now, burst: b, rate: r };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.at) / 1000) * bucket.rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  clear(): void {
    this.buckets.clear();
  }
}
