import { STSClient } from '@aws-sdk/client-sts';

/**
 * The region of the SDK's shared config (AWS_PROFILE / ~/.aws/config), or undefined when none is configured. Only
 * the SDK's "no region" answer is turned into undefined; any other failure is thrown, so that the command
 * reports it instead of asking for --region as if nothing were set. Imported statically: only `audit` and `verify`
 * load this module, and they load the SDK anyway (a failing install then shows at once, not as "no region").
 */
export async function regionFromProfile(): Promise<string | undefined> {
  try {
    return await new STSClient({}).config.region();
  } catch (error) {
    if (isRegionMissing(error)) return undefined;
    throw error;
  }
}

/** The SDK's error when neither the environment nor the shared config names a region. */
export function isRegionMissing(error: unknown): boolean {
  return error instanceof Error && error.message === 'Region is missing';
}
