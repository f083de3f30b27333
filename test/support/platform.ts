/**
 * The embedded platform as tests and benchmarks start it: free ports everywhere (so runs never
 * collide), the default admin, quiet logs; optionally with Chromium launched alongside.
 */
import { DEFAULT_ADMIN } from '../../local/defaults.ts';
import { type Platform, type PlatformOptions, startPlatform } from '../../local/platform.ts';
import { launchPlayerBrowser, type PlayerBrowser } from './browser.ts';

/** Options for a platform in `dataDir` on free ports, with the default admin and no logging. */
export function onFreePorts(dataDir: string, overrides: PlatformOptions = {}): PlatformOptions {
  return {
    dataDir,
    gatewayPort: 0,
    mediaPort: 0,
    s3Port: 0,
    dynamoPort: 0,
    edgePorts: [0, 0],
    admin: { ...DEFAULT_ADMIN },
    log: () => undefined,
    ...overrides,
  };
}

/**
 * Starts the platform and Chromium at once (each takes seconds). If either fails, the other is
 * stopped before the error is thrown, so callers only clean up what they were given.
 */
export async function startPlatformAndBrowser(
  dataDir: string,
): Promise<{ platform: Platform; player: PlayerBrowser }> {
  const [started, launched] = await Promise.allSettled([
    startPlatform(onFreePorts(dataDir)),
    launchPlayerBrowser(),
  ]);
  if (started.status === 'fulfilled' && launched.status === 'fulfilled') {
    return { platform: started.value, player: launched.value };
  }
  if (started.status === 'fulfilled') await started.value.stop();
  if (launched.status === 'fulfilled') await launched.value.close();
  throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
}
