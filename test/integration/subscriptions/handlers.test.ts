/**
 * The subscriptions handlers as Lambda runs them: API Gateway proxy events (authorizer context
 * included), the scheduled renewal event and the internal invoke, over DynamoDB Local.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../../lambdas/contracts/internal.ts';
import type { RenewalSummary } from '../../../lambdas/subscriptions/domain/renew-subscriptions.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynamo.ts';
import { withContext } from '../profiles/api-event.ts';

type HttpLambda = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

let dynamo: TestDynamo;
let getSubscription: HttpLambda;
let putSubscription: HttpLambda;
let renewSubscriptions: (event: Partial<ScheduledEvent>) => Promise<RenewalSummary>;
let subscriptionsInternal: (event: unknown) => Promise<Entitlement>;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await dynamo.createTable('subscriptions');
  // The handlers read their table name at module load: import them after the env is set.
  getSubscription = (await import('../../../lambdas/subscriptions/handlers/get-subscription.ts'))
    .handler as unknown as HttpLambda;
  putSubscription = (await import('../../../lambdas/subscriptions/handlers/put-subscription.ts'))
    .handler as unknown as HttpLambda;
  renewSubscriptions = withContext(
    (await import('../../../lambdas/subscriptions/handlers/renew-subscriptions.ts')).handler,
  );
  subscriptionsInternal = withContext(
    (await import('../../../lambdas/subscriptions/handlers/internal.ts')).handler,
  );
});

afterAll(async () => {
  await dynamo?.stop();
});

const context = { awsRequestId: 'test-request' } as Context;
let accounts = 0;
/** A new account per test: the table is shared by the file. */
const newAccount = () => `acct-handlers-${++accounts}`;

function event(method: 'GET' | 'PUT', accountId: string, body?: string): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path: '/v1/subscription',
    resource: '/v1/subscription',
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    isBase64Encoded: false,
    body: body ?? null,
    requestContext: {
      authorizer: { accountId, email: `${accountId}@example.com`, country: 'US', isAdmin: 'false' },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

async function get(accountId: string) {
  const response = await getSubscription(event('GET', accountId), context);
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

async function put(accountId: string, body: unknown) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await putSubscription(event('PUT', accountId, raw), context);
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

const CARD_OK = { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2035, cvc: '123' };

describe('GET /v1/subscription', () => {
  it('answers 404 SUBSCRIPTION_NOT_FOUND for an account without one', async () => {
    const response = await get(newAccount());

    expect(response).toEqual({
      status: 404,
      body: { error: { code: 'SUBSCRIPTION_NOT_FOUND', message: expect.any(String) } },
    });
  });

  it('shows the subscription a PUT started', async () => {
    const accountId = newAccount();
    await put(accountId, { plan: 'premium', card: CARD_OK });

    const response = await get(accountId);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      plan: 'premium',
      status: 'ACTIVE',
      maxStreams: 4,
      maxHeight: 2160,
      cardLast4: '4242',
    });
  });
});

describe('PUT /v1/subscription', () => {
  it('subscribes with a card and answers the subscription', async () => {
    const before = Date.now();

    const response = await put(newAccount(), { plan: 'basic', card: CARD_OK });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ plan: 'basic', status: 'ACTIVE', maxStreams: 1, maxHeight: 720 });
    const renewsIn = Date.parse(response.body.renewsAt) - before;
    expect(renewsIn).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(renewsIn).toBeLessThan(30 * 86_400_000 + 60_000);
  });

  it('answers a declined card with 402 PAYMENT_DECLINED and stores nothing', async () => {
    const accountId = newAccount();

    const response = await put(accountId, { plan: 'basic', card: { number: '4000000000000002' } });

    expect(response.status).toBe(402);
    expect(response.body.error.code).toBe('PAYMENT_DECLINED');
    expect((await get(accountId)).status).toBe(404);
  });

  it('changes the plan of a subscription with a card on file, without a card', async () => {
    const accountId = newAccount();
    const started = await put(accountId, { plan: 'basic', card: CARD_OK });

    const response = await put(accountId, { plan: 'standard' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ plan: 'standard', renewsAt: started.body.renewsAt });
  });

  it.each([
    ['malformed JSON', '{"plan": "basic",', 'MALFORMED_JSON'],
    ['no body', '', 'INVALID_REQUEST'],
    ['an unknown field', { plan: 'basic', card: CARD_OK, coupon: 'FREE' }, 'INVALID_REQUEST'],
    ['an unknown plan', { plan: 'platinum', card: CARD_OK }, 'INVALID_REQUEST'],
    ['a wrong-typed plan', { plan: 3 }, 'INVALID_REQUEST'],
    ['a card number with letters', { plan: 'basic', card: { number: '4242-abcd' } }, 'INVALID_CARD'],
    [
      'a card number failing the Luhn check',
      { plan: 'basic', card: { number: '4242424242424241' } },
      'INVALID_CARD',
    ],
    ['an unknown card field', { plan: 'basic', card: { ...CARD_OK, pin: '0000' } }, 'INVALID_CARD'],
    ['an impossible expiry month', { plan: 'basic', card: { ...CARD_OK, expMonth: 13 } }, 'INVALID_CARD'],
    ['no card for a first subscription', { plan: 'basic' }, 'CARD_REQUIRED'],
  ])('answers 400 for %s', async (_, body, code) => {
    const accountId = newAccount();

    const response = await put(accountId, body);

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
    expect((await get(accountId)).status).toBe(404);
  });
});

describe('renewal job and entitlement', () => {
  it("renews at the scheduled event's time: a card failing at renewal makes the account PAST_DUE, playable in its grace", async () => {
    const accountId = newAccount();
    const started = await put(accountId, { plan: 'standard', card: { number: '4000 0000 0000 0341' } });
    const renewsAt = Date.parse(started.body.renewsAt);
    const playableNow = await subscriptionsInternal({ op: 'getEntitlement', accountId });

    const summary = await renewSubscriptions({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: new Date(renewsAt + 60_000).toISOString(),
      detail: {},
    });

    expect(playableNow).toEqual({ playable: true, plan: 'standard', maxStreams: 2, maxHeight: 1080 });
    expect(summary.failed).toBeGreaterThanOrEqual(1);
    const after = await get(accountId);
    expect(after.body).toMatchObject({
      status: 'PAST_DUE',
      graceUntil: new Date(renewsAt + 60_000 + 7 * 86_400_000).toISOString(),
    });
    // Entitlement is judged at the wall clock, weeks before this grace (renewal + 7 days) ends.
    expect(await subscriptionsInternal({ op: 'getEntitlement', accountId })).toMatchObject({
      playable: true,
    });
  });

  it('answers NO_SUBSCRIPTION for an account without one', async () => {
    const entitlement = await subscriptionsInternal({ op: 'getEntitlement', accountId: newAccount() });

    expect(entitlement).toEqual({
      playable: false,
      reasonCode: 'NO_SUBSCRIPTION',
      maxStreams: 0,
      maxHeight: 0,
    });
  });

  it('refuses an internal request it does not understand', async () => {
    await expect(subscriptionsInternal({ op: 'cancelEverything', accountId: 'x' })).rejects.toThrow();
  });
});
