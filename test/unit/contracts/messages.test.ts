/**
 * The validation messages clients read: a 400's `error.message` is `<path>: <message>` of the
 * first issue (`validateRequest`), and internal callers, the pathways and the signing secret
 * report the same. These are zod's English messages and our own, pinned as they were with
 * classic `zod`. The contracts are built with `zod/mini`, which has no locale of its own
 * (`#contracts/zod.ts` sets English): this file imports no classic `zod`, which would register
 * English by itself, so a lost locale fails here as "Invalid input".
 */
import { describe, expect, it } from 'vitest';
import { createTitleRequestSchema, listTitlesQuerySchema } from '../../../lambdas/contracts/api/catalog.ts';
import {
  countrySchema,
  emptySchema,
  idSchema,
  instantSchema,
  limitSchema,
  maturitySchema,
} from '../../../lambdas/contracts/api/common.ts';
import { heartbeatRequestSchema } from '../../../lambdas/contracts/api/history.ts';
import { signupRequestSchema } from '../../../lambdas/contracts/api/identity.ts';
import { startPlaybackRequestSchema, steeringQuerySchema } from '../../../lambdas/contracts/api/playback.ts';
import {
  createProfileRequestSchema,
  updateProfileRequestSchema,
} from '../../../lambdas/contracts/api/profiles.ts';
import { putSubscriptionRequestSchema } from '../../../lambdas/contracts/api/subscriptions.ts';
import { parseEdgeSigningSecret } from '../../../lambdas/contracts/edge-signing-secret.ts';
import { catalogInternalRequestSchema } from '../../../lambdas/contracts/internal.ts';
import { completeUploadRequestSchema, createUploadRequestSchema } from '../../../lambdas/contracts/jobs.ts';
import { sourceProbeSchema } from '../../../lambdas/contracts/media.ts';
import { parsePathways } from '../../../lambdas/playback/adapters/config.ts';

interface Schema {
  safeParse(value: unknown): {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  };
}

function firstIssue(schema: Schema, value: unknown) {
  const result = schema.safeParse(value);
  const issue = result.error?.issues[0];
  return issue && { path: issue.path, message: issue.message };
}

const WINDOW = { countries: ['US'], from: '2026-01-01T00:00:00Z' };
const PROBE = {
  container: 'MPEG-4',
  durationSec: 60,
  sizeBytes: 1000,
  video: {
    codec: 'AVC',
    width: 1920,
    height: 1080,
    displayWidth: 1920,
    displayHeight: 1080,
    rotation: 0,
    frameRate: 30,
    bitDepth: 8,
  },
  audio: null,
};
const SECRET = Buffer.alloc(33, 7).toString('base64');

const CASES: [string, Schema, unknown, PropertyKey[], string][] = [
  // zod's messages
  [
    'an unknown body field',
    createProfileRequestSchema,
    { name: 'Kid', maturity: 'kids', isAdmin: true },
    [],
    'Unrecognized key: "isAdmin"',
  ],
  ['an unknown query parameter', emptySchema, { admin: 'true' }, [], 'Unrecognized key: "admin"'],
  [
    'a missing field',
    signupRequestSchema,
    { email: 'a@b.co' },
    ['password'],
    'Invalid input: expected string, received undefined',
  ],
  [
    'a short string',
    signupRequestSchema,
    { email: 'a@b.co', password: 'short' },
    ['password'],
    'Too small: expected string to have >=8 characters',
  ],
  [
    'a bad email',
    signupRequestSchema,
    { email: 'not-an-email', password: '12345678' },
    ['email'],
    'Invalid email address',
  ],
  ['a limit below the minimum', limitSchema, '0', [], 'Too small: expected number to be >=1'],
  ['a limit above the maximum', limitSchema, '101', [], 'Too big: expected number to be <=100'],
  ['a fractional limit', limitSchema, '1.5', [], 'Invalid input: expected int, received number'],
  ['a limit that is not a number', limitSchema, 'abc', [], 'Invalid input: expected number, received NaN'],
  [
    'a bad genre',
    listTitlesQuerySchema,
    { genre: ' ' },
    ['genre'],
    'Too small: expected string to have >=1 characters',
  ],
  ['an unknown enum value', maturitySchema, 'x', [], 'Invalid option: expected one of "kids"|"teen"|"adult"'],
  ['a date without a time', instantSchema, '2026-01-01', [], 'Invalid ISO datetime'],
  [
    'a number of the wrong type',
    startPlaybackRequestSchema,
    { profileId: 'p1', titleId: 't1', device: { maxHeight: 1.5 } },
    ['device', 'maxHeight'],
    'Invalid input: expected int, received number',
  ],
  [
    'a negative position',
    heartbeatRequestSchema,
    { positionSec: -1, durationSec: 600, clientTs: 1 },
    ['positionSec'],
    'Too small: expected number to be >=0',
  ],
  [
    'a zero duration',
    heartbeatRequestSchema,
    { positionSec: 0, durationSec: 0, clientTs: 1 },
    ['durationSec'],
    'Too small: expected number to be >0',
  ],
  [
    'a position beyond a week',
    heartbeatRequestSchema,
    { positionSec: 1e12, durationSec: 600, clientTs: 1 },
    ['positionSec'],
    'Too big: expected number to be <=604800',
  ],
  [
    'a value of neither type of a union',
    heartbeatRequestSchema,
    { positionSec: 1, durationSec: 2, clientTs: true },
    ['clientTs'],
    'Invalid input',
  ],
  [
    'a string that is not an instant',
    heartbeatRequestSchema,
    { positionSec: 1, durationSec: 2, clientTs: 'x' },
    ['clientTs'],
    'Invalid ISO datetime',
  ],
  [
    'too many items',
    createTitleRequestSchema,
    { name: 'N', maturity: 'teen', genres: Array.from({ length: 11 }, () => 'drama') },
    ['genres'],
    'Too big: expected array to have <=10 items',
  ],
  [
    'an empty array',
    completeUploadRequestSchema,
    { uploadId: 'u', parts: [] },
    ['parts'],
    'Too small: expected array to have >=1 items',
  ],
  [
    'a negative size',
    createUploadRequestSchema,
    { fileName: 'clip.mp4', sizeBytes: -1 },
    ['sizeBytes'],
    'Too small: expected number to be >=0',
  ],
  [
    'an unknown operation',
    catalogInternalRequestSchema,
    { op: 'x', titleId: 't1' },
    ['op'],
    "Invalid discriminator value. Expected 'describeTitles' | 'nextEpisode' | 'getTitleForAdmin' | 'snapshot'",
  ],
  [
    'a literal union no member accepts',
    sourceProbeSchema,
    { ...PROBE, video: { ...PROBE.video, rotation: 45 } },
    ['video', 'rotation'],
    'Invalid input',
  ],
  [
    'an unknown plan',
    putSubscriptionRequestSchema,
    { plan: 'gold' },
    ['plan'],
    'Invalid option: expected one of "basic"|"standard"|"premium"',
  ],
  [
    'a long extra player parameter',
    steeringQuerySchema,
    { _HLS_x: 'a'.repeat(257) },
    ['_HLS_x'],
    'Too big: expected string to have <=256 characters',
  ],
  // ours
  ['a bad id', idSchema, 'bad id!', [], 'not an id'],
  ['a lower-case country', countrySchema, 'us', [], 'not an ISO 3166-1 alpha-2 country code'],
  [
    'a bad card number (after removing spaces and dashes)',
    putSubscriptionRequestSchema,
    { plan: 'basic', card: { number: '4242 4242' } },
    ['card', 'number'],
    'not a card number',
  ],
  [
    'an unknown steering parameter',
    steeringQuerySchema,
    { token: 't', foo: 'x' },
    [],
    'Unrecognized key: "foo"',
  ],
  [
    'a window that ends before it starts',
    createTitleRequestSchema,
    { name: 'N', maturity: 'teen', availability: [{ ...WINDOW, to: '2025-01-01T00:00:00Z' }] },
    ['availability', 0],
    '`to` must be after `from`',
  ],
  [
    'an episode without its series',
    createTitleRequestSchema,
    { name: 'N', maturity: 'teen', kind: 'episode', seasonNumber: 1, episodeNumber: 1 },
    [],
    'an episode needs seriesId, seasonNumber and episodeNumber; movies and series take none of them',
  ],
  [
    'a position past the duration',
    heartbeatRequestSchema,
    { positionSec: 602, durationSec: 600, clientTs: 1 },
    [],
    'positionSec is beyond durationSec',
  ],
  ['an empty update', updateProfileRequestSchema, {}, [], 'give at least one of name, maturity, language'],
];

describe('validation messages', () => {
  it.each(CASES)('for %s', (_, schema, value, path, message) => {
    expect(firstIssue(schema, value)).toEqual({ path, message });
  });

  it('name the pathway and the rule in an invalid pathways configuration', () => {
    expect(() =>
      parsePathways('[{"id":"edge a","baseUrl":"https://x"}]', 'SHOWRUNNER_EDGE_PATHWAYS'),
    ).toThrow(
      'SHOWRUNNER_EDGE_PATHWAYS is invalid: [\n  {\n    "origin": "string",\n    "code": "invalid_format",\n    "format": "regex",\n    "pattern": "/^[A-Za-z0-9._-]+$/",\n    "path": [\n      0,\n      "id"\n    ],\n    "message": "a pathway id is letters, digits, \\".\\", \\"-\\" or \\"_\\""\n  }\n]',
    );
    expect(() => parsePathways('[{"id":"a","baseUrl":"ftp://x"}]', 'P')).toThrow('"message": "Invalid URL"');
  });

  it('name the field of an invalid edge signing secret, never its value', () => {
    expect(() => parseEdgeSigningSecret(JSON.stringify({ kid: 'k1', secret: 'short' }), 'S')).toThrow(
      'The edge signing secret S is invalid: secret: a secret is canonical base64 of at least 32 bytes.',
    );
    const sixKeys = Array.from({ length: 5 }, (_, i) => ({ kid: `p${i}`, secret: SECRET }));
    expect(() =>
      parseEdgeSigningSecret(JSON.stringify({ kid: 'k1', secret: SECRET, previous: sixKeys }), 'S'),
    ).toThrow('The edge signing secret S is invalid: previous: Too big: expected array to have <=4 items.');
  });
});
