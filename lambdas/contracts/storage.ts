/**
 * Object-key layout of the ingest and media buckets. The pipeline's EventBridge rule matches
 * `SOURCE_PREFIX`; sidecars live elsewhere so that uploading them starts nothing.
 */

/**
 * The buckets functions may be granted (`buckets` in `functions.ts`): uploads land in `ingest`,
 * published media lives in `media`, discovery keeps its search index and catalog snapshot in
 * `discovery`.
 */
export const BUCKET_IDS = ['ingest', 'media', 'discovery'] as const;
export type BucketId = (typeof BUCKET_IDS)[number];

/** An upload under this prefix starts an encode job: `sources/<jobId>/<fileName>`. */
export const SOURCE_PREFIX = 'sources/';
/** Caption sidecars for a job: `sidecars/<jobId>/<lang>.vtt`. */
export const SIDECAR_PREFIX = 'sidecars/';
/** Published media: `media/<titleId>/<assetId>/…`. */
export const MEDIA_PREFIX = 'media/';
/** Public poster candidates (no edge token): `artwork/<titleId>/<assetId>/<artworkId>.jpg`. */
export const ARTWORK_PREFIX = 'artwork/';

/** Keeps a user's file name readable in the key while refusing path tricks. */
export function safeFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 120);
  return cleaned.length > 0 ? cleaned : 'source';
}

export function sourceKey(jobId: string, fileName: string): string {
  return `${SOURCE_PREFIX}${jobId}/${safeFileName(fileName)}`;
}

export function sidecarKey(jobId: string, lang: string): string {
  return `${SIDECAR_PREFIX}${jobId}/${lang}.vtt`;
}

/** Folder (with trailing slash) that holds everything one asset version publishes. */
export function assetPrefix(titleId: string, assetId: string): string {
  return `${MEDIA_PREFIX}${titleId}/${assetId}/`;
}

/** Reads the job id back out of a source key, or `undefined` when the key is not one. */
export function jobIdFromSourceKey(key: string): string | undefined {
  const match = /^sources\/([A-Za-z0-9_-]+)\/[^/]+$/.exec(key);
  return match?.[1];
}

/** Discovery bucket: the catalog as discovery sees it, and the search index built from it. */
export const DISCOVERY_PREFIX = 'discovery/';
/** Every browsable title with its searchable fields, windows and popularity (JSON). */
export const CATALOG_SNAPSHOT_KEY = `${DISCOVERY_PREFIX}catalog-snapshot.json`;
/** The serialized search index over that snapshot. */
export const SEARCH_INDEX_KEY = `${DISCOVERY_PREFIX}search-index.json`;
