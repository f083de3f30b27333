/**
 * The embedded platform as the benches start it: in a data directory of their own, on free
 * ports, with the administrator from the environment (`adminFromEnv`), its log lines passed to
 * the bench's progress log. Started before anything is timed; how long it took is printed.
 */
import { adminFromEnv } from '#local/defaults.ts';
import { type Platform, startPlatform } from '#local/platform.ts';
import { onFreePorts } from '../../test/support/platform.ts';

export async function startBenchPlatform(
  dataDir: string,
  log: (message: string) => void,
): Promise<{ platform: Platform; startSec: number }> {
  const startedAt = performance.now();
  const platform = await startPlatform(
    onFreePorts(dataDir, { admin: adminFromEnv(), log: (message) => log(`platform: ${message}`) }),
  );
  return { platform, startSec: Math.round(performance.now() - startedAt) / 1000 };
}
