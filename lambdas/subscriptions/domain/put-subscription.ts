/**
 * `PUT /v1/subscription`: start a subscription, change its plan, put a new card on file, pay a
 * past-due period. Money moves only after the state it depends on is pinned: either by a
 * conditional create/replace of the version that was read, or by a charge claim (past-due case),
 * and every charge carries an idempotency key, so concurrent or repeated PUTs charge once.
 */
import type { Card, PutSubscriptionRequest, Subscription } from '#contracts/api/subscriptions.ts';
import { BadRequestError, ConflictError, PaymentRequiredError } from '#shared/errors.ts';
import { assertCardUsable } from './cards.ts';
import { underClaim } from './claims.ts';
import { CURRENCY, type Declined, type PaymentProvider, type SavedCard } from './payments.ts';
import {
  changePlan,
  chargeKeys,
  claim,
  hasLiveClaim,
  priceOf,
  recoverWithCard,
  releaseClaim,
  replaceCard,
  type SubscriptionRecord,
  type SubscriptionRepository,
  startSubscription,
  toSubscriptionView,
} from './subscription.ts';

export interface PutSubscriptionDeps {
  readonly subscriptions: SubscriptionRepository;
  readonly payments: PaymentProvider;
  /** Mints claim ids. */
  readonly ids: () => string;
}

export interface PutSubscriptionInput {
  readonly accountId: string;
  readonly request: PutSubscriptionRequest;
  readonly now: Date;
}

/** How long a PUT may hold a past-due subscription while its charge is in flight. */
const PUT_CLAIM_MS = 60_000;
/** Attempts when another write changes the subscription between our read and our write. */
const MAX_ATTEMPTS = 3;

export async function putSubscription(
  deps: PutSubscriptionDeps,
  input: PutSubscriptionInput,
): Promise<Subscription> {
  const { request, now } = input;
  if (request.card) assertCardUsable(request.card, now);
  // Saving a card moves no money, so it happens once, before the read-and-write attempts.
  let saved: SavedCard | undefined;
  const card = async (given: Card) => {
    saved ??= await saveCard(deps.payments, input.accountId, given);
    return saved;
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await deps.subscriptions.get(input.accountId);
    const outcome =
      !current || current.status === 'CANCELED'
        ? await start(deps, input, current, card)
        : await update(deps, input, current, card);
    if (outcome) return toSubscriptionView(outcome);
  }
  throw new ConflictError(
    'SUBSCRIPTION_CONFLICT',
    'The subscription was changed by another request at the same time; try again.',
  );
}

type CardSaver = (card: Card) => Promise<SavedCard>;

/** No subscription (or a canceled one): a card and a paid first period are needed. */
async function start(
  deps: PutSubscriptionDeps,
  input: PutSubscriptionInput,
  previous: SubscriptionRecord | undefined,
  card: CardSaver,
): Promise<SubscriptionRecord | undefined> {
  const { accountId, request, now } = input;
  if (!request.card) {
    throw new BadRequestError('CARD_REQUIRED', 'A card is needed to start a subscription.');
  }
  const saved = await card(request.card);
  await chargeOrDecline(deps.payments, {
    accountId,
    paymentMethodId: saved.paymentMethodId,
    amountCents: priceOf(request.plan),
    idempotencyKey: chargeKeys.start(accountId, previous?.version ?? 0, saved.fingerprint),
    offSession: false,
  });
  const record = startSubscription({ accountId, plan: request.plan, card: saved, now, previous });
  // A lost race re-reads and changes the winner's plan instead. Had both used the same card, both
  // charges carried one key, so the processor charged once.
  return (await deps.subscriptions.save(record)) ? record : undefined;
}

/** ACTIVE or PAST_DUE: change the plan, the card, and pay what is due when a card is given. */
async function update(
  deps: PutSubscriptionDeps,
  input: PutSubscriptionInput,
  current: SubscriptionRecord,
  card: CardSaver,
): Promise<SubscriptionRecord | undefined> {
  const { request, now } = input;
  const saved = request.card ? await card(request.card) : undefined;
  if (saved && current.status === 'PAST_DUE') return payPastDue(deps, input, current, saved);

  let record = current;
  // The card already on file (a resubmitted request) is no change.
  if (saved && saved.fingerprint !== current.cardFingerprint) record = replaceCard(record, saved, now);
  if (request.plan !== current.plan) record = changePlan(record, request.plan, now);
  if (record === current) return current;
  return (await deps.subscriptions.save(record)) ? record : undefined;
}

/**
 * A new card on a past-due subscription pays the requested plan's price now. The claim keeps the
 * renewal job (and other PUTs) from charging the same period while this charge is in flight.
 */
async function payPastDue(
  deps: PutSubscriptionDeps,
  input: PutSubscriptionInput,
  current: SubscriptionRecord,
  saved: SavedCard,
): Promise<SubscriptionRecord | undefined> {
  const { accountId, request, now } = input;
  if (hasLiveClaim(current, now)) {
    throw new ConflictError(
      'PAYMENT_IN_PROGRESS',
      'A payment for this subscription is in progress; try again shortly.',
    );
  }
  const claimId = deps.ids();
  const claimed = claim(current, claimId, new Date(now.getTime() + PUT_CLAIM_MS), now);
  if (!(await deps.subscriptions.save(claimed))) return undefined;

  let decline: Declined | undefined;
  try {
    decline = await chargeOutcome(deps.payments, {
      accountId,
      paymentMethodId: saved.paymentMethodId,
      amountCents: priceOf(request.plan),
      idempotencyKey: chargeKeys.pastDue(accountId, current.renewsAt, saved.fingerprint),
      offSession: false,
    });
  } catch (error) {
    await underClaim(deps.subscriptions, accountId, claimId, (r) => releaseClaim(r, now));
    throw error;
  }
  if (decline) {
    await underClaim(deps.subscriptions, accountId, claimId, (r) => releaseClaim(r, now));
    throw declined(decline);
  }
  const paid = await underClaim(deps.subscriptions, accountId, claimId, (r) =>
    recoverWithCard(r, { plan: request.plan, card: saved, now }),
  );
  if (!paid) {
    // Only a claim that outlived its minute ends here; the charge is keyed, so a retry is safe.
    throw new ConflictError(
      'SUBSCRIPTION_CONFLICT',
      'The payment went through but the subscription moved on; try again.',
    );
  }
  return paid;
}

async function saveCard(payments: PaymentProvider, accountId: string, card: Card): Promise<SavedCard> {
  const result = await payments.saveCard(accountId, card);
  if (result.status === 'declined') throw declined(result);
  const { status: _, ...saved } = result;
  return saved;
}

type Charge = Omit<Parameters<PaymentProvider['charge']>[0], 'currency'>;

/** `undefined` when the charge went through, the decline otherwise. */
async function chargeOutcome(payments: PaymentProvider, charge: Charge): Promise<Declined | undefined> {
  const result = await payments.charge({ ...charge, currency: CURRENCY });
  return result.status === 'declined' ? result : undefined;
}

async function chargeOrDecline(payments: PaymentProvider, charge: Charge): Promise<void> {
  const decline = await chargeOutcome(payments, charge);
  if (decline) throw declined(decline);
}

function declined(decline: Declined): PaymentRequiredError {
  return new PaymentRequiredError('PAYMENT_DECLINED', `${decline.message} (${decline.declineCode})`);
}
