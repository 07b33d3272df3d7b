/**
 * The seed of every property-based test (docs/testing.md). A suite that imports fast-check imports `FC_SEED` from
 * here (test/support/seed.test.ts checks that): importing this module sets fast-check's global seed for the suite's
 * own fast-check instance (jest gives each test file its own module registry) and prints the seed once, with the
 * command that reproduces the run.
 *
 * The seed is `FC_SEED` from the environment when given (an integer, or `random` for a fresh one), else
 * `DEFAULT_FC_SEED`, so that CI and a developer run the same cases; `scripts/test-tools/seeds.sh` runs every property
 * suite under other seeds.
 */
// fast-check is a development dependency of the workspace root, where every test runs.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as path from 'path';
import * as fc from 'fast-check';

/** The seed when FC_SEED is not set. */
export const DEFAULT_FC_SEED = 20261207;

/** Reads FC_SEED: unset means the default, `random` a fresh seed, anything else must be a 32-bit integer. */
export function seedFrom(value: string | undefined, random: () => number = Math.random): number {
  if (value === undefined || value.trim() === '') return DEFAULT_FC_SEED;
  if (value.trim() === 'random') return Math.floor(random() * 2 ** 31);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
    throw new Error(`FC_SEED must be an integer (a 32-bit seed) or "random", not ${JSON.stringify(value)}`);
  }
  return seed;
}

/** This run's seed, used by every fc.assert/fc.check/fc.sample of the suite that imports it. */
export const FC_SEED = seedFrom(process.env.FC_SEED);

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: FC_SEED });

const suite = expect.getState().testPath;
const relative = suite === undefined ? '' : ` ${path.relative(process.cwd(), suite)}`;
// eslint-disable-next-line no-console
console.log(`fast-check seed: ${FC_SEED} (reproduce: FC_SEED=${FC_SEED} npx jest${relative} --coverage=false)`);
