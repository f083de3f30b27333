/**
 * Playback use cases: start a session (profile, title, entitlement, stream limit), serve its
 * master playlist and steering manifest, keep it alive, end it. Pure: every dependency is a
 * port, time comes from the clock port.
 */
import { maturityAllows } from '#contracts/api/common.ts';
import { signEdgeToken } from '#contracts/edge.ts';
import type { Entitlement, TitleFacts } from '#contracts/internal.ts';
import { assetPrefix } from '#contracts/storage.ts';
import { ConflictError, ForbiddenError, NotFoundError, PaymentRequiredError } from '#shared/errors.ts';
import { parseMaster, playableVariants, sessionPlaylist } from './master-playlist.ts';
import { signPlaylistToken, verifyPlaylistToken } from './playlist-token.ts';
import type {
  Clock,
  EdgeHealth,
  EntitlementSource,
  Ids,
  MediaStore,
  Pathway,
  PlaybackSession,
  Popularity,
  ProfileDirectory,
  ResumePositions,
  Revocations,
  SessionStore,
  SigningKeys,
  TitleDirectory,
} from './ports.ts';
import { type SteeringManifest, steeringManifest } from './steering.ts';
import { claimStreamSlot, SESSION_TTL_SEC } from './streams.ts';

/**
 * Playlist and edge tokens outlive the session's 5-minute heartbeat window: players fetch media
 * for the whole programme and may pause. They last the title's duration plus this; ending the
 * session revokes them at the edge sooner.
 */
export const TOKEN_GRACE_SEC = 6 * 3600;

export interface StartPlaybackRequest {
  readonly profileId: string;
  readonly titleId: string;
  readonly device?: { readonly maxHeight?: number; readonly codecs?: readonly string[] };
  /** The poster the viewer started from (discovery's artwork token), passed on to the session. */
  readonly artworkId?: string;
}

export interface StartPlaybackResult {
  readonly sessionId: string;
  readonly manifestUrl: string;
  readonly resumeAtSec: number;
  /** When the session lapses without a heartbeat (ISO 8601). */
  readonly expiresAt: string;
}

export interface StartPorts {
  readonly profiles: ProfileDirectory;
  readonly titles: TitleDirectory;
  readonly entitlements: EntitlementSource;
  readonly media: MediaStore;
  readonly sessions: SessionStore;
  readonly keys: SigningKeys;
  readonly clock: Clock;
  readonly ids: Ids;
  /** Where the profile left off (history). Best effort: when it fails, playback starts at 0. */
  readonly resume: ResumePositions;
  /** Counts the start for prepositioning. Best effort: a failed count never refuses playback. */
  readonly popularity: Pick<Popularity, 'recordStart'>;
}

/** Who starts playback, from where. */
export interface Viewer {
  readonly accountId: string;
  /** The viewer's country: titles are licensed per country. */
  readonly country: string;
}

/**
 * Opens a session. Checks, in order: the profile is the caller's (404 PROFILE_NOT_FOUND); the
 * title is visible here to that profile (404 TITLE_NOT_FOUND) and has an asset (409
 * TITLE_NOT_PLAYABLE); the account may play (402 PAYMENT_PAST_DUE, 403 NO_SUBSCRIPTION or
 * SUBSCRIPTION_CANCELED); some rendition fits the plan and device (409 NO_PLAYABLE_RENDITION);
 * a stream slot is free (409 STREAM_LIMIT_REACHED) — taken atomically with the session write.
 */
export async function startPlayback(
  ports: StartPorts,
  viewer: Viewer,
  request: StartPlaybackRequest,
  apiBaseUrl: string,
): Promise<StartPlaybackResult> {
  const profile = await ports.profiles.getProfile(viewer.accountId, request.profileId);
  if (!profile)
    throw new NotFoundError('PROFILE_NOT_FOUND', `No profile ${request.profileId} on this account.`);

  const [title] = (
    await ports.titles.describeTitles([request.titleId], viewer.country, profile.maturity)
  ).filter((t) => t.titleId === request.titleId && maturityAllows(profile.maturity, t.maturity));
  if (!title) throw new NotFoundError('TITLE_NOT_FOUND', `No title ${request.titleId} here.`);
  const asset = playableAsset(title);
  // Asked now, awaited last: the lookup overlaps the checks below.
  const resumeAt = ports.resume
    .positionOf(viewer.accountId, profile.profileId, title.titleId)
    .then((sec) => (sec < asset.durationSec ? Math.floor(sec) : 0))
    .catch(() => 0);

  const entitlement = requirePlayable(await ports.entitlements.getEntitlement(viewer.accountId));
  const maxHeight = Math.min(entitlement.maxHeight, request.device?.maxHeight ?? Number.POSITIVE_INFINITY);
  const codecs = request.device?.codecs;
  const master = await ports.media.getText(asset.manifestKey);
  if (master === undefined)
    throw new Error(`The manifest ${asset.manifestKey} of ${title.titleId} is missing.`);
  playableVariants(parseMaster(master), { maxHeight, codecs });

  const now = ports.clock.now();
  const nowEpoch = epochSeconds(now);
  const session: PlaybackSession = {
    sessionId: ports.ids.sessionId(),
    accountId: viewer.accountId,
    profileId: profile.profileId,
    titleId: title.titleId,
    ...(title.seriesId === undefined ? {} : { seriesId: title.seriesId }),
    country: viewer.country,
    ...(request.artworkId === undefined ? {} : { artworkId: request.artworkId }),
    assetId: asset.assetId,
    manifestKey: asset.manifestKey,
    maxHeight,
    ...(codecs === undefined ? {} : { codecs: [...codecs] }),
    status: 'ACTIVE',
    startedAt: now.toISOString(),
    expiresAtEpoch: nowEpoch + SESSION_TTL_SEC,
    tokenExpiresAtEpoch: nowEpoch + Math.ceil(asset.durationSec) + TOKEN_GRACE_SEC,
  };
  await claimStreamSlot(ports.sessions, viewer.accountId, entitlement.maxStreams, session, nowEpoch);
  // The count is one more write: it runs while the token is signed and the resume point arrives.
  const counted = ports.popularity
    .recordStart({ titleId: title.titleId, assetId: asset.assetId, manifestKey: asset.manifestKey }, now)
    .catch(() => undefined);

  const token = signPlaylistToken({
    key: await ports.keys.current(),
    sessionId: session.sessionId,
    expiresAt: session.tokenExpiresAtEpoch,
  });
  const [resumeAtSec] = await Promise.all([resumeAt, counted]);
  return {
    sessionId: session.sessionId,
    manifestUrl: manifestUrl(apiBaseUrl, session.sessionId, token),
    resumeAtSec,
    expiresAt: isoOf(session.expiresAtEpoch),
  };
}

function playableAsset(title: TitleFacts): NonNullable<TitleFacts['asset']> {
  if (!title.asset) {
    throw new ConflictError('TITLE_NOT_PLAYABLE', `${title.name} has nothing to play yet.`);
  }
  return title.asset;
}

/** The entitlement when it allows playback, else its refusal with the subscriptions service's code. */
export function requirePlayable(entitlement: Entitlement): Entitlement {
  if (entitlement.playable && entitlement.maxStreams >= 1 && entitlement.maxHeight >= 1) return entitlement;
  switch (entitlement.reasonCode) {
    case 'PAYMENT_PAST_DUE':
      throw new PaymentRequiredError(
        'PAYMENT_PAST_DUE',
        'Your payment is past due: update your card to keep watching.',
      );
    case 'SUBSCRIPTION_CANCELED':
      throw new ForbiddenError(
        'SUBSCRIPTION_CANCELED',
        'Your subscription is canceled: subscribe again to watch.',
      );
    default:
      throw new ForbiddenError('NO_SUBSCRIPTION', 'Subscribe to a plan to watch.');
  }
}

export interface DeliveryConfig {
  /** Edge pathways, in their configured order. */
  readonly pathways: readonly Pathway[];
  /** Base URL of the API, with the stage if any, no trailing slash: the steering URI is built on it. */
  readonly apiBaseUrl: string;
}

/**
 * The session's master playlist (see `sessionPlaylist`). 403 INVALID_TOKEN / TOKEN_EXPIRED
 * without a good token, 404 SESSION_NOT_FOUND, 403 SESSION_ENDED once ended or lapsed.
 */
export async function masterPlaylist(
  ports: {
    readonly sessions: SessionStore;
    readonly media: MediaStore;
    readonly keys: SigningKeys;
    readonly clock: Clock;
  },
  sessionId: string,
  token: string | undefined,
  config: DeliveryConfig,
): Promise<string> {
  const nowEpoch = epochSeconds(ports.clock.now());
  await verifyPlaylistToken(ports.keys, token, sessionId, nowEpoch);
  const session = await ports.sessions.get(sessionId);
  if (!session) throw new NotFoundError('SESSION_NOT_FOUND', `No playback session ${sessionId}.`);
  if (session.status === 'ENDED' || session.expiresAtEpoch <= nowEpoch) {
    throw new ForbiddenError('SESSION_ENDED', 'This playback session has ended: start playback again.');
  }
  const master = await ports.media.getText(session.manifestKey);
  if (master === undefined) throw new Error(`The manifest ${session.manifestKey} is missing.`);
  const key = await ports.keys.current();
  const edgeToken = signEdgeToken({
    kid: key.kid,
    key: key.secret,
    sessionId,
    titleId: session.titleId,
    assetId: session.assetId,
    maxHeight: session.maxHeight,
    expiresAt: session.tokenExpiresAtEpoch,
  });
  return sessionPlaylist({
    master,
    manifestKey: session.manifestKey,
    assetPrefix: assetPrefix(session.titleId, session.assetId),
    caps: { maxHeight: session.maxHeight, ...(session.codecs ? { codecs: session.codecs } : {}) },
    pathways: config.pathways,
    edgeToken,
    // `token` is verified above.
    steeringUri: steeringUrl(config.apiBaseUrl, sessionId, token ?? ''),
  });
}

/**
 * The steering manifest. Authorized by the playlist token alone (an HMAC check, no table read):
 * players reload it every few seconds, and it reveals nothing but edge names.
 */
export async function steering(
  ports: { readonly keys: SigningKeys; readonly clock: Clock; readonly health: EdgeHealth },
  sessionId: string,
  token: string | undefined,
  config: DeliveryConfig,
): Promise<SteeringManifest> {
  await verifyPlaylistToken(ports.keys, token, sessionId, epochSeconds(ports.clock.now()));
  const health = await ports.health.healthOf(config.pathways);
  return steeringManifest(config.pathways, health, steeringUrl(config.apiBaseUrl, sessionId, token ?? ''));
}

/** Keeps the caller's session open for another `SESSION_TTL_SEC`; 404 SESSION_NOT_FOUND otherwise. */
export async function heartbeat(
  ports: { readonly sessions: SessionStore; readonly clock: Clock },
  accountId: string,
  sessionId: string,
): Promise<{ sessionId: string; expiresAt: string }> {
  const nowEpoch = epochSeconds(ports.clock.now());
  const expiresAtEpoch = nowEpoch + SESSION_TTL_SEC;
  if (!(await ports.sessions.extend(accountId, sessionId, expiresAtEpoch, nowEpoch))) {
    throw sessionNotFound(sessionId);
  }
  return { sessionId, expiresAt: isoOf(expiresAtEpoch) };
}

/**
 * Ends the caller's session: frees its stream slot, then revokes it at the edge. Ending an ended
 * session again revokes again (a retry after a failed revocation); another account's is 404.
 */
export async function endPlayback(
  ports: {
    readonly sessions: SessionStore;
    readonly revocations: Revocations;
    readonly clock: Clock;
  },
  accountId: string,
  sessionId: string,
): Promise<void> {
  // Read first: the revocation lasts until the session's tokens expire (`tokenExpiresAtEpoch`).
  const session = await ports.sessions.get(sessionId);
  if (!session || !(await ports.sessions.end(accountId, sessionId, ports.clock.now().toISOString()))) {
    throw sessionNotFound(sessionId);
  }
  await ports.revocations.revoke(sessionId, session.tokenExpiresAtEpoch);
}

export function manifestUrl(apiBaseUrl: string, sessionId: string, token: string): string {
  return `${apiBaseUrl}/v1/playback/${encodeURIComponent(sessionId)}/master.m3u8?token=${encodeURIComponent(token)}`;
}

export function steeringUrl(apiBaseUrl: string, sessionId: string, token: string): string {
  return `${apiBaseUrl}/v1/steering/${encodeURIComponent(sessionId)}?token=${encodeURIComponent(token)}`;
}

function sessionNotFound(sessionId: string): NotFoundError {
  return new NotFoundError('SESSION_NOT_FOUND', `No open playback session ${sessionId} on this account.`);
}

export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function isoOf(epoch: number): string {
  return new Date(epoch * 1000).toISOString();
}
