// Starts Switchyard programmatically from the built dist/, for measurements that need to reach inside the server
// process: started with --expose-gc, it collects garbage on request and reports its memory over IPC.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { startSwitchyard as StartSwitchyard } from '../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;

const entry = pathToFileURL(join(process.cwd(), 'dist', 'index.js')).href;
const { startSwitchyard } = (await import(entry)) as { startSwitchyard: typeof StartSwitchyard };
const sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
process.send?.({ type: 'ready', port: sy.port });

process.on('message', (m: { type?: string }) => {
  if (m.type === 'memory') {
    // Several passes, so that weak references and finalizers settle.
    for (let i = 0; i < 3; i++) gc?.();
    const mem = process.memoryUsage();
    process.send?.({ type: 'memory', gc: gc !== undefined, rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external });
  }
});

const stop = (): void => {
  sy.stop().then(
    () => {
      if (process.connected) process.disconnect();
    },
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
// The parent went away without stopping us.
process.on('disconnect', stop);
