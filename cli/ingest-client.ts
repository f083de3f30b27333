/**
 * Ingest through the HTTP API as an admin's browser would: sign in, create the title (or use an
 * existing one), register the upload, PUT the bytes to the presigned URL(s) (in parts above
 * 64 MiB), then follow the job until it ends. A READY job's asset is attached to the title.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CreateUploadResponse, JobView } from '../lambdas/contracts/jobs.ts';
import { TERMINAL_STATUSES } from '../lambdas/contracts/jobs.ts';
import { adminFromEnv } from '../local/defaults.ts';

export interface IngestOptions {
  apiUrl: string;
  file: string;
  /** Name of the title to create; ignored when `titleId` names an existing one. */
  title: string;
  /** Upload into this existing title instead of creating one. */
  titleId?: string;
  /** Where a created title is live, from now on. @default ['US'] */
  countries?: string[];
  /** Rating of a created title. @default 'teen' */
  maturity?: 'kids' | 'teen' | 'adult';
  /** An admin's credentials. @default SHOWRUNNER_ADMIN_EMAIL / _PASSWORD, else the local defaults */
  admin?: { email: string; password: string };
  captions?: { lang: string; file: string }[];
  onUploadProgress?: (sentBytes: number, totalBytes: number) => void;
  onJob?: (job: JobView) => void;
  /** Milliseconds between status polls. @default 1000 */
  pollMs?: number;
  /** Give up after this long. @default 2 hours */
  timeoutMs?: number;
}

export class IngestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
  }
}

export async function ingest(options: IngestOptions): Promise<JobView & { titleId: string }> {
  const size = (await stat(options.file)).size;
  const api = options.apiUrl.replace(/\/+$/, '');
  const admin = options.admin ?? adminFromEnv();
  const { accessToken } = await call<{ accessToken: string }>(`${api}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  const auth = { authorization: `Bearer ${accessToken}` };
  const titleId =
    options.titleId ??
    (
      await call<{ titleId: string }>(`${api}/v1/admin/titles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({
          name: options.title,
          maturity: options.maturity ?? 'teen',
          availability: [{ countries: options.countries ?? ['US'], from: new Date().toISOString() }],
        }),
      })
    ).titleId;
  const created = await call<CreateUploadResponse>(
    `${api}/v1/admin/titles/${encodeURIComponent(titleId)}/uploads`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({
        fileName: basename(options.file),
        sizeBytes: size,
        contentType: contentTypeOf(options.file),
        captions: (options.captions ?? []).map((c) => ({ lang: c.lang, fileName: basename(c.file) })),
      }),
    },
  );
  // Sidecars first: the source upload is what starts the job.
  for (const caption of created.captions) {
    const file = options.captions?.find((c) => c.lang === caption.lang)?.file;
    if (!file) continue;
    await put(caption.url, await readFile(file), caption.headers);
  }
  const { upload } = created;
  if (upload.kind === 'single') {
    await put(upload.url, await readFile(options.file), upload.headers);
    options.onUploadProgress?.(size, size);
  } else {
    const handle = await open(options.file, 'r');
    const parts: { partNumber: number; etag: string }[] = [];
    let sent = 0;
    try {
      for (const part of upload.parts) {
        const offset = (part.partNumber - 1) * upload.partSizeBytes;
        const length = Math.min(upload.partSizeBytes, size - offset);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, offset);
        const response = await put(part.url, buffer, {});
        const etag = response.headers.get('etag');
        if (!etag) throw new IngestError(`Part ${part.partNumber} was stored without an ETag.`);
        parts.push({ partNumber: part.partNumber, etag });
        sent += length;
        options.onUploadProgress?.(sent, size);
      }
    } finally {
      await handle.close();
    }
    await call(`${api}/v1/admin/uploads/${created.jobId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ uploadId: upload.uploadId, parts }),
    });
  }
  return { ...(await follow(api, created.jobId, options, auth)), titleId };
}

async function follow(
  api: string,
  jobId: string,
  options: IngestOptions,
  auth: Record<string, string>,
): Promise<JobView> {
  const deadline = Date.now() + (options.timeoutMs ?? 2 * 3600_000);
  for (;;) {
    const job = await call<JobView>(`${api}/v1/admin/jobs/${jobId}`, { method: 'GET', headers: auth });
    options.onJob?.(job);
    if (TERMINAL_STATUSES.includes(job.status)) return job;
    if (Date.now() > deadline)
      throw new IngestError(`Job ${jobId} did not finish in time (last: ${job.status}).`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
  }
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new IngestError(`Cannot reach ${new URL(url).origin}: is the platform running (npm start)?`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (body.error) message = `${body.error.code}: ${body.error.message}`;
    } catch {
      // Not JSON: show the text.
    }
    throw new IngestError(`${init.method} ${new URL(url).pathname} answered ${response.status}: ${message}`);
  }
  return JSON.parse(text) as T;
}

async function put(url: string, body: Buffer, headers: Record<string, string>): Promise<Response> {
  const response = await fetch(url, { method: 'PUT', body: new Uint8Array(body), headers });
  if (!response.ok)
    throw new IngestError(`Upload to storage failed: ${response.status} ${await response.text()}`);
  return response;
}

function contentTypeOf(file: string): string {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    mp4: 'video/mp4',
    m4v: 'video/mp4',
    mov: 'video/quicktime',
    webm: 'video/webm',
    mkv: 'video/x-matroska',
  };
  return types[ext] ?? 'application/octet-stream';
}
