// API keys and usage plans of one account and region, and their enforcement at invoke time: a method that requires
// a key accepts an enabled key of a usage plan that covers the API's stage; the plan's throttle is a token bucket
// (rateLimit per second, burstLimit deep) and its quota a count per UTC day, week or month, all on the clock.
import type { ApiKey, UsagePlan } from '@aws-sdk/client-api-gateway';

export interface PlanRecord {
  plan: UsagePlan & { id: string };
  /** API key ids of the plan. */
  readonly keys: Set<string>;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface QuotaCount {
  window: number;
  used: number;
}

export type UsageVerdict =
  | { readonly ok: true; readonly key: ApiKey }
  | { readonly ok: false; readonly reason: 'forbidden' | 'throttled' | 'quota' };

const DAY = 86_400_000;

/** Start of the quota period that contains `now` (UTC; weeks start on Monday). */
export function periodStart(period: string | undefined, now: number): number {
  const d = new Date(now);
  if (period === 'MONTH') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'WEEK') return day - ((d.getUTCDay() + 6) % 7) * DAY;
  return day;
}

export class UsageStore {
  readonly keys = new Map<string, ApiKey & { id: string; value: string }>();
  readonly plans = new Map<string, PlanRecord>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly quotas = new Map<string, QuotaCount>();

  keyByValue(value: string): (ApiKey & { id: string; value: string }) | undefined {
    for (const k of this.keys.values()) if (k.value === value) return k;
    return undefined;
  }

  /** Whether the request's key may call this stage, and within its plan's throttle and quota. */
  admit(value: string | undefined, apiId: string, stage: string, now: number): UsageVerdict {
    const key = value === undefined ? undefined : this.keyByValue(value);
    if (!key?.enabled) return { ok: false, reason: 'forbidden' };
    const record = [...this.plans.values()].find(
      (p) => p.keys.has(key.id) && (p.plan.apiStages ?? []).some((s) => s.apiId === apiId && s.stage === stage),
    );
    if (!record) return { ok: false, reason: 'forbidden' };
    const slot = `${record.plan.id}/${key.id}`;
    const throttle = record.plan.throttle;
    if (throttle?.rateLimit !== undefined || throttle?.burstLimit !== undefined) {
      const rate = throttle.rateLimit ?? 0;
      const burst = Math.max(throttle.burstLimit ?? 0, rate > 0 ? 1 : 0);
      const b = this.buckets.get(slot) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
      this.buckets.set(slot, b);
      if (b.tokens < 1) return { ok: false, reason: 'throttled' };
      b.tokens -= 1;
    }
    const quota = record.plan.quota;
    if (quota?.limit !== undefined) {
      const window = periodStart(quota.period, now);
      const q = this.quotas.get(slot);
      const count = q && q.window === window ? q : { window, used: 0 };
      if (count.used >= quota.limit) return { ok: false, reason: 'quota' };
      count.used++;
      this.quotas.set(slot, count);
    }
    return { ok: true, key };
  }

  /** Forgets a plan's or key's counters (deleted, or the key left the plan). */
  forget(planId: string, keyId?: string): void {
    for (const map of [this.buckets, this.quotas] as Map<string, unknown>[]) {
      for (const slot of [...map.keys()]) if (slot.startsWith(`${planId}/`) && (!keyId || slot === `${planId}/${keyId}`)) map.delete(slot);
    }
  }
}
