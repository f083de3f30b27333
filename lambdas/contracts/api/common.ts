/** Shapes every service shares: ids, countries, maturity levels, pages and the error body. */
import * as z from '../zod.ts';

/** Opaque ids the services mint (UUIDs, or readable slugs for seeded data). */
export const idSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an id'));
export const profileIdSchema = idSchema.check(z.describe('profile id'));
export const titleIdSchema = idSchema.check(z.describe('title id'));

/** ISO 3166-1 alpha-2, upper case: `US`, `BR`. */
export const countrySchema = z
  .string()
  .check(z.regex(/^[A-Z]{2}$/, 'not an ISO 3166-1 alpha-2 country code'));

/**
 * Maturity of a profile and rating of a title, on one scale: a profile sees titles rated at or
 * below its own level (`kids` < `teen` < `adult`).
 */
export const MATURITY_LEVELS = ['kids', 'teen', 'adult'] as const;
export const maturitySchema = z.enum(MATURITY_LEVELS);
export type Maturity = z.infer<typeof maturitySchema>;

/** `true` when a profile of `profile` maturity may see a title rated `rating`. */
export function maturityAllows(profile: Maturity, rating: Maturity): boolean {
  return MATURITY_LEVELS.indexOf(rating) <= MATURITY_LEVELS.indexOf(profile);
}

/** ISO 8601 instant with a zone: `2026-11-21T10:00:00Z`. */
export const instantSchema = z.iso.datetime({ offset: true });

/** Opaque pagination cursor (base64url of the last key seen). */
export const cursorSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2048}$/, 'not a cursor'));
export const limitSchema = z.coerce.number().check(z.int(), z.gte(1), z.lte(100));

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const emptySchema = z.strictObject({});
