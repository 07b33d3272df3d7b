import { createHash, createHmac } from 'crypto';
// The SDK's own signer (a dependency of every @aws-sdk client here), as the reference the self-audit's signer must agree with.
// eslint-disable-next-line import/no-extraneous-dependencies
import { SignatureV4 } from '@smithy/signature-v4';
import { signRequest } from '../../src/verdicts/live/signed-json';

// The self-audit signs its two write calls (Security Hub, Config) itself (src/verdicts/live/signed-json.ts says why).
// moto does not verify signatures, so the signer is checked here: against the AWS SigV4 test suite's `get-vanilla`
// vector, and against the SDK's signer on the requests the function sends.

/** Node's crypto as the SDK's Checksum (sha256, or HMAC with a secret). */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret as any);
  }
  update(data: Uint8Array | string): void {
    this.hash.update(data as any);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const VECTOR_TIME = new Date('2015-08-30T12:36:00Z');

test('the AWS SigV4 test suite vector get-vanilla', () => {
  const headers = signRequest({ method: 'GET', host: 'example.amazonaws.com', path: '/', headers: {}, body: '' }, 'service', 'us-east-1', CREDENTIALS, VECTOR_TIME);
  expect(headers.authorization).toBe('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, '
    + 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
});

const CASES: { service: string; region: string; host: string; path: string; headers: Record<string, string>; body: string }[] = [
  {
    service: 'securityhub',
    region: 'eu-west-1',
    host: 'securityhub.eu-west-1.amazonaws.com',
    path: '/findings/import',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Findings: [{ Id: 'x', Title: 'CIS 4.3 — ünïcode' }] }),
  },
  {
    service: 'config',
    region: 'us-east-1',
    host: 'config.us-east-1.amazonaws.com',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'StarlingDoveService.PutEvaluations' },
    body: '{"ResultToken":"t","Evaluations":[]}',
  },
];

test.each(CASES)('the same signature as the SDK\'s SignatureV4 for $service (with and without a session token)', async (c) => {
  for (const credentials of [CREDENTIALS, { ...CREDENTIALS, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE+/=' }]) {
    const time = new Date('2026-12-07T05:30:00Z');
    const headers = { ...c.headers, 'content-length': String(Buffer.byteLength(c.body)) };
    const mine = signRequest({ method: 'POST', host: c.host, path: c.path, headers, body: c.body }, c.service, c.region, credentials, time);
    const sdk = new SignatureV4({
      credentials, region: c.region, service: c.service, sha256: NodeSha256 as any, applyChecksum: false, uriEscapePath: true,
    });
    const signed = await sdk.sign({ method: 'POST', protocol: 'https:', hostname: c.host, path: c.path, query: {}, headers: { ...headers, host: c.host }, body: c.body } as any,
      { signingDate: time });
    expect(mine.authorization).toBe((signed as any).headers.authorization);
    expect(mine['x-amz-security-token']).toBe((signed as any).headers['x-amz-security-token']);
  }
});
