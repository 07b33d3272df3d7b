/** The region of the SDK's shared config (AWS_PROFILE / ~/.aws/config), if any. */
export async function regionFromProfile(): Promise<string | undefined> {
  try {
    const { STSClient } = await import('@aws-sdk/client-sts');
    return await new STSClient({}).config.region();
  } catch {
    return undefined;
  }
}
