// The harness must fail on a broken codec: each mutant below breaks one rule, and the differential check must notice.
import * as sfn from '@aws-sdk/client-sfn';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceError } from '../../core/errors.js';
import { model } from '../../models/stepfunctions.js';
import type { OperationModel, ServiceModel } from '../../models/types.js';
import { AwsJsonCodec } from '../aws-json.js';
import type { Codec, DecodedRequest } from '../codec.js';
import type { HttpRequest, HttpResponse } from '../http.js';
import { shapeArbitrary } from './arbitraries.js';
import { Differential } from './differential.js';
import { normalise } from './normalise.js';

const real = new AwsJsonCodec('1.0');

/** A codec that behaves like the real one except where `change` says. */
function mutant(change: Partial<Codec>): Codec {
  return {
    decode: (req: HttpRequest, m: ServiceModel): DecodedRequest => real.decode(req, m),
    operationName: (req: HttpRequest) => real.operationName(req),
    encodeOutput: (m: ServiceModel, op: OperationModel, out: unknown, id: string): HttpResponse =>
      real.encodeOutput(m, op, out, id),
    encodeError: (m: ServiceModel, e: ServiceError, id: string): HttpResponse => real.encodeError(m, e, id),
    ...change,
  };
}

function diff(codec: Codec): Differential {
  return new Differential({ model, codec, client: sfn.SFNClient });
}

describe('the differential harness', () => {
  const clients: Differential[] = [];
  const make = (codec: Codec) => {
    const d = diff(codec);
    clients.push(d);
    return d;
  };
  afterAll(() => clients.forEach((d) => d.destroy()));

  it('passes the real codec', async () => {
    const d = make(real);
    await d.checkRequest(sfn.StartExecutionCommand, 'StartExecution', { stateMachineArn: 'arn', input: '{"a":1}' });
    await d.checkResponse(sfn.DescribeExecutionCommand, 'DescribeExecution', {
      executionArn: 'arn',
      startDate: new Date(1700000000123),
    });
  });

  it('catches a decoder that loses a member', async () => {
    const d = make(
      mutant({
        decode: (req, m) => {
          const r = real.decode(req, m);
          delete r.input.traceHeader;
          return r;
        },
      }),
    );
    await expect(
      d.checkRequest(sfn.StartExecutionCommand, 'StartExecution', { stateMachineArn: 'arn', traceHeader: 'Root=1' }),
    ).rejects.toThrow();
  });

  it('catches an encoder that drops milliseconds', async () => {
    const d = make(
      mutant({
        encodeOutput: (m, op, out, id) => {
          const o = out as { startDate?: Date };
          const truncated = o.startDate ? { ...o, startDate: new Date(Math.floor(o.startDate.getTime() / 1000) * 1000) } : o;
          return real.encodeOutput(m, op, truncated, id);
        },
      }),
    );
    await expect(
      d.checkResponse(sfn.DescribeExecutionCommand, 'DescribeExecution', { startDate: new Date(1700000000123) }),
    ).rejects.toThrow();
  });

  it('catches an error with the wrong status or name', async () => {
    const wrongStatus = make(mutant({ encodeError: (m, e, id) => ({ ...real.encodeError(m, e, id), status: 500 }) }));
    await expect(
      wrongStatus.checkError(sfn.DescribeExecutionCommand, 'DescribeExecution', { code: 'ExecutionDoesNotExist', message: 'm' }),
    ).rejects.toThrow();
    const wrongName = make(
      mutant({ encodeError: (m, e, id) => real.encodeError(m, Object.assign(e, { code: 'InvalidArn' }), id) }),
    );
    await expect(
      wrongName.checkError(sfn.DescribeExecutionCommand, 'DescribeExecution', { code: 'ExecutionDoesNotExist', message: 'm' }),
    ).rejects.toThrow();
  });

  it('generates every member of a structure somewhere in a run, and nothing outside the model', () => {
    const shapeName = 'DescribeExecutionOutput';
    const shape = model.shapes[shapeName];
    if (shape?.type !== 'structure') throw new Error('not a structure');
    const seen = new Set<string>();
    for (const v of fc.sample(shapeArbitrary(model, shapeName), { numRuns: 200, seed: 42 })) {
      for (const k of Object.keys(v)) seen.add(k);
      expect(normalise(model, shapeName, v)).toEqual(v);
    }
    expect([...seen].sort()).toEqual(Object.keys(shape.members).sort());
  });
});
