/**
 * npm run ingest -- <file> --title "<name>" [--captions en=<file.vtt>] [--api http://localhost:3000]
 *
 * Uploads a source the way a browser would and follows its encode job. Progress goes to
 * stderr; the last line on stdout is one JSON object {jobId, status, manifestUrl, reason?}.
 * Exit code 0 when READY, 1 when REJECTED or FAILED, 2 for a usage or connection error.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ingest } from './ingest-client.ts';
import { stageProgress } from './progress.ts';

const USAGE =
  'usage: npm run ingest -- <file> (--title "<name>" [--countries US,BR] [--maturity kids|teen|adult] | --title-id <id>) [--captions en=<file.vtt>]… [--api <url>]';

function apiUrlFromPlatform(): string | undefined {
  try {
    const dataDir = resolve(process.env.SHOWRUNNER_DATA_DIR ?? '.showrunner');
    return (JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8')) as { gatewayUrl?: string })
      .gatewayUrl;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        title: { type: 'string' };
        'title-id': { type: 'string' };
        countries: { type: 'string' };
        maturity: { type: 'string' };
        captions: { type: 'string'; multiple: true };
        api: { type: 'string' };
      };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        title: { type: 'string' },
        'title-id': { type: 'string' },
        countries: { type: 'string' },
        maturity: { type: 'string' },
        captions: { type: 'string', multiple: true },
        api: { type: 'string' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const file = parsed.positionals[0];
  const titleId = parsed.values['title-id'];
  const title = parsed.values.title ?? '';
  const maturity = parsed.values.maturity;
  if (!file || (!title && !titleId) || (maturity && !['kids', 'teen', 'adult'].includes(maturity))) {
    console.error(USAGE);
    return 2;
  }
  const captions = [];
  for (const spec of parsed.values.captions ?? []) {
    const [lang, path] = spec.split('=', 2);
    if (!lang || !path) {
      console.error(`--captions takes lang=file.vtt, got "${spec}"\n${USAGE}`);
      return 2;
    }
    captions.push({ lang, file: path });
  }
  const apiUrl =
    parsed.values.api ?? process.env.SHOWRUNNER_API_URL ?? apiUrlFromPlatform() ?? 'http://localhost:3000';
  const progress = stageProgress(process.stderr);
  try {
    const job = await ingest({
      apiUrl,
      file,
      title,
      ...(titleId ? { titleId } : {}),
      ...(parsed.values.countries
        ? { countries: parsed.values.countries.split(',').map((c) => c.trim().toUpperCase()) }
        : {}),
      ...(maturity ? { maturity: maturity as 'kids' | 'teen' | 'adult' } : {}),
      captions,
      onUploadProgress: (sent, total) => progress.show('UPLOADING', total === 0 ? 100 : (sent / total) * 100),
      onJob: (j) => progress.show(j.status, j.progress),
    });
    progress.stop();
    const result = {
      jobId: job.jobId,
      titleId: job.titleId,
      status: job.status,
      manifestUrl: job.manifestUrl ?? null,
      ...(job.reason ? { reason: job.reasonCode ? `${job.reasonCode}: ${job.reason}` : job.reason } : {}),
    };
    console.log(JSON.stringify(result));
    return job.status === 'READY' ? 0 : 1;
  } catch (error) {
    progress.stop();
    console.error((error as Error).message);
    return 2;
  }
}

process.exitCode = await main();
