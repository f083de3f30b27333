import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type CfnUserPool,
  type CfnUserPoolClient,
  CfnUserPoolGroup,
  FeaturePlan,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ADMIN_GROUP } from '../../lambdas/contracts/api/identity.ts';

/**
 * The Cognito user pool behind identity provider `cognito` (AWS): email sign-in, the app client
 * the identity functions use, and the admin group whose members may call `/v1/admin/*`.
 */
export class UserDirectory extends Construct {
  public readonly pool: UserPool;
  public readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.pool = new UserPool(this, 'UserPool', {
      // Sign-up goes through POST /v1/auth/signup (AdminCreateUser), never Cognito's own endpoint.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 8,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
    });
    this.client = new UserPoolClient(this, 'UserPoolClient', {
      userPool: this.pool,
      authFlows: { userPassword: true },
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
      generateSecret: false,
    });
    const adminGroup = new CfnUserPoolGroup(this, 'AdminGroup', {
      userPoolId: this.pool.userPoolId,
      groupName: ADMIN_GROUP,
      description: 'May call /v1/admin/*',
    });
    // Stateful: the logical ids these had at the stack's root before this construct existed, so
    // an update keeps the pool (its users) instead of replacing it.
    (this.pool.node.defaultChild as CfnUserPool).overrideLogicalId('UserPool6BA7E5F2');
    (this.client.node.defaultChild as CfnUserPoolClient).overrideLogicalId('UserPoolClient2F5918F7');
    adminGroup.overrideLogicalId('AdminGroup');
    Validations.of(this.pool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG2',
      reason:
        'MFA is optional for viewers of a streaming service (like the services it models); deployments can require it for the admin group.',
    });
    Validations.of(this.pool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) costs per active user; Essentials is the default, documented as an upgrade in docs/identity.md.',
    });
    Validations.of(this.pool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG3',
      reason:
        'Threat protection needs the Plus feature plan (a per-user cost); the Essentials plan is the default, documented as an upgrade in docs/identity.md.',
    });
  }
}
