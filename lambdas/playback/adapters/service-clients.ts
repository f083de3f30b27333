/**
 * The profiles, catalog, subscriptions and history services, asked through their internal functions
 * (Lambda `Invoke`, scoped by `invokes` in the function's declaration).
 */
import { logger } from '#shared/logger.ts';
import { describeTitles, getEntitlement, getProfile, resumePosition } from '#shared/services.ts';
import type {
  EntitlementSource,
  ProfileDirectory,
  ResumePositions,
  TitleDirectory,
} from '../domain/ports.ts';

export function lambdaProfileDirectory(): ProfileDirectory {
  return { getProfile };
}

export function lambdaTitleDirectory(): TitleDirectory {
  return { describeTitles };
}

export function lambdaEntitlements(): EntitlementSource {
  return { getEntitlement };
}

/** Playback starts at 0 when history cannot answer; the failure is logged here. */
export function lambdaResumePositions(): ResumePositions {
  return {
    async positionOf(accountId, profileId, titleId) {
      try {
        return await resumePosition(accountId, profileId, titleId);
      } catch (error) {
        logger.warn('resume position unavailable; starting at 0', { titleId, error: error as Error });
        throw error;
      }
    },
  };
}
