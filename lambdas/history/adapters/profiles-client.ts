/** The profiles service, asked through its internal function (`profilesInternal`). */
import { getProfile } from '#shared/services.ts';
import type { ProfileDirectory } from '../domain/ports.ts';

export function lambdaProfileDirectory(): ProfileDirectory {
  return { getProfile };
}
