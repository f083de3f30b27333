/**
 * profilesInternal: other services ask whether a profile belongs to an account and what its
 * maturity is. Invoked with a JSON payload (Lambda Invoke), not over HTTP.
 */
import { type ProfilesInternalResponse, profilesInternalRequestSchema } from '#contracts/internal.ts';
import { tableName } from '#shared/env.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { describeProfileForService } from '../domain/profiles.ts';

const profiles = dynamoProfileStore(tableName('profiles'));

export const handler = async (event: unknown): Promise<ProfilesInternalResponse> => {
  const request = profilesInternalRequestSchema.parse(event);
  switch (request.op) {
    case 'getProfile':
      return describeProfileForService({ profiles }, request.accountId, request.profileId);
  }
};
