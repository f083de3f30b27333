/**
 * The bundles `cdk deploy` would ship, for `npm run bench:lambda`: the `aws` target synthesized as
 * `cdk synth` does (`createApp` + `buildApp`), with bundling on for every stack, and each house
 * function's asset directory read from its stack's asset manifest (as test/infra/bundling.test.ts
 * does).
 *
 * CDK runs esbuild once per function (`spawnSync`, from aws-cdk-lib's local bundling). The bench
 * watches those calls, for two reasons:
 *
 * 1. A function whose bundle fails (another engineer mid-change) would abort the whole synth. The
 *    failure is recorded with esbuild's message, an `index.mjs` that throws is left in its place
 *    so the synth goes on, and the function is reported as failed, never measured.
 * 2. The baseline: the house construct only builds declared functions, so the empty handler is
 *    bundled by replaying one function's exact esbuild command line (the house construct's
 *    options as CDK rendered them) with only the entry and the output file changed. Nothing is
 *    restated by hand.
 */
import type { SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BASELINE_ENTRY = fileURLToPath(new URL('./empty-handler.ts', import.meta.url));
const FUNCTION_ID_KEY = 'showrunner:function';
const FUNCTION_ENTRY_KEY = 'showrunner:entry';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, Json>;
}

export interface StackTemplate {
  readonly stackName: string;
  readonly template: {
    Resources?: Record<string, CfnResource>;
    Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
  };
}

export interface HouseFunction {
  readonly functionId: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly entry: string;
  /** `index.handler` */
  readonly handler: string;
  readonly runtime: string;
  readonly memorySize: number;
  readonly timeoutSec: number;
  /** The template's variables, intrinsics unresolved. */
  readonly variables: Record<string, Json>;
  /** Absolute path of its asset directory in the cloud assembly. */
  readonly assetDir: string;
  /** esbuild's error, when the bundle could not be built. */
  readonly bundleError: string | undefined;
}

export interface EsbuildCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly options: SpawnSyncOptions;
  readonly entry: string;
  readonly outfile: string;
  readonly error: string | undefined;
  readonly ms: number;
}

export interface SynthesizedBundles {
  readonly functions: HouseFunction[];
  readonly stacks: StackTemplate[];
  readonly esbuildCalls: EsbuildCall[];
  readonly synthMs: number;
}

type SpawnSync = (
  command: string,
  args: readonly string[],
  options: SpawnSyncOptions,
) => SpawnSyncReturns<Buffer>;

/** Synthesizes the `aws` target into `outdir` with every stack bundled. */
export async function synthesizeBundles(
  outdir: string,
  say: (message: string) => void,
): Promise<SynthesizedBundles> {
  const { buildApp, createApp } = await import('../../bin/showrunner.ts');
  const { loadConfig } = await import('../../lib/config.ts');
  const { AssetManifestArtifact } = await import('aws-cdk-lib/cx-api');

  const childProcess = createRequire(import.meta.url)('node:child_process') as { spawnSync: SpawnSync };
  const realSpawnSync = childProcess.spawnSync;
  const esbuildCalls: EsbuildCall[] = [];
  childProcess.spawnSync = (command, args, options) => {
    const at = args.indexOf('--bundle');
    const entry = at === -1 ? undefined : args[at + 1];
    const outfile = args.find((a) => a.startsWith('--outfile='))?.slice('--outfile='.length);
    if (entry === undefined || outfile === undefined) return realSpawnSync(command, args, options);
    const started = performance.now();
    const result = realSpawnSync(command, args, { ...options, stdio: 'pipe' });
    const ms = performance.now() - started;
    const failed = result.error !== undefined || result.status !== 0;
    const error = failed ? esbuildError(result) : undefined;
    esbuildCalls.push({ command, args, options, entry, outfile, error, ms });
    say(`${failed ? 'FAILED ' : ''}esbuild ${entry.replace(REPO_ROOT, '')} (${Math.round(ms)} ms)`);
    if (!failed) return result;
    mkdirSync(dirname(outfile), { recursive: true });
    writeFileSync(
      outfile,
      `throw new Error(${JSON.stringify(`bench: the bundle failed to build: ${error}`)});\n`,
    );
    return { ...result, status: 0, error: undefined } as SpawnSyncReturns<Buffer>;
  };

  const started = performance.now();
  let assembly: import('aws-cdk-lib/cx-api').CloudAssembly;
  try {
    const app = createApp({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
    buildApp(app, loadConfig('aws'));
    assembly = app.synth();
  } catch (error) {
    throw new Error(
      `the aws target does not synthesize, so no bundle can be measured: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    childProcess.spawnSync = realSpawnSync;
  }
  const synthMs = performance.now() - started;

  const failedEntries = new Map(esbuildCalls.filter((c) => c.error).map((c) => [c.entry, c.error]));
  const functions: HouseFunction[] = [];
  const stacks: StackTemplate[] = [];
  for (const stack of assembly.stacks) {
    const template = stack.template as StackTemplate['template'];
    stacks.push({ stackName: stack.stackName, template });
    const manifest = stack.dependencies.find(AssetManifestArtifact.isAssetManifestArtifact);
    const files = manifest
      ? (
          JSON.parse(readFileSync(manifest.file, 'utf8')) as {
            files: Record<string, { source: { path: string } }>;
          }
        ).files
      : {};
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const functionId = resource.Metadata?.[FUNCTION_ID_KEY];
      if (resource.Type !== 'AWS::Lambda::Function' || typeof functionId !== 'string') continue;
      const props = resource.Properties ?? {};
      const key = String((props.Code as { S3Key?: Json } | undefined)?.S3Key ?? '').replace(/\.zip$/, '');
      const asset = files[key];
      const entry = String(resource.Metadata?.[FUNCTION_ENTRY_KEY] ?? '');
      functions.push({
        functionId,
        stackName: stack.stackName,
        logicalId,
        entry,
        handler: String(props.Handler ?? 'index.handler'),
        runtime: String(props.Runtime ?? ''),
        memorySize: Number(props.MemorySize ?? 128),
        timeoutSec: Number(props.Timeout ?? 3),
        variables: ((props.Environment as { Variables?: Record<string, Json> } | undefined)?.Variables ??
          {}) as Record<string, Json>,
        assetDir: asset ? join(assembly.directory, asset.source.path) : '',
        bundleError: asset
          ? failedEntries.get(join(REPO_ROOT, entry))
          : `no asset for ${key} in its stack's asset manifest`,
      });
    }
  }
  return { functions, stacks, esbuildCalls, synthMs };
}

/**
 * Bundles the empty handler into `outdir` with a function's own esbuild command: the first
 * successful call of a function that leaves the SDK to the runtime (most do), with only
 * `--bundle <entry>` and `--outfile=` changed.
 */
export function bundleBaseline(
  calls: readonly EsbuildCall[],
  outdir: string,
): { assetDir: string; model: string } {
  const model =
    calls.find((c) => !c.error && c.args.includes('--external:@aws-sdk/*')) ?? calls.find((c) => !c.error);
  if (!model) throw new Error('no function bundled successfully: there is no esbuild command to replay');
  const outfile = join(outdir, 'index.mjs');
  const args = model.args.map((arg, i) => {
    if (model.args[i - 1] === '--bundle') return BASELINE_ENTRY;
    return arg.startsWith('--outfile=') ? `--outfile=${outfile}` : arg;
  });
  mkdirSync(outdir, { recursive: true });
  const childProcess = createRequire(import.meta.url)('node:child_process') as { spawnSync: SpawnSync };
  const result = childProcess.spawnSync(model.command, args, { ...model.options, stdio: 'pipe' });
  if (result.error !== undefined || result.status !== 0)
    throw new Error(`the baseline did not bundle: ${esbuildError(result)}`);
  return { assetDir: outdir, model: model.entry.replace(REPO_ROOT, '') };
}

function esbuildError(result: SpawnSyncReturns<Buffer>): string {
  if (result.error) return result.error.message;
  const text = `${result.stderr?.toString() ?? ''}`;
  const errors = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('✘') || l.startsWith('[ERROR]') || l.includes('error:'));
  return (
    errors.length > 0 ? errors.slice(0, 3).join(' | ') : text.trim().split('\n').slice(-3).join(' | ')
  ).replace(/\s+/g, ' ');
}
