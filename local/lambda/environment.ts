/**
 * The variables of a function that only the running platform can fill: its edges (pathways,
 * signing key), its media origin and its gateway's URL. Which a function gets follows from its
 * declaration (`urls`, `edge`) and the same need → variable map the stacks use (`EDGE_ENV`,
 * `URL_ENV`); CDK writes none of them for the `local` target.
 */
import { EDGE_ENV, ENV, URL_ENV } from '../../lambdas/contracts/env.ts';
import type { FunctionDeclaration } from '../../lambdas/contracts/functions.ts';

export interface PlatformValues {
  /** The gateway as players reach it: `http://localhost:3000`. */
  apiBaseUrl: string;
  /** The media origin: `http://localhost:8079`. */
  mediaBaseUrl: string;
  /** The edges, in default priority order. */
  pathways: readonly { id: string; baseUrl: string }[];
  /** The key the edges verify tokens with. */
  signingKey: { kid: string; secret: string };
}

export function platformEnvironment(
  declaration: FunctionDeclaration,
  values: PlatformValues,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const need of declaration.urls ?? []) {
    environment[URL_ENV[need]] = need === 'api' ? values.apiBaseUrl : values.mediaBaseUrl;
  }
  const edgeValues: Record<(typeof EDGE_ENV.local)[keyof typeof EDGE_ENV.local][number], string> = {
    [ENV.EDGE_PATHWAYS]: JSON.stringify(values.pathways),
    [ENV.EDGE_KEY_ID]: values.signingKey.kid,
    [ENV.EDGE_KEY_SECRET]: values.signingKey.secret,
  };
  for (const need of declaration.edge ?? []) {
    for (const name of EDGE_ENV.local[need]) environment[name] = edgeValues[name];
  }
  return environment;
}
