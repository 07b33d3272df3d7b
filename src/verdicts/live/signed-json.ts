import { createHash, createHmac } from 'crypto';
import * as http from 'http';
import * as https from 'https';

/**
 * One signed JSON request to an AWS service (Signature Version 4), with Node's built-ins only.
 *
 * Why this exists: the self-audit's two write calls to Security Hub CSPM (`BatchImportFindings`) and AWS Config
 * (`PutEvaluations`) would need `@aws-sdk/client-securityhub` and `@aws-sdk/client-config-service`, which are not
 * dependencies of this repository (the Lambda runtime has them, but tests and the type-check could not see them).
 * Every other call, and the credentials (the SDK's default chain, resolved by a runtime SDK client), come from the
 * runtime's AWS SDK v3. The signer is tested against the AWS SigV4 test suite's published vector and against the
 * SDK's own signer (test/verdicts/signed-json.test.ts).
 */

/** Credentials as the SDK resolves them. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A request to sign. */
export interface SignableRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The request's headers plus what SigV4 adds: `host`, `x-amz-date`, `x-amz-security-token` (with a session) and `authorization`. */
export function signRequest(
  request: SignableRequest, service: string, region: string, credentials: SigningCredentials, now: Date,
): Record<string, string> {
  const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...request.headers, 'host': request.host, 'x-amz-date': amzDate };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const [pathPart, query = ''] = request.path.split('?');
  const canonicalQuery = query.split('&').filter((p) => p).map((p) => p.split('=')).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v = '']) => `${k}=${v}`).join('&');
  const canonicalRequest = [request.method, pathPart || '/', canonicalQuery, canonicalHeaders, signedHeaders, sha256(request.body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Where a call goes. */
export interface JsonCall {
  readonly service: string;
  readonly region: string;
  /** The service's endpoint, e.g. `https://securityhub.eu-west-1.amazonaws.com` (or a local emulator's). */
  readonly endpoint: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** An error answer of the service, named as the SDK names it (`AccessDeniedException`, ...). */
export class ServiceError extends Error {
  constructor(public readonly name: string, message: string, public readonly statusCode: number) {
    super(message);
  }
}

/** Sends one signed JSON POST; answers the parsed JSON, throws a `ServiceError` for a non-2xx answer. */
export async function postJson(call: JsonCall, credentials: SigningCredentials, timeoutMs = 20_000): Promise<any> {
  const url = new URL(call.path, call.endpoint);
  const body = JSON.stringify(call.body);
  const headers = signRequest({
    method: 'POST', host: url.host, path: `${url.pathname}${url.search}`, headers: { ...call.headers, 'content-length': String(Buffer.byteLength(body)) }, body,
  }, call.service, call.region, credentials, new Date());
  const transport = url.protocol === 'http:' ? http : https;
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = transport.request(url, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${call.service} did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
  let parsed: any;
  try {
    parsed = answer.text ? JSON.parse(answer.text) : {};
  } catch {
    parsed = { message: answer.text };
  }
  if (answer.status < 200 || answer.status >= 300) {
    const type = String(parsed.__type ?? parsed.code ?? parsed.Code ?? `HTTP${answer.status}`).split('#').pop()!.split(':')[0];
    throw new ServiceError(type, String(parsed.message ?? parsed.Message ?? answer.text), answer.status);
  }
  return parsed;
}

/** `https://<service>.<region>.amazonaws.com` (`.amazonaws.com.cn` in China). */
export function serviceEndpoint(service: string, region: string): string {
  return `https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}
