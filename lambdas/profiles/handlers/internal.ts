/**
 * profilesInternal: other services ask whether a profile belongs to an account and what its
 * maturity is. Invoked with a JSON payload (Lambda Invoke), not over HTTP.
 */
import type { ProfilesInternalResponse } from '#contracts/internal.ts';
import { tableName } from '#shared/env.ts';
import { functionHandler } from '#shared/function-handler.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { describeProfileForService } from '../domain/profiles.ts';

const deps = { profiles: dynamoProfileStore(tableName('profiles')) };

export const handler = functionHandler(
  'profilesInternal',
  async (request): Promise<ProfilesInternalResponse> => {
    switch (request.op) {
      case 'getProfile':
        return describeProfileForService(deps, request.accountId, request.profileId);
    }
  },
);
