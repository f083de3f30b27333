/** POST /v1/profiles: adds a profile; the sixth is refused with 409 PROFILE_LIMIT_REACHED. */
import { randomUUID } from 'node:crypto';
import { createProfileRequestSchema } from '#contracts/api/profiles.ts';
import { caller } from '#shared/auth.ts';
import { tableName } from '#shared/env.ts';
import { httpHandler, json, parseWith } from '#shared/http.ts';
import { dynamoProfileStore } from '../adapters/profiles-table.ts';
import { createProfile } from '../domain/profiles.ts';

const profiles = dynamoProfileStore(tableName('profiles'));
const clock = () => new Date();

export const handler = httpHandler(async ({ event, body }) => {
  const { accountId } = caller(event);
  const request = parseWith(createProfileRequestSchema, body);
  return json(201, await createProfile({ profiles, clock, ids: randomUUID }, accountId, request));
});
