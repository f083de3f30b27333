import { defineConfig } from 'vitest/config';

/**
 * Four projects, one `npm test`: unit (pure, milliseconds), infra (CDK synth + cdk-nag),
 * integration (real DynamoDB Local, s3rver and ffmpeg) and e2e (the embedded platform's HLS
 * played by hls.js in headless Chromium). `forks` because CDK synth and the emulators hold
 * process-wide state.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // s3rver (in the integration tests) needs OpenSSL's legacy provider on Node >= 17.
    execArgv: ['--openssl-legacy-provider'],
    // Handlers under test would print an EMF line per invocation; the metrics test turns it back on.
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Real-time playback in Chromium after a real encode, on machines that may be busy.
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
