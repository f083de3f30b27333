/**
 * The one place runtime code gets zod from: `zod/mini`, the functional API over the same core as
 * `zod` (https://zod.dev/packages/mini). Import it as a namespace,
 *
 *     import * as z from '#contracts/zod.ts';   // or './zod.ts' inside contracts
 *
 * and build schemas with its functions (`z.strictObject(…)`, `z.optional(x)`,
 * `.check(z.minLength(1))`): a bundle then keeps only the parts of zod it uses (≈ 40 KB of a
 * route's bundle, against ≈ 100 KB with the classic method-chaining API). This module
 * re-exports `zod/mini` with `export *` rather than exporting a `z` object: esbuild can only drop
 * unused exports through a namespace import, and a re-exported namespace object (`export { z }`,
 * `export * as z`) carries all of zod, locales included (≈ 420 KB).
 *
 * `zod` registers its English messages when it makes its first schema; `zod/mini` has no locale
 * until one is configured, and answers "Invalid input" for every issue. Importing this module
 * sets English (messages are resolved when an issue is raised, so this only has to happen before
 * the first parse), so clients keep reading zod's English messages: `Unrecognized key: "isAdmin"`,
 * `Too small: expected number to be >=1`. Only `en` is imported: no other locale is bundled.
 * `zod`'s cycle-support memoizer is not configured: no schema here is recursive, and zod removes
 * it from non-recursive schemas on their first parse anyway. A failed `parse` throws core's error,
 * named `$ZodError` (classic `zod` named its subclass `ZodError`), with the same issues and message.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
