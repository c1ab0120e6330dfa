// The programmatic API: start a Switchyard inside a test suite.
import type { SwitchyardOptions } from './core/config.js';
import { Switchyard } from './server/switchyard.js';

export { FakeClock, SystemClock, type Clock } from './core/clock.js';
export type { SwitchyardOptions } from './core/config.js';
export { Switchyard } from './server/switchyard.js';

export interface RunningSwitchyard {
  /** `http://127.0.0.1:PORT`: point clients' endpoint here. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the server and all background work. */
  stop(): Promise<void>;
  /** Clears the state of every service. */
  reset(): void;
  /** The instance, for tests that reach inside. */
  readonly instance: Switchyard;
}

export async function startSwitchyard(options: SwitchyardOptions = {}): Promise<RunningSwitchyard> {
  const sy = new Switchyard(options);
  await sy.start();
  return {
    endpoint: sy.endpoint,
    port: sy.port,
    stop: () => sy.stop(),
    reset: () => sy.reset(),
    instance: sy,
  };
}
