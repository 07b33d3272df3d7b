import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { ATHENA_CLOUDTRAIL_DDL, Column, LAKE_COLUMNS } from '../src/commands/hunt/cloudtrail-tables';
import { huntSql, parseHuntArgs } from '../src/commands/hunt/command';

// The Athena and CloudTrail Lake SQL hunt prints, parsed by Trino's own parser (io.trino:trino-parser on Maven
// Central, run by test/sql-parse/TrinoParse.java), and every column it reads checked against the AWS-documented
// table DDL (Athena) or the documented event data store schema (Lake).

const SQL_PARSE = path.join(__dirname, '..', '..', '..', 'test', 'sql-parse');
/** trino-parser 476 is compiled for Java 24; the machine's Java 25 runs it. */
const JAVA_HOME = process.env.TRINO_PARSE_JAVA_HOME ?? '/usr/lib/jvm/temurin-25-jdk-amd64';

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** A Hive type of the DDL (STRING, STRUCT<a: T, ...>, ARRAY<T>, map<K,V>) as a tree of lower-case field names. */
type HiveType = { kind: 'scalar'; trino: string } | { kind: 'struct'; fields: Map<string, HiveType> } | { kind: 'array'; of: HiveType } | { kind: 'map' };

function parseDdlColumns(ddl: string): Map<string, HiveType> {
  const body = ddl.slice(ddl.indexOf('(') + 1, ddl.indexOf('\n  )\nPARTITIONED BY'));
  let pos = 0;
  const skip = () => { while (/\s/.test(body[pos] ?? '')) pos++; };
  const name = () => { skip(); const m = /^[A-Za-z0-9_]+/.exec(body.slice(pos))!; pos += m[0].length; return m[0].toLowerCase(); };
  const type = (): HiveType => {
    const word = name();
    if (word === 'string') return { kind: 'scalar', trino: 'VARCHAR' };
    skip();
    expect(body[pos]).toBe('<');
    pos++;
    if (word === 'array') {
      const of = type();
      skip(); pos++; // '>'
      return { kind: 'array', of };
    }
    if (word === 'map') {
      type(); skip(); pos++; type(); skip(); pos++;
      return { kind: 'map' };
    }
    expect(word).toBe('struct');
    const fields = new Map<string, HiveType>();
    for (;;) {
      const field = name();
      skip(); pos++; // ':'
      fields.set(field, type());
      skip();
      if (body[pos++] === '>') return { kind: 'struct', fields };
    }
  };
  const columns = new Map<string, HiveType>();
  for (;;) {
    skip();
    if (pos >= body.length) return columns;
    const column = name();
    columns.set(column, type());
    skip();
    if (body[pos] === ',') pos++;
  }
}

function trinoType(t: HiveType): string {
  switch (t.kind) {
    case 'scalar': return t.trino;
    case 'array': return `ARRAY(${trinoType(t.of)})`;
    case 'map': return 'MAP(VARCHAR, VARCHAR)';
    case 'struct': return `ROW(${[...t.fields].map(([n, f]) => `${n} ${trinoType(f)}`).join(', ')})`;
  }
}

function resolves(columns: Map<string, HiveType>, chain: string): boolean {
  const [first, ...rest] = chain.split('.');
  let t = columns.get(first);
  for (const part of rest) {
    if (t?.kind !== 'struct') return false;
    t = t.fields.get(part);
  }
  return t !== undefined;
}

function lakeColumns(): Map<string, HiveType> {
  const convert = (c: Column): HiveType => c.kind === 'struct'
    ? { kind: 'struct', fields: new Map(Object.values(c.fields!).map(f => [f.sql, convert(f)])) }
    : { kind: 'scalar', trino: 'VARCHAR' };
  return new Map(Object.values(LAKE_COLUMNS).map(c => [c.sql, convert(c)]));
}

/** Names the queries define themselves (CTEs and aliases), which are not table columns. */
const QUERY_NAMES = /^(evaluated|windowed|event_time|time_ok|sample_id|account|region|principal|source_ip|day|in_range|g|events|invalid|out_of_range|[cms]\d+|timestamp)$/;

const ddlColumns = parseDdlColumns(ATHENA_CLOUDTRAIL_DDL);

test('the DDL transcription reads as the documented table: 29 columns, nested user identity', () => {
  expect(ddlColumns.size).toBe(29);
  expect(resolves(ddlColumns, 'useridentity.sessioncontext.attributes.mfaauthenticated')).toBe(true);
  expect(resolves(ddlColumns, 'useridentity.nosuchfield')).toBe(false);
});

const maven = has('mvn') && fs.existsSync(path.join(JAVA_HOME, 'bin', 'java'));
if (!maven) {
  // CI has Maven and a Java 25 JDK; a developer machine without them skips with this message.
  // eslint-disable-next-line no-console
  console.warn(`hunt-trino-parse: skipped: needs mvn and a JDK >= 24 at ${JAVA_HOME} (set TRINO_PARSE_JAVA_HOME)`);
}

(maven ? test : test.skip)('every pattern set\'s Athena and CloudTrail Lake SQL parses with Trino\'s parser and reads only documented columns', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trino-parse-'));
  try {
    const files: { file: string; dialect: string }[] = [];
    for (const set of CisPatternSet.all()) {
      for (const sso of set === CisPatternSet.CIS_V1_2_0 ? [false] : [false, true]) {
        for (const dialect of ['athena', 'cloudtrail-lake']) {
          const table = dialect === 'athena' ? 'cloudtrail.cloudtrail_logs_pp' : 'abcd1234-ef56-7890-abcd-ef1234567890';
          const argv = ['--sql', '--dialect', dialect, '--table', table, '--pattern-set', set.name, '--since', '2024-03-01', '--until', '2024-04-01',
            ...(sso ? ['--sso-aware-mfa'] : [])];
          const file = path.join(dir, `${set.name}-${sso}-${dialect}.sql`);
          fs.writeFileSync(file, (await huntSql(parseHuntArgs(argv))).replace(/;\n$/, ''));
          files.push({ file, dialect });
        }
      }
    }
    const types = path.join(dir, 'ddl.type');
    fs.writeFileSync(types, [...ddlColumns.values()].map(trinoType).join('\n'));
    const classpath = path.join(dir, 'cp.txt');
    execFileSync('mvn', ['-q', '-f', path.join(SQL_PARSE, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${classpath}`], { stdio: 'inherit' });
    const output = execFileSync(path.join(JAVA_HOME, 'bin', 'java'), ['-cp', fs.readFileSync(classpath, 'utf8').trim(), path.join(SQL_PARSE, 'TrinoParse.java'),
      types, ...files.map(f => f.file)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const results = output.split(/^FILE /m).slice(1).map(block => {
      const [file, status, ...refs] = block.trim().split('\n');
      return { file, status, refs: refs.map(r => r.replace(/^REF /, '')) };
    });
    expect(results.map(r => [path.basename(r.file), r.status])).toEqual([types, ...files.map(f => f.file)].map(f => [path.basename(f), 'OK']));
    const lake = lakeColumns();
    for (const { file, dialect } of files) {
      const refs = results.find(r => r.file === file)!.refs;
      const columns = dialect === 'athena' ? ddlColumns : lake;
      const unknown = refs.filter(r => !QUERY_NAMES.test(r) && !resolves(columns, r) && !/^(cloudtrail|cloudtrail_logs_pp|abcd1234-ef56-7890-abcd-ef1234567890)(\.|$)/.test(r));
      expect({ file: path.basename(file), unknown }).toEqual({ file: path.basename(file), unknown: [] });
      // Not vacuous: the controls read CloudTrail columns.
      expect(refs).toEqual(expect.arrayContaining(['eventname', 'eventsource', 'errorcode']));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
