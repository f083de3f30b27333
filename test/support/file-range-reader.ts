/**
 * A `RangeReader` over a local file, for tests that probe generated clips without S3. It records
 * every read, so a test can show how little of a file the probe touched.
 */
import { open, stat } from 'node:fs/promises';
import type { RangeReader } from '#media-pipeline/adapters/media-probe.ts';

/** One `read` call as the reader served it. */
export interface RecordedRead {
  readonly offset: number;
  readonly length: number;
}

/** A file-backed reader and the log of what was read through it. */
export interface FileRangeReader extends RangeReader {
  readonly reads: readonly RecordedRead[];
}

/** Opens nothing up front: each read opens, reads and closes, so an abandoned reader leaks no handle. */
export async function fileRangeReader(path: string): Promise<FileRangeReader> {
  const { size } = await stat(path);
  const reads: RecordedRead[] = [];
  return {
    size,
    reads,
    async read(offset, length) {
      const handle = await open(path, 'r');
      try {
        const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        reads.push({ offset, length: bytesRead });
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}
