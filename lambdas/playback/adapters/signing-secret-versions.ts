/**
 * The texts of the signing secret's live versions in Secrets Manager: AWSCURRENT, and AWSPENDING
 * while a rotation is under way (the new key must reach the edge before playback signs with it;
 * docs/edge.md). Read straight from the SDK, uncached: the key provisioner runs once per deploy
 * or rotation step.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function signingSecretVersions(client: SecretsManagerClient, secretArn: string) {
  async function stage(versionStage: 'AWSCURRENT' | 'AWSPENDING'): Promise<string | undefined> {
    try {
      const value = await client.send(
        new GetSecretValueCommand({ SecretId: secretArn, VersionStage: versionStage }),
      );
      if (typeof value.SecretString !== 'string') {
        throw new Error(`The ${versionStage} version of ${secretArn} has no text value.`);
      }
      return value.SecretString;
    } catch (error) {
      // No version carries the label: the normal state of AWSPENDING outside a rotation.
      if (
        versionStage === 'AWSPENDING' &&
        (error as { name?: unknown }).name === 'ResourceNotFoundException'
      ) {
        return undefined;
      }
      throw error;
    }
  }
  return async (): Promise<{ stage: string; text: string }[]> => {
    const [current, pending] = await Promise.all([stage('AWSCURRENT'), stage('AWSPENDING')]);
    return [
      ...(current === undefined ? [] : [{ stage: 'AWSCURRENT', text: current }]),
      ...(pending === undefined ? [] : [{ stage: 'AWSPENDING', text: pending }]),
    ];
  };
}
