/**
 * The deploy-time trail lookup behind `trailArn` (issue 11 part 1), run against moto's CloudTrail: the inline
 * handler code, exactly as deployed, with the real AWS SDK client pointed at moto. Only the HTTPS PUT of the
 * CloudFormation response is captured instead of sent.
 */
import * as sdk from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, MotoServer } from './moto/server';
import { TRAIL_LOOKUP_HANDLER_CODE } from '../../src/construct/trail-lookup-handler';

const REGION = 'eu-west-1';
let moto: MotoServer;

interface Loaded {
  lookUp(properties: Record<string, string>): Promise<Record<string, string>>;
  handler(event: Record<string, unknown>): Promise<void>;
}

/** Loads the inline code as Lambda would, with the SDK client bound to moto and https captured. */
function load(responses: Array<Record<string, any>>): Loaded {
  const MotoCloudTrail = class extends sdk.CloudTrailClient {
    constructor(config: sdk.CloudTrailClientConfig) {
      super({ ...config, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    }
  };
  const https = {
    request(url: string, _options: unknown, onResponse: (res: any) => void) {
      let body = '';
      return {
        on() { return this; },
        end(text: string) {
          body = text;
          responses.push({ url, ...JSON.parse(body) });
          onResponse({ resume() { /* drained */ }, on(_event: string, done: () => void) { done(); } });
        },
      };
    },
  };
  const fakeRequire = (name: string): unknown => {
    if (name === '@aws-sdk/client-cloudtrail') return { ...sdk, CloudTrailClient: MotoCloudTrail };
    if (name === 'https') return https;
    throw new Error(`the handler requires ${name}, which the Lambda runtime may not have`);
  };
  const module = { exports: {} as Loaded };
  new Function('exports', 'require', 'module', TRAIL_LOOKUP_HANDLER_CODE)(module.exports, fakeRequire, module);
  return module.exports;
}

const arnOf = (name: string) => `arn:aws:cloudtrail:${REGION}:${MOTO_ACCOUNT}:trail/${name}`;
const logGroupArn = (name: string) => `arn:aws:logs:${REGION}:${MOTO_ACCOUNT}:log-group:${name}:*`;
const props = (name: string) => ({ TrailArn: arnOf(name), StackAccount: MOTO_ACCOUNT, StackRegion: REGION });

beforeAll(async () => {
  moto = await MotoServer.start();
  const config = { region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'trail-bucket', CreateBucketConfiguration: { LocationConstraint: REGION } }));
  const logs = new CloudWatchLogsClient(config);
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'aws-controltower/CloudTrailLogs' }));
  const cloudtrail = new sdk.CloudTrailClient(config);
  const trail = async (name: string, extra: Partial<sdk.CreateTrailCommandInput>) =>
    cloudtrail.send(new sdk.CreateTrailCommand({ Name: name, S3BucketName: 'trail-bucket', ...extra }));
  const cw = { CloudWatchLogsLogGroupArn: logGroupArn('aws-controltower/CloudTrailLogs'), CloudWatchLogsRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/ct-logs` };
  await trail('aws-controltower-BaselineCloudTrail', { IsMultiRegionTrail: true, ...cw });
  await trail('single-region', { IsMultiRegionTrail: false, ...cw });
  await trail('no-cloudwatch', { IsMultiRegionTrail: true });
  await trail('neither', { IsMultiRegionTrail: false });
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

describe('trail lookup handler (inline code) against moto CloudTrail', () => {
  test('a multi-region trail delivering to CloudWatch Logs: its log group name, known only now', async () => {
    const result = await load([]).lookUp(props('aws-controltower-BaselineCloudTrail'));
    expect(result).toEqual({
      LogGroupName: 'aws-controltower/CloudTrailLogs',
      LogGroupArn: `arn:aws:logs:${REGION}:${MOTO_ACCOUNT}:log-group:aws-controltower/CloudTrailLogs`,
      TrailName: 'aws-controltower-BaselineCloudTrail',
    });
  });

  test('NEGATIVE: a single-region trail is refused, saying why', async () => {
    await expect(load([]).lookUp(props('single-region'))).rejects.toThrow(
      /CisLogMonitoring refuses trail .*:trail\/single-region: it is not multi-region \(IsMultiRegionTrail is false\)/);
  });

  test('NEGATIVE: a trail without CloudWatch Logs delivery is refused, saying why', async () => {
    await expect(load([]).lookUp(props('no-cloudwatch'))).rejects.toThrow(
      /refuses trail .*no-cloudwatch: it does not deliver to CloudWatch Logs \(no CloudWatchLogsLogGroupArn\)/);
    await expect(load([]).lookUp(props('neither'))).rejects.toThrow(/not multi-region .*; and it does not deliver to CloudWatch Logs/);
  });

  test('NEGATIVE: a log group in another account or region than the stack is refused (metric filters cannot be made there)', async () => {
    await expect(load([]).lookUp({ ...props('aws-controltower-BaselineCloudTrail'), StackAccount: '222222222222' }))
      .rejects.toThrow(/delivers to log group aws-controltower\/CloudTrailLogs in account 123456789012, region eu-west-1; .*deploy this stack to account 123456789012/);
  });

  test('NEGATIVE: an unknown trail is refused', async () => {
    await expect(load([]).lookUp(props('does-not-exist'))).rejects.toThrow(/not found/);
  });

  test('the handler answers CloudFormation: SUCCESS with the data, FAILED with the reason, Delete without a lookup', async () => {
    const responses: Array<Record<string, any>> = [];
    const { handler } = load(responses);
    const event = (requestType: string, name: string) => ({
      RequestType: requestType,
      ResponseURL: 'https://cloudformation-custom-resource-response.example/x',
      StackId: 'stack',
      RequestId: 'r',
      LogicalResourceId: 'CisTrailLookup',
      ResourceProperties: props(name),
    });
    await handler(event('Create', 'aws-controltower-BaselineCloudTrail'));
    await handler(event('Update', 'no-cloudwatch'));
    await handler(event('Delete', 'does-not-exist'));
    expect(responses).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: arnOf('aws-controltower-BaselineCloudTrail'), Data: expect.objectContaining({ LogGroupName: 'aws-controltower/CloudTrailLogs' }) }),
      expect.objectContaining({ Status: 'FAILED', Reason: expect.stringMatching(/does not deliver to CloudWatch Logs/), Data: {} }),
      expect.objectContaining({ Status: 'SUCCESS', Data: {} }),
    ]);
  });
});
