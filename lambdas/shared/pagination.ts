/** Opaque cursors over DynamoDB's `LastEvaluatedKey`: base64url JSON, checked on the way back in. */
import { BadRequestError } from './errors.ts';

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/**
 * The key back, or a 400 `INVALID_CURSOR`. `expectedKeys` are the attribute names the key must
 * have (and only those, with string or number values), so a forged cursor cannot steer a query
 * into another partition: callers re-check the partition value themselves.
 */
export function decodeCursor(
  cursor: string | undefined,
  expectedKeys: readonly string[],
): Record<string, string | number> | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('INVALID_CURSOR', 'The cursor is not one this API issued.');
  }
  const ok =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === expectedKeys.length &&
    expectedKeys.every((k) => {
      const v = (value as Record<string, unknown>)[k];
      return typeof v === 'string' || typeof v === 'number';
    });
  if (!ok) throw new BadRequestError('INVALID_CURSOR', 'The cursor is not one this API issued.');
  return value as Record<string, string | number>;
}
