/**
 * What the embedded platform stands in for AWS services in a function's worker, registered before
 * the handler loads (`#shared/stand-ins.ts`): Lambda code never imports this folder. Serializable,
 * so it travels to the worker in its `workerData`.
 */
import { FUNCTIONS, type FunctionDeclaration, type FunctionId } from '../../lambdas/contracts/functions.ts';
import { registerStandIn } from '../../lambdas/shared/stand-ins.ts';
import { edgeKeyValueStoreFile } from '../edge/key-value-store.ts';

export interface StandInConfig {
  /** The local edges' KeyValueStore file, for functions that write revocations. */
  edgeKeyValueStoreFile?: string;
}

/** The stand-ins a declared function needs, from what the platform runs. */
export function standInsFor(functionId: FunctionId, platform: { edgeKvsFile: string }): StandInConfig {
  const declaration: FunctionDeclaration = FUNCTIONS[functionId];
  return declaration.edge?.includes('revocations') ? { edgeKeyValueStoreFile: platform.edgeKvsFile } : {};
}

/** Registers them in this worker (or, in a test, in this process). */
export function installStandIns(config: StandInConfig): void {
  if (config.edgeKeyValueStoreFile) {
    registerStandIn('edgeKeyValueStore', edgeKeyValueStoreFile(config.edgeKeyValueStoreFile));
  }
}
