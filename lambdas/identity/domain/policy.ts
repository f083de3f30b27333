/**
 * The authorizer's answer to API Gateway: an IAM policy over the API's methods. API Gateway
 * caches it per token for every route, so it must cover them all: everything under the stage is
 * allowed, and `/v1/admin/*` is explicitly denied to non-admins (an explicit Deny wins).
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { ADMIN_GROUP } from '#contracts/api/identity.ts';
import type { VerifiedCaller } from './identity-provider.ts';

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>` → the stage's ARN prefix. */
export function stageArn(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  if (!api?.startsWith('arn:') || !stage) throw new Error(`Unexpected method ARN: ${methodArn}`);
  return `${api}/${stage}`;
}

export function policyFor(who: VerifiedCaller, methodArn: string): APIGatewayAuthorizerResult {
  const stage = stageArn(methodArn);
  const isAdmin = who.groups.includes(ADMIN_GROUP);
  return {
    principalId: who.accountId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow' as const, Action: 'execute-api:Invoke', Resource: `${stage}/*/*` },
        ...(isAdmin
          ? []
          : [{ Effect: 'Deny' as const, Action: 'execute-api:Invoke', Resource: `${stage}/*/v1/admin/*` }]),
      ],
    },
    context: {
      accountId: who.accountId,
      email: who.email,
      country: who.country,
      isAdmin: String(isAdmin),
    },
  };
}
