// Calls a Lambda function for an integration or an authorizer, bounded by the integration timeout on the injected
// clock: the request answers when the timeout passes even if the function is still running.
import type { ServiceHost } from '../../../core/provider.js';
import type { LambdaInternal } from '../../lambda/provider.js';

export type LambdaOutcome =
  | { readonly kind: 'ok'; readonly payload: Buffer }
  | { readonly kind: 'error'; readonly reason: string }
  | { readonly kind: 'timeout' };

export async function invokeLambda(host: ServiceHost, functionArn: string, event: unknown, timeoutMs: number): Promise<LambdaOutcome> {
  const lambda = (await host.provider('lambda'))?.internal as LambdaInternal | undefined;
  if (!lambda) return { kind: 'error', reason: 'Lambda is not available' };
  const abort = new AbortController();
  const timeout = host.clock.sleep(timeoutMs, abort.signal).then(
    (): LambdaOutcome => ({ kind: 'timeout' }),
    (): LambdaOutcome => ({ kind: 'timeout' }),
  );
  const call = lambda.invoke(functionArn, JSON.stringify(event)).then(
    (r): LambdaOutcome => (r.functionError ? { kind: 'error', reason: `function error ${r.functionError}: ${r.payload.toString('utf8').slice(0, 500)}` } : { kind: 'ok', payload: r.payload }),
    (err: unknown): LambdaOutcome => ({ kind: 'error', reason: err instanceof Error ? err.message : String(err) }),
  );
  try {
    return await Promise.race([call, timeout]);
  } finally {
    abort.abort(new Error('settled'));
  }
}
