/**
 * The child process `loadFromChild` forks: it takes one `LoadSpec` over IPC, runs it, sends the
 * result back and exits.
 */
import { type LoadSpec, runLoad } from './load-generator.ts';

process.once('message', (spec) => {
  runLoad(spec as LoadSpec).then(
    (result) => process.send?.(result, () => process.disconnect()),
    (error: unknown) => {
      process.stderr.write(`[bench] load generator: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
});
