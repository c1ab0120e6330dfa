// The protocol cases every codec passes, as vitest tests: for each listed operation, generated inputs through the
// SDK into our decoder and generated outputs through our encoder into the SDK; for every error shape of the service,
// our error response into the SDK's exception.
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import type { MemberModel, StructureShape } from '../../models/types.js';
import type { ArbitraryOptions } from './arbitraries.js';
import { shapeArbitrary, stringArbitrary } from './arbitraries.js';
import type { CaughtError, Differential, SdkCommandClass } from './differential.js';

export interface OperationCase {
  readonly name: string;
  readonly command: SdkCommandClass;
  /** Arbitrary options for inputs (request direction). */
  readonly input?: ArbitraryOptions;
  /** Arbitrary options for outputs (response direction). */
  readonly output?: ArbitraryOptions;
  /** Input sent with each response-direction call (some clients' middleware needs members). */
  readonly callInput?: Record<string, unknown>;
}

export interface SuiteOptions {
  /** fast-check runs per operation and direction. */
  readonly runs: number;
  /** Defaults for every case's input and output arbitraries (`strings: 'xml'` for XML protocols). */
  readonly arbitraries?: ArbitraryOptions;
}

/** Registers request- and response-direction properties for each operation. */
export function describeOperations(
  title: string,
  d: Differential,
  cases: readonly OperationCase[],
  options: SuiteOptions,
): void {
  describe(title, () => {
    afterAll(() => d.destroy());
    for (const c of cases) {
      const op = d.model.operations[c.name];
      if (!op) throw new Error(`${d.model.name}: no operation ${c.name}`);
      if (op.input) {
        const arb = shapeArbitrary(d.model, op.input, { ...options.arbitraries, ...c.input });
        it(`${c.name}: the SDK's request decodes to its input`, async () => {
          await fc.assert(
            fc.asyncProperty(arb, (input) => d.checkRequest(c.command, c.name, input)),
            { numRuns: options.runs },
          );
        });
      }
      if (op.output) {
        const arb = shapeArbitrary(d.model, op.output, { ...options.arbitraries, ...c.output });
        it(`${c.name}: our response deserializes to its output`, async () => {
          await fc.assert(
            fc.asyncProperty(arb, (output) => d.checkResponse(c.command, c.name, output, c.callInput)),
            { numRuns: options.runs },
          );
        });
      }
    }
  });
}

export interface ErrorSuiteOptions {
  /** fast-check runs per error shape (messages and other members vary). */
  readonly runs: number;
  readonly arbitraries?: ArbitraryOptions;
  /** Protocol-specific checks of the caught exception (legacy query codes, for example). */
  readonly check?: (error: CaughtError, shape: StructureShape, code: string) => void;
}

/** Registers one property per error shape of the service, each sending `command` and expecting that exception. */
export function describeErrors(
  title: string,
  d: Differential,
  operation: { readonly name: string; readonly command: SdkCommandClass; readonly callInput?: Record<string, unknown> },
  options: ErrorSuiteOptions,
): void {
  describe(title, () => {
    for (const code of d.model.errors) {
      const shape = d.model.shapes[code] as StructureShape;
      const messageMember = shape.members.message ? 'message' : shape.members.Message ? 'Message' : undefined;
      const rest: Record<string, MemberModel> = {};
      for (const name in shape.members) if (name !== messageMember) rest[name] = shape.members[name] as MemberModel;
      // The error structure without its message member, as a model of its own for the arbitrary.
      const fieldsShape = { type: 'structure' as const, members: rest };
      const fieldsModel = { ...d.model, shapes: { ...d.model.shapes, [code]: fieldsShape } };
      const fields = Object.keys(rest).length
        ? shapeArbitrary(fieldsModel, code, { ...options.arbitraries })
        : fc.constant(undefined);
      // Blank messages are left out: the SDK reads a missing message as 'UnknownError' and blank XML text as ''.
      const message = stringArbitrary(options.arbitraries?.strings ?? 'unicode').filter((m) => m.trim() !== '');
      it(`${code}: our error is the SDK's exception`, async () => {
        await fc.assert(
          fc.asyncProperty(message, fields, async (msg, f) => {
            const e = await d.checkError(
              operation.command,
              operation.name,
              { code, message: msg, ...(f && Object.keys(f).length ? { fields: f } : {}) },
              operation.callInput,
            );
            options.check?.(e, shape, code);
          }),
          { numRuns: options.runs },
        );
      });
    }
  });
}
