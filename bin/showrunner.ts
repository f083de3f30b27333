/**
 * Composition root: target config → stacks → cdk-nag. `cdk synth -c target=aws|localstack`.
 * The embedded platform (`npm start`) calls `buildApp` with target `local`.
 */
import { readFileSync } from 'node:fs';
import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { loadConfig, type TargetConfig } from '../lib/config.ts';
import { ShowrunnerChecks } from '../lib/nag.ts';
import { ControlPlaneStack } from '../lib/stacks/control-plane-stack.ts';
import { DataStack } from '../lib/stacks/data-stack.ts';
import { EdgeStack } from '../lib/stacks/edge-stack.ts';
import { MediaPipelineStack } from '../lib/stacks/media-pipeline-stack.ts';

export interface ShowrunnerApp {
  readonly app: App;
  readonly config: TargetConfig;
  readonly data: DataStack;
  readonly pipeline: MediaPipelineStack;
  readonly controlPlane: ControlPlaneStack;
  /** CloudFront delivery pathways: delivery edge `cloudfront` (`aws`; LocalStack has no CloudFront, `local` runs local edges). */
  readonly edge: EdgeStack | undefined;
}

/**
 * An App with the context of `cdk.json` (feature flags included), so tests and the embedded
 * platform synthesize exactly what `cdk synth` does.
 */
export function createApp(props: AppProps = {}): App {
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return new App({ ...props, context: { ...cdkJson.context, ...props.context } });
}

export function buildApp(app: App = createApp(), config?: TargetConfig): ShowrunnerApp {
  const resolved =
    config ??
    loadConfig(app.node.tryGetContext('target'), apiBaseUrlFrom(app.node.tryGetContext('apiBaseUrl')));
  const prefix = resolved.stackPrefix;
  const data = new DataStack(app, `${prefix}-Data`, {
    config: resolved,
    description: 'Showrunner: buckets and tables',
  });
  const pipeline = new MediaPipelineStack(app, `${prefix}-MediaPipeline`, {
    config: resolved,
    description: 'Showrunner: the encode pipeline',
    ingestBucket: data.ingestBucket,
    mediaBucket: data.mediaBucket,
    jobsTable: data.jobsTable,
  });
  const controlPlane = new ControlPlaneStack(app, `${prefix}-ControlPlane`, {
    config: resolved,
    description: 'Showrunner: the REST API and its services',
    buckets: { ingest: data.ingestBucket, media: data.mediaBucket, discovery: data.discoveryBucket },
    tables: data.tables,
  });
  const signingKeySecret = controlPlane.edgeSigningKey;
  const edge =
    resolved.deliveryEdge === 'cloudfront'
      ? new EdgeStack(app, `${prefix}-Edge`, {
          config: resolved,
          description: 'Showrunner: CloudFront delivery pathways, the edge token function and its keys',
          mediaBucket: data.mediaBucket,
          api: controlPlane.api,
          signingKeySecret: required(signingKeySecret, 'the control plane made no edge signing key'),
          revocationRoles: controlPlane.edgeRevocationRoles,
        })
      : undefined;
  Tags.of(app).add('project', 'showrunner');
  Tags.of(app).add('showrunner:target', resolved.target);
  Validations.of(app).addPlugins(new ShowrunnerChecks(app));
  return { app, config: resolved, data, pipeline, controlPlane, edge };
}

/**
 * `-c apiBaseUrl=https://api.example.com`: where players reach the API (a custom domain or the
 * edge's), so manifest and steering URLs name it instead of the request's host.
 */
function apiBaseUrlFrom(value: unknown): Partial<TargetConfig> {
  if (value === undefined || value === null || value === '') return {};
  const url = String(value).replace(/\/+$/, '');
  if (!/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[\w./-]*)?$/.test(url)) {
    throw new Error(`-c apiBaseUrl must be an https URL without query or fragment, got "${value}".`);
  }
  return { apiBaseUrl: url };
}

function required<T>(value: T | undefined, why: string): T {
  if (value === undefined) throw new Error(`Cannot build the edge stack: ${why}.`);
  return value;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp(new App()).app.synth();
}
