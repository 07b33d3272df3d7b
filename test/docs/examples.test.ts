// Every TypeScript example of README.md and docs/*.md compiles, as `jsii-rosetta extract --strict` compiles the
// README's (post-compile): the same snippet extraction and the same fixture (rosetta/default.ts-fixture, applied by
// rosetta's own code), type-checked by the TypeScript compiler against the library's source. Rosetta reads only the
// README and the API docs, so without this test an example on a docs page would compile against nothing.
import { readdirSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { TypeScriptSnippet, updateParameters } from 'jsii-rosetta';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

// jsii-rosetta's package exports only its index, which does not re-export these two: load the same modules by path.
const ROSETTA_LIB = dirname(require.resolve('jsii-rosetta'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extractTypescriptSnippetsFromMarkdown } = require(join(ROSETTA_LIB, 'markdown', 'extract-snippets')) as {
  extractTypescriptSnippetsFromMarkdown(markdown: string, location: { api: 'file'; fileName: string }, strict: boolean): TypeScriptSnippet[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fixturize } = require(join(ROSETTA_LIB, 'fixtures')) as { fixturize(snippet: TypeScriptSnippet, loose?: boolean): TypeScriptSnippet };

/** The Markdown files whose TypeScript examples must compile. */
export function exampleFiles(): string[] {
  return ['README.md', ...readdirSync(join(ROOT, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`)];
}

interface Example { readonly file: string; readonly index: number; readonly source: string }

function examples(file: string): Example[] {
  const snippets = extractTypescriptSnippetsFromMarkdown(readFileSync(join(ROOT, file), 'utf8'), { api: 'file', fileName: file }, true);
  return snippets.map((snippet, index) => ({
    file,
    index,
    source: fixturize(updateParameters(snippet, { $directory: ROOT })).completeSource ?? snippet.visibleSource,
  }));
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  skipLibCheck: true,
  types: ['node'],
  baseUrl: ROOT,
  paths: { 'cdk-cis-log-monitoring': ['src/index.ts'] },
};
const HOST = ts.createCompilerHost(OPTIONS);
const parsed = new Map<string, ts.SourceFile | undefined>();
const readSourceFile = HOST.getSourceFile.bind(HOST);
HOST.getSourceFile = (fileName, languageVersion, ...rest) => {
  if (!parsed.has(fileName)) parsed.set(fileName, readSourceFile(fileName, languageVersion, ...rest));
  return parsed.get(fileName);
};

/**
 * Type-checks each example in a program of its own (the fixture declares globals, so two examples cannot share
 * one); the library's and aws-cdk-lib's files are parsed once. Returns the diagnostics per example (`file#n`).
 */
function compile(all: Example[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let previous: ts.Program | undefined;
  for (const example of all) {
    const path = join(ROOT, '.examples', `${example.file.replace(/[/.]/g, '_')}_${example.index}.ts`);
    const host: ts.CompilerHost = {
      ...HOST,
      getSourceFile: (fileName, languageVersion, ...rest) => fileName === path
        ? ts.createSourceFile(fileName, example.source, languageVersion, true)
        : HOST.getSourceFile(fileName, languageVersion, ...rest),
      fileExists: (fileName) => fileName === path || HOST.fileExists(fileName),
    };
    const program = ts.createProgram([path], OPTIONS, host, previous);
    previous = program;
    const sourceFile = program.getSourceFile(path)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    result.set(`${example.file}#${example.index + 1}`, diagnostics.map(d => {
      const line = d.start === undefined ? '' : `line ${sourceFile.getLineAndCharacterOfPosition(d.start).line + 1}: `;
      return `${line}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }));
  }
  return result;
}

const ALL = exampleFiles().flatMap(examples);
let diagnostics: Map<string, string[]>;
beforeAll(() => {
  diagnostics = compile(ALL);
}, 240_000);

test('the pages have TypeScript examples (so that this test checks something)', () => {
  expect(ALL.length).toBeGreaterThanOrEqual(10);
});

test.each(ALL.map(e => [`${e.file}#${e.index + 1}`]))('%s compiles with rosetta/default.ts-fixture', (name) => {
  expect(diagnostics.get(name)).toEqual([]);
});

test('a broken example is reported (the check is not vacuous)', () => {
  const broken: Example = { file: 'broken.md', index: 0, source: examples('README.md')[0].source.replace('logGroup:', 'logGrup:') };
  expect(compile([broken]).get('broken.md#1')!.join('\n')).toMatch(/logGrup/);
});
