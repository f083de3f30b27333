/** Answering CloudFormation for a Lambda-backed custom resource. */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  customResourceResponse,
  isCustomResourceEvent,
  sendCustomResourceResponse,
} from '#shared/custom-resource.ts';

const CREATE = {
  RequestType: 'Create',
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provision',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/signed?X-Amz-Signature=abc',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Showrunner-Edge/1',
  RequestId: 'req-1',
  LogicalResourceId: 'EdgeSigningKeys',
  ResourceType: 'Custom::EdgeSigningKeys',
  ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provision' },
} as const satisfies CloudFormationCustomResourceEvent;
const UPDATE = {
  ...CREATE,
  RequestType: 'Update',
  PhysicalResourceId: 'edge-signing-keys:first',
  OldResourceProperties: CREATE.ResourceProperties,
} as const satisfies CloudFormationCustomResourceEvent;

describe('custom resource responses', () => {
  it('tell CloudFormation events from direct invocations', () => {
    expect(isCustomResourceEvent(CREATE)).toBe(true);
    expect(isCustomResourceEvent({})).toBe(false);
    expect(isCustomResourceEvent(null)).toBe(false);
    expect(isCustomResourceEvent({ ...CREATE, RequestType: 'Rotate' })).toBe(false);
  });

  it('answer a Create with the new physical id and the data', () => {
    expect(customResourceResponse(CREATE, { status: 'SUCCESS', data: { KeyIds: 'k1' } }, 'new-id')).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'new-id',
      StackId: CREATE.StackId,
      RequestId: 'req-1',
      LogicalResourceId: 'EdgeSigningKeys',
      Data: { KeyIds: 'k1' },
    });
  });

  it('keep the physical id on Update, so CloudFormation deletes nothing', () => {
    expect(customResourceResponse(UPDATE, { status: 'SUCCESS' }, 'new-id').PhysicalResourceId).toBe(
      'edge-signing-keys:first',
    );
  });

  it('answer a failure with its reason', () => {
    expect(customResourceResponse(UPDATE, { status: 'FAILED', reason: 'no key' }, 'x')).toMatchObject({
      Status: 'FAILED',
      Reason: 'no key',
    });
  });

  it('PUT the answer to the presigned URL without a content type', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response(null, { status: 200 });
    }) as typeof fetch;
    const response = customResourceResponse(CREATE, { status: 'SUCCESS' }, 'id');

    await sendCustomResourceResponse(CREATE, response, fakeFetch);

    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(CREATE.ResponseURL);
    expect(sent[0]?.init).toMatchObject({ method: 'PUT', headers: { 'content-type': '' } });
    expect(JSON.parse(String(sent[0]?.init.body))).toEqual(response);
  });

  it('fail when CloudFormation refuses the answer', async () => {
    const refusing = (async () => new Response(null, { status: 403 })) as unknown as typeof fetch;

    await expect(
      sendCustomResourceResponse(
        CREATE,
        customResourceResponse(CREATE, { status: 'SUCCESS' }, 'id'),
        refusing,
      ),
    ).rejects.toThrow('HTTP 403');
  });
});
