import * as fs from 'fs';
import * as zlib from 'zlib';

/** Event names cycled through by the generator, with how the RECOMMENDED set counts them. */
const EVENT_NAMES = ['DescribeInstances', 'ConsoleLogin', 'PutBucketPolicy', 'GetObject', 'AssumeRole', 'CreateVpc', 'ListBuckets', 'DecodeAuthorizationMessage'];

/**
 * One synthetic CloudTrail record (about 1 KB, like real management events). Every 8th record is a CreateVpc
 * (4.14), every 8th a ConsoleLogin without MFA (4.2); record i happens on day 2024-01-(1 + i % 3).
 */
export function syntheticRecord(i: number): object {
  const eventName = EVENT_NAMES[i % EVENT_NAMES.length];
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDACKCEVSQ6C2EXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/Alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'Alice',
      sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: '2024-01-01T00:00:00Z', mfaAuthenticated: 'false' } },
    },
    eventTime: `2024-01-0${1 + (i % 3)}T${String(i % 24).padStart(2, '0')}:00:00Z`,
    eventSource: eventName === 'ConsoleLogin' ? 'signin.amazonaws.com' : eventName === 'PutBucketPolicy' ? 's3.amazonaws.com' : 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/ec2.describe-instances',
    requestParameters: { instancesSet: {}, filterSet: { items: [{ name: 'tag:Name', valueSet: { items: [{ value: `web-\\"${i}\\"` }] } }] } },
    responseElements: eventName === 'ConsoleLogin' ? { ConsoleLogin: 'Success' } : null,
    additionalEventData: eventName === 'ConsoleLogin' ? { MFAUsed: 'No' } : undefined,
    requestID: `0f6d4b1c-${String(i).padStart(8, '0')}`,
    eventID: `evt-${i}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'ec2.eu-west-1.amazonaws.com' },
  };
}

/** Writes `count` synthetic records as one CloudTrail file (`{"Records":[...]}`), gzipped, without holding them in memory. */
export async function writeCloudTrailGz(file: string, count: number): Promise<void> {
  const gzip = zlib.createGzip({ level: 1 });
  const done = new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('finish', () => resolve());
    out.on('error', reject);
    gzip.on('error', reject);
    gzip.pipe(out);
  });
  const write = (text: string) => new Promise<void>(resolve => {
    if (gzip.write(text)) resolve();
    else gzip.once('drain', () => resolve());
  });
  await write('{"Records":[');
  let batch: string[] = [];
  for (let i = 0; i < count; i++) {
    batch.push(JSON.stringify(syntheticRecord(i)));
    if (batch.length === 500 || i === count - 1) {
      await write((i + 1 > batch.length ? ',' : '') + batch.join(','));
      batch = [];
    }
  }
  await write(']}\n');
  gzip.end();
  await done;
}
