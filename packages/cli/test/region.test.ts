// The region a command falls back to when neither --region nor AWS_REGION/AWS_DEFAULT_REGION is given: the shared
// config's, read by the SDK. "No region configured" is undefined (the command then asks for --region); nothing else
// is swallowed.
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isRegionMissing, regionFromProfile } from '../src/aws/region';

const dir = mkdtempSync(join(tmpdir(), 'cis-region-'));
const saved = { ...process.env };
afterEach(() => { process.env = { ...saved }; });

let files = 0;

/** Points the SDK at a shared config with `text` (undefined: no file), and selects `profile` (default: none). */
function withConfig(text: string | undefined, profile?: string): void {
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  const file = join(dir, `config-${files++}`);
  if (text !== undefined) writeFileSync(file, text);
  process.env.AWS_CONFIG_FILE = text === undefined ? join(dir, 'absent') : file;
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'absent-credentials');
  if (profile) process.env.AWS_PROFILE = profile; else delete process.env.AWS_PROFILE;
}

test('the shared config\'s region', async () => {
  withConfig('[default]\nregion = eu-west-3\n');
  expect(await regionFromProfile()).toBe('eu-west-3');
  withConfig('[default]\nregion = eu-west-3\n[profile audit]\nregion = ap-south-2\n', 'audit');
  expect(await regionFromProfile()).toBe('ap-south-2');
});

test('none configured (no file, a profile without a region) is undefined', async () => {
  withConfig(undefined);
  expect(await regionFromProfile()).toBeUndefined();
  withConfig('[profile other]\noutput = json\n', 'other');
  expect(await regionFromProfile()).toBeUndefined();
});

test('only the SDK\'s "Region is missing" counts as none: other errors are not mistaken for it', () => {
  expect(isRegionMissing(new Error('Region is missing'))).toBe(true);
  expect(isRegionMissing(new Error('Cannot find module \'@aws-sdk/client-sts\''))).toBe(false);
  expect(isRegionMissing(new Error('EACCES: permission denied, open \'/home/u/.aws/config\''))).toBe(false);
  expect(isRegionMissing('Region is missing')).toBe(false);
});
