/**
 * Typed per-target configuration. `aws` is production; `localstack` deploys the same stacks to
 * LocalStack; `local` is what the embedded platform (`npm start`) synthesizes and runs itself.
 */

export const TARGETS = ['aws', 'localstack', 'local'] as const;
export type TargetName = (typeof TARGETS)[number];

export interface TargetConfig {
  readonly target: TargetName;
  /** Prefix of every stack name: `Showrunner-Data`, … */
  readonly stackPrefix: string;
  /** Keep buckets and tables when a stack is deleted. Only production data deserves it. */
  readonly retainData: boolean;
  /**
   * Where players reach the API (no trailing slash), for the manifest and steering URLs playback
   * hands out (`-c apiBaseUrl=…`). Unset: the request's own host. The embedded platform sets its
   * gateway's URL itself.
   */
  readonly apiBaseUrl?: string;
  /** Longest source the pipeline accepts, seconds. */
  readonly maxSourceSeconds: number;
  /** Largest source the pipeline accepts, bytes. */
  readonly maxSourceBytes: number;
  /**
   * Who signs access tokens: a Cognito user pool (`aws`), or the local identity provider behind
   * the same port (LocalStack's free tier has no Cognito; the embedded platform runs offline).
   */
  readonly identityProvider: 'cognito' | 'local';
  /**
   * The delivery edge the target has: `cloudfront` (the edge stack's distributions, AWS), `local`
   * (the embedded platform's edge servers), or `none` (LocalStack: its free tier has no
   * CloudFront), whose API leaves out the routes that require one (`requires: 'edge'`: playback)
   * and whose control plane has no function that declares `edge` needs. How each need is wired
   * per edge: `ControlPlaneStack` and docs/edge.md.
   */
  readonly deliveryEdge: 'cloudfront' | 'local' | 'none';
  /** Days a PAST_DUE subscription may still play. */
  readonly gracePeriodDays: number;
  /** Days to keep Lambda, Step Functions and API logs. */
  readonly logRetentionDays: 7 | 30 | 90 | 365;
}

const BASE = {
  stackPrefix: 'Showrunner',
  maxSourceSeconds: 6 * 3600,
  maxSourceBytes: 100 * 1024 ** 3,
  gracePeriodDays: 7,
} as const;

const CONFIGS: Record<TargetName, TargetConfig> = {
  aws: {
    ...BASE,
    target: 'aws',
    retainData: true,
    identityProvider: 'cognito',
    deliveryEdge: 'cloudfront',
    logRetentionDays: 30,
  },
  localstack: {
    ...BASE,
    target: 'localstack',
    retainData: false,
    identityProvider: 'local',
    deliveryEdge: 'none',
    logRetentionDays: 7,
  },
  local: {
    ...BASE,
    target: 'local',
    retainData: false,
    identityProvider: 'local',
    deliveryEdge: 'local',
    logRetentionDays: 7,
  },
};

function isTarget(value: string): value is TargetName {
  return (TARGETS as readonly string[]).includes(value);
}

/** Resolves `-c target=…` (default `aws`); an unknown target is an error, never a silent default. */
export function loadConfig(target: unknown, overrides: Partial<TargetConfig> = {}): TargetConfig {
  const name = target === undefined || target === null || target === '' ? 'aws' : String(target);
  if (!isTarget(name)) {
    throw new Error(`Unknown target "${name}": use one of ${TARGETS.join(', ')} (cdk synth -c target=aws).`);
  }
  return { ...CONFIGS[name], ...overrides };
}
