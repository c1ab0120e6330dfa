// The REST part of the differential harness, shared by the restJson1 and restXml suites: labels must be present and
// non-empty for the SDK to build a path, an empty blob payload is no body at all, a statusCode member is the
// response status, and a 204 carries no payload.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ServiceModel } from '../../models/types.js';
import type { Codec } from '../codec.js';
import { structureOf } from '../rest-bindings.js';
import type { SdkClient, SdkClientClass, SdkCommandClass } from './differential.js';
import { toSdkResponse } from './differential.js';
import { normalise } from './normalise.js';

/** Values for every label of an input: non-empty (an empty segment is no path), of the label's type. */
export function labelArbitrary(
  model: ServiceModel,
  inputShape: string,
  samples: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, m] of Object.entries(structureOf(model, inputShape).members)) {
    if (m.location !== 'label') continue;
    fields[name] =
      m.shape === 'number'
        ? fc.integer({ min: 0, max: 1_000_000 })
        : fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }), fc.constantFrom(...samples));
  }
  return fc.record(fields);
}

/** The least input the SDK accepts: a value for every label. */
export function labelInput(model: ServiceModel, inputShape: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!inputShape) return out;
  for (const [name, m] of Object.entries(structureOf(model, inputShape).members)) {
    if (m.location === 'label') out[name] = m.shape === 'number' ? 1 : 'x';
  }
  return out;
}

/** Our encodeOutput answers a real client; the SDK's result must equal the output we encoded. */
export class RestResponseDriver {
  private readonly client: SdkClient;
  private next: (() => ReturnType<Codec['encodeOutput']>) | undefined;

  constructor(
    private readonly model: ServiceModel,
    client: SdkClientClass,
    private readonly codec: Codec,
    private readonly requestId: string,
    /** What the protocol or the SDK changes in values on the way (XML folds blank text), applied to both sides. */
    private readonly fold: (value: unknown) => unknown = (v) => v,
  ) {
    this.client = new client({
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: {
        handle: async () => {
          if (!this.next) throw new Error('no response planned');
          return { response: toSdkResponse(this.next()) };
        },
      },
    } as never);
  }

  destroy(): void {
    this.client.destroy();
  }

  async check(command: SdkCommandClass, name: string, generated: Record<string, unknown>): Promise<void> {
    const op = this.model.operations[name];
    if (!op?.output || !op.http) throw new Error(`${name}: no output`);
    const shape = structureOf(this.model, op.output);
    const output = { ...generated };
    let status = op.http.code;
    for (const [member, m] of Object.entries(shape.members)) {
      const v = output[member];
      if (m.location === 'payload' && v instanceof Uint8Array && v.length === 0) delete output[member];
      if (m.location === 'statusCode') {
        status = typeof v === 'number' && Number.isFinite(v) ? ([200, 202, 204][Math.abs(Math.trunc(v)) % 3] as number) : status;
        output[member] = status;
      }
    }
    // A 204 has no body.
    if (status === 204) {
      for (const [member, m] of Object.entries(shape.members)) if (m.location === 'payload') delete output[member];
    }
    this.next = () => this.codec.encodeOutput(this.model, op, output, this.requestId);
    const result = (await this.client.send(new command(labelInput(this.model, op.input) as never) as never)) as Record<
      string,
      unknown
    >;
    const { $metadata, ...got } = result;
    expect(($metadata as { httpStatusCode?: number }).httpStatusCode).toBe(status);
    expect(($metadata as { requestId?: string }).requestId).toBe(this.requestId);
    expect(normalise(this.model, op.output, this.fold(got)) ?? {}).toEqual(
      normalise(this.model, op.output, this.fold(output)) ?? {},
    );
  }
}
