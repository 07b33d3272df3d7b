import { awscdk, javascript, JsonFile } from 'projen';

// The floor of aws-cdk-lib we support; tests run against exactly this version (projen pins the devDependency).
// 2.258.0 is the first release that hands policy-validation plugins the construct tree, which cdk-nag 3.x's
// `Validations.of(app).addPlugins(...)` needs (on 2.257.0 it runs no rule at all).
const CDK_VERSION = '2.258.0';
const CONSTRUCTS_VERSION = '10.6.0';

// jsii warns that Node 20 is past end of life; the machine and CI run Node 20 (users may run 22 or 24).
// jsii 6 reads the END_OF_LIFE variable (a list of silenced major versions) once a release is past its date.
const QUIET_JSII = { JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

// Runtime libraries of the CLI (`npx cdk-cis-log-monitoring audit`). They are not jsii
// libraries, so jsii requires them to be bundled; none of their types is in the public API.
const AWS_SDK_CLIENTS = [
  '@aws-sdk/client-cloudtrail',
  '@aws-sdk/client-cloudwatch',
  '@aws-sdk/client-cloudwatch-logs',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-sts',
];

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
  minNodeVersion: '20.16.0',
  workflowNodeVersion: '22.x',

  keywords: ['cdk', 'aws-cdk', 'cis', 'cis-benchmark', 'cloudtrail', 'cloudwatch', 'metric-filter', 'alarm', 'security', 'compliance'],

  publishToPypi: { distName: 'cdk-cis-log-monitoring', module: 'cdk_cis_log_monitoring' },
  publishToMaven: {
    javaPackage: 'io.github.cdkcis.logmonitoring',
    mavenGroupId: 'io.github.cdkcis',
    mavenArtifactId: 'cdk-cis-log-monitoring',
  },
  publishToGo: { moduleName: 'github.com/cdk-cis/cdk-cis-log-monitoring-go' },

  bundledDeps: [...AWS_SDK_CLIENTS],
  devDeps: ['aws-cdk@^2', 'fast-check@^4', 'cdk-nag@^3.0.2', '@aws-sdk/client-cloudformation@^3', '@aws-sdk/client-ssm@^3', '@aws-sdk/client-s3@^3'],

  bin: { 'cdk-cis-log-monitoring': 'lib/cli/main.js' },

  jestOptions: {
    // A changed template must fail the tests; accept changes with `npx projen test:update`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      testPathIgnorePatterns: ['/node_modules/', '/test/bindings/(python|java|go)/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
    },
  },
  gitignore: ['cdk.out/', '.venv*/', '/dist-bindings/', '/test/bindings/**/target/', '/test/bindings/**/.venv/', '__pycache__/', '/bench/out/'],
  githubOptions: { mergify: false },
});

for (const [name, value] of Object.entries(QUIET_JSII)) project.tasks.addEnvironment(name, value);

// The demo app behind the README's quick start: `npm ci && npx cdk synth`.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'npx ts-node --prefer-ts-exts examples/app.ts',
    watch: { include: ['examples/**', 'src/**'] },
    context: {},
  },
});

for (const path of ['/examples/', '/bench/', '/scripts/', '/cdk.json', '/.ci/', '/test/']) project.addPackageIgnore(path);

// The demo app and the benchmarks are type-checked and linted like the tests, against the sources.
for (const dir of ['examples', 'bench', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../tsconfig.json', compilerOptions: { rootDir: '..', noEmit: true }, include: ['**/*.ts'] },
  });
}

project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('bench');
project.eslint?.addLintPattern('scripts');

// README sections generated from the catalog (a test fails when they are stale).
project.addTask('docs:readme', {
  description: 'Regenerate the catalog tables in README.md',
  exec: 'ts-node --project scripts/tsconfig.json scripts/docs/update-readme.ts',
});

// --- Language bindings (Python, Java, Go) ---
// jsii-pacmak writes the Go module's requirements from the npm packages installed here. Pin the cloud
// assembly schema to the version aws-cdk-go v2.258.0 requires (v54.1.0; the Go module proxy serves it, but
// not v54.0.0 nor the newest npm release), so that the Go module resolves. test/bindings/run.sh checks the pin.
project.addDevDeps('@aws-cdk/cloud-assembly-schema@54.1.0');
// Every binding embeds the npm tarball: keep virtualenvs, synth output and binding scripts out of it.
for (const path of ['/.venv*/', '/cdk.out/', '/dist-bindings/', '/rosetta/', '/scripts/bindings/', '/docs/bindings/']) project.addPackageIgnore(path);
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

project.synth();
