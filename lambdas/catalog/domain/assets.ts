/**
 * "Asset Published" events from the media pipeline: the title gets its playable asset. Events
 * may arrive twice or out of order, so an older publication never replaces a newer one.
 */
import { assetPublishedDetailSchema, EVENTS } from '#contracts/internal.ts';
import { assetSchema } from '#contracts/media.ts';
import type { AttachAssetOutcome, TitlesRepository } from './ports.ts';

/** The event is not one the pipeline would send: retrying cannot help, so it goes to the dead-letter queue. */
export class MalformedEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedEventError';
  }
}

/** The parts of an EventBridge event this use case reads. */
export interface PublishedEvent {
  readonly source?: string;
  readonly 'detail-type'?: string;
  /** When the pipeline published (EventBridge `time`, ISO 8601). */
  readonly time?: string;
  readonly detail?: unknown;
}

export type AttachResult =
  | { outcome: AttachAssetOutcome; titleId: string; jobId: string }
  | { outcome: 'IGNORED'; reason: string };

/**
 * Attaches the published asset to its title. `publishedAt` is the event's `time`, normalised to
 * `toISOString()` so instants compare as strings (EventBridge writes whole seconds, other
 * publishers milliseconds); `now` stands in when the event has no usable time.
 */
export async function attachAsset(
  deps: { readonly titles: TitlesRepository },
  event: PublishedEvent,
  now: Date,
): Promise<AttachResult> {
  const { source, detailType } = EVENTS.ASSET_PUBLISHED;
  if (event.source !== source || event['detail-type'] !== detailType) {
    return { outcome: 'IGNORED', reason: `not ${source} / ${detailType}` };
  }
  const detail = assetPublishedDetailSchema.safeParse(event.detail);
  if (!detail.success) throw new MalformedEventError(`Bad detail: ${detail.error.message}`);
  const asset = assetSchema.safeParse(detail.data.asset);
  if (!asset.success) throw new MalformedEventError(`Bad asset: ${asset.error.message}`);
  const { jobId, titleId } = detail.data;
  if (asset.data.titleId !== titleId) {
    throw new MalformedEventError(`Asset of title ${asset.data.titleId} published for title ${titleId}.`);
  }
  const time = event.time === undefined ? Number.NaN : Date.parse(event.time);
  const publishedAt = new Date(Number.isNaN(time) ? now.getTime() : time).toISOString();
  const outcome = await deps.titles.attachAsset(titleId, { ...asset.data, jobId, publishedAt });
  return { outcome, titleId, jobId };
}
