/** profiles: up to five per account, each with a maturity level. */
import * as z from '../zod.ts';
import { maturitySchema } from './common.ts';

export const MAX_PROFILES_PER_ACCOUNT = 5;

const nameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(50));
/** BCP 47 language tag, e.g. `en`, `pt-BR`. */
export const languageSchema = z.string().check(z.regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'not a language tag'));

export const createProfileRequestSchema = z.strictObject({
  name: nameSchema,
  maturity: maturitySchema,
  language: z.optional(languageSchema),
});
export type CreateProfileRequest = z.infer<typeof createProfileRequestSchema>;

export const updateProfileRequestSchema = z
  .strictObject({
    name: z.optional(nameSchema),
    maturity: z.optional(maturitySchema),
    language: z.optional(languageSchema),
  })
  .check(z.refine((v) => Object.keys(v).length > 0, 'give at least one of name, maturity, language'));
export type UpdateProfileRequest = z.infer<typeof updateProfileRequestSchema>;

export const profileSchema = z.object({
  profileId: z.string(),
  name: z.string(),
  maturity: maturitySchema,
  language: z.string(),
  createdAt: z.string(),
});
export type Profile = z.infer<typeof profileSchema>;

export const profileListSchema = z.object({ items: z.array(profileSchema) });
