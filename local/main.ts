/**
 * `npm start`: the whole platform on this machine. Prerequisites are checked by
 * scripts/setup.mjs (run before this as `prestart`).
 */
import { startPlatform } from './platform.ts';

const platform = await startPlatform({
  gatewayPort: Number(process.env.SHOWRUNNER_GATEWAY_PORT ?? 3000),
  mediaPort: Number(process.env.SHOWRUNNER_MEDIA_PORT ?? 8080),
});
const { info } = platform;
console.log(`
Showrunner is running (embedded local platform)

  API gateway     ${info.gatewayUrl}/v1/health
  Media origin    ${info.mediaBaseUrl}/media/…
  S3 (s3rver)     ${info.s3Endpoint}
  DynamoDB Local  ${info.dynamoEndpoint}
  Data directory  ${info.dataDir}

Ingest a video:   npm run ingest -- <file> --title "My film" [--captions en=subs.vtt]
Stop:             Ctrl+C
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await platform.stop();
    process.exit(0);
  });
}
