/**
 * The route's declared auth, checked behind the gateway's authorizer (defence in depth: a route
 * deployed without the authorizer still refuses): `user` needs the caller the authorizer
 * established (401), `admin` a member of the admin group (403); `none` lets anyone through.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteAuth } from '#contracts/routes.ts';
import { caller } from '../auth.ts';
import { ForbiddenError } from '../errors.ts';
import { routeInput } from './route-input.ts';

export function authorize(auth: RouteAuth): MiddlewareObj<APIGatewayProxyEvent> {
  return {
    before: (request) => {
      if (auth === 'none') return;
      const who = caller(request.event);
      if (auth === 'admin' && !who.isAdmin) {
        throw new ForbiddenError('FORBIDDEN', 'This route is for administrators only.');
      }
      routeInput(request.event).caller = who;
    },
  };
}
