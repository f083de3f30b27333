/** Synthesizes the app once per target for the infra tests, without bundling. */
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, createApp } from '../../bin/showrunner.ts';
import { loadConfig, type TargetName } from '../../lib/config.ts';

export function synth(target: TargetName) {
  const app = createApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const built = buildApp(app, loadConfig(target));
  const assembly = app.synth();
  return {
    ...built,
    assembly,
    data: Template.fromStack(built.data),
    pipeline: Template.fromStack(built.pipeline),
    controlPlane: Template.fromStack(built.controlPlane),
  };
}
