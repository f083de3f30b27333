/** subscriptions: plans, status, renewal. */
import * as z from '../zod.ts';

export const PLAN_IDS = ['basic', 'standard', 'premium'] as const;
export const planIdSchema = z.enum(PLAN_IDS);
export type PlanId = z.infer<typeof planIdSchema>;

/** What each plan allows; playback enforces streams and height. Prices are per 30-day period. */
export const PLANS = {
  basic: { maxStreams: 1, maxHeight: 720, priceCents: 799 },
  standard: { maxStreams: 2, maxHeight: 1080, priceCents: 1549 },
  premium: { maxStreams: 4, maxHeight: 2160, priceCents: 2299 },
} as const satisfies Record<PlanId, { maxStreams: number; maxHeight: number; priceCents: number }>;

export const RENEWAL_PERIOD_DAYS = 30;
/** @default grace before playback stops on a PAST_DUE account, unless the stack sets another. */
export const DEFAULT_GRACE_PERIOD_DAYS = 7;

export const SUBSCRIPTION_STATUSES = ['ACTIVE', 'PAST_DUE', 'CANCELED'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const cardSchema = z.strictObject({
  number: z.pipe(
    z.pipe(
      z.string(),
      z.transform((n: string) => n.replace(/[\s-]/g, '')),
    ),
    z.string().check(z.regex(/^\d{12,19}$/, 'not a card number')),
  ),
  expMonth: z.optional(z.int().check(z.gte(1), z.lte(12))),
  expYear: z.optional(z.int().check(z.gte(2000), z.lte(2100))),
  cvc: z.optional(z.string().check(z.regex(/^\d{3,4}$/))),
});
export type Card = z.infer<typeof cardSchema>;

/** `PUT /v1/subscription`: start, change or resume a plan. A card is needed unless one is on file. */
export const putSubscriptionRequestSchema = z.strictObject({
  plan: planIdSchema,
  card: z.optional(cardSchema),
});
export type PutSubscriptionRequest = z.infer<typeof putSubscriptionRequestSchema>;

export const subscriptionSchema = z.object({
  plan: planIdSchema,
  status: z.enum(SUBSCRIPTION_STATUSES),
  renewsAt: z.string(),
  maxStreams: z.int(),
  maxHeight: z.int(),
  /** Last four digits of the card on file. */
  cardLast4: z.optional(z.string()),
  /** Set while PAST_DUE: playback is refused after this instant. */
  graceUntil: z.optional(z.string()),
});
export type Subscription = z.infer<typeof subscriptionSchema>;
