import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, ListQueryExecutionsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runCli } from './support/run-cli';
import { MOTO_CREDENTIALS, MotoServer } from '../../../test/e2e/moto/server';
import { FIXTURE_DIR } from '../../../test/fixtures/cloudtrail/load';
import { AthenaSender, huntOnAthena } from '../src/commands/hunt/athena-run';
import { buildTrinoHuntQuery } from '../src/commands/hunt/trino-query';
import { emptyReport, reportToJson } from '../src/report/report';

const run = (argv: string[]) => runCli(argv);

/**
 * The rows Athena returns for the hunt query, made from a replay report of the same events (every fixture record is
 * in one account and region, so the per-day rows carry the place). Values are text, as Athena returns them.
 */
function athenaRowsFrom(report: any, keys: string[]): { header: string[]; rows: string[][] } {
  const header = ['g', 'day', 'account', 'region', 'principal', 'source_ip', 'events', 'invalid', 'out_of_range', ...keys.flatMap((_, i) => [`m${i + 1}`, `s${i + 1}`])];
  const byKey = Object.fromEntries(report.controls.map((c: any) => [c.key, c]));
  const total = ['31', '', '', '', '', '', String(report.events), '0', String(report.outsideWindow),
    ...keys.flatMap(k => [String(byKey[k].matches), JSON.stringify(byKey[k].samples)])];
  const days = [...new Set(report.controls.flatMap((c: any) => Object.keys(c.byDay)))].sort() as string[];
  const perDay = days.map(day => ['3', day, '111122223333', 'us-east-1', '', '', '0', '0', '0',
    ...keys.flatMap(k => [String(byKey[k].byDay[day] ?? 0), '[]'])]);
  const principals = [...new Set(report.controls.flatMap((c: any) => c.topPrincipals.map((p: any) => p.name)))].sort() as string[];
  const perPrincipal = principals.map(name => ['29', '', '', '', name, '', '0', '0', '0',
    ...keys.flatMap(k => [String(byKey[k].topPrincipals.find((p: any) => p.name === name)?.matches ?? 0), '[]'])]);
  return { header, rows: [total, ...perDay, ...perPrincipal] };
}

/** A GetQueryResults page as the Athena API returns it: the header row first on the first page only. */
function page(header: string[], rows: string[][], first: boolean, nextToken?: string): any {
  return {
    ResultSet: {
      Rows: [...(first ? [header] : []), ...rows].map(r => ({ Data: r.map(v => (v === '' ? {} : { VarCharValue: v })) })),
      ResultSetMetadata: { ColumnInfo: header.map(name => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: 'varchar', Precision: 2147483647, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })) },
    },
    ...(nextToken ? { NextToken: nextToken } : {}),
    UpdateCount: 0,
  };
}

let replayed: any;
beforeAll(async () => {
  replayed = JSON.parse((await run(['replay', FIXTURE_DIR, '--json', '--samples', '3'])).stdout);
});

describe('hunt --athena against recorded Athena response shapes', () => {
  test('polls until SUCCEEDED, reads every page, reports bytes scanned; the report equals replay\'s but for the refused control', async () => {
    const report = emptyReport('athena', CisPatternSet.RECOMMENDED, false, {});
    const query = buildTrinoHuntQuery({ kind: 'athena', table: 'ct.logs' }, report.controls.map(c => ({ key: c.key, pattern: c.pattern })), {}, 3);
    const { header, rows } = athenaRowsFrom(replayed, query.controls.map(c => c.key));
    const sent: any[] = [];
    const states = ['QUEUED', 'RUNNING', 'SUCCEEDED'];
    const client: AthenaSender = {
      async send(command) {
        sent.push(command);
        if (command instanceof StartQueryExecutionCommand) return { QueryExecutionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' };
        if (command instanceof GetQueryExecutionCommand) {
          const state = states.shift()!;
          return {
            QueryExecution: {
              QueryExecutionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
              StatementType: 'DML',
              Status: { State: state, SubmissionDateTime: new Date() },
              ...(state === 'SUCCEEDED' ? { Statistics: { EngineExecutionTimeInMillis: 2517, DataScannedInBytes: 987654321, TotalExecutionTimeInMillis: 2781 } } : {}),
            },
          };
        }
        const token = (command as GetQueryResultsCommand).input.NextToken;
        return token ? page(header, rows.slice(2), false) : page(header, rows.slice(0, 2), true, 'AQAAAAEXAMPLE');
      },
    };
    await huntOnAthena(report, { database: 'ct', table: 'logs', workgroup: 'security' }, {}, 3, { client, pollMs: 1 });
    const start = sent[0] as StartQueryExecutionCommand;
    expect(start.input).toEqual({ QueryString: query.sql, QueryExecutionContext: { Database: 'ct' }, WorkGroup: 'security' });
    expect(sent.filter(c => c instanceof GetQueryExecutionCommand)).toHaveLength(3);
    expect(sent.filter(c => c instanceof GetQueryResultsCommand)).toHaveLength(2);
    expect(report.bytesScanned).toBe(987654321);
    expect(report.refused.map(r => r.key)).toEqual(['ROOT_ACCOUNT_USAGE']);
    const json = reportToJson(report) as any;
    const expected = replayed.controls.filter((c: any) => c.key !== 'ROOT_ACCOUNT_USAGE');
    expect(json.events).toBe(replayed.events);
    const view = (c: any) => [c.key, c.matches, c.byDay, c.samples, c.topPrincipals];
    expect(json.controls.map(view)).toEqual(expected.map(view));
    expect(json.controls.find((c: any) => c.key === 'UNAUTHORIZED_API_CALLS').byAccountRegion).toEqual({ '111122223333/us-east-1': 4 });
  });

  test('a FAILED query is an error with Athena\'s reason', async () => {
    const client: AthenaSender = {
      async send(command) {
        if (command instanceof StartQueryExecutionCommand) return { QueryExecutionId: 'q-1' };
        return {
          QueryExecution: {
            QueryExecutionId: 'q-1',
            Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: line 18:8: Table \'awsdatacatalog.ct.logs\' does not exist', AthenaError: { ErrorCategory: 2, ErrorType: 1301, Retryable: false } },
          },
        };
      },
    };
    const report = emptyReport('athena', CisPatternSet.RECOMMENDED, false, {});
    await expect(huntOnAthena(report, { database: 'ct', table: 'logs', workgroup: 'w' }, {}, 3, { client, pollMs: 1 }))
      .rejects.toThrow('Athena query q-1 FAILED: TABLE_NOT_FOUND: line 18:8: Table \'awsdatacatalog.ct.logs\' does not exist');
  });
});

describe('hunt --athena through the AWS SDK against moto (loopback)', () => {
  let moto: MotoServer;
  const saved = { ...process.env };
  beforeAll(async () => {
    moto = await MotoServer.start();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1',
    });
  }, 90_000);
  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
  });

  test('the command submits the query to the workgroup and database, and prints replay\'s counts from the result', async () => {
    // moto does not run SQL: it answers GetQueryResults with rows given to it beforehand (moto-api), here the rows
    // Athena would return for the fixture events. What is tested is the command's use of the real SDK and API.
    const report = emptyReport('athena', CisPatternSet.RECOMMENDED, false, {});
    const query = buildTrinoHuntQuery({ kind: 'athena', table: 'ct.logs' }, report.controls.map(c => ({ key: c.key, pattern: c.pattern })), {}, 3);
    const { header, rows } = athenaRowsFrom(replayed, query.controls.map(c => c.key));
    const seeded = page(header, rows, true).ResultSet;
    const response = await fetch(`${moto.endpoint}/moto-api/static/athena/query-results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account_id: '123456789012', region: 'us-east-1', results: [{ rows: seeded.Rows, column_info: seeded.ResultSetMetadata.ColumnInfo }] }),
    });
    expect(response.status).toBe(201);
    const result = await run(['hunt', '--athena', '--database', 'ct', '--table', 'logs', '--workgroup', 'primary', '--json']);
    expect(result.stderr).toBe('hunt: ROOT_ACCOUNT_USAGE not run: $.userIdentity.invokedBy: the CloudTrail table reads a missing field and a JSON null alike '
      + '(SQL NULL), so NOT EXISTS and IS NULL cannot be told apart\n');
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout);
    expect(json.evaluatedBy).toBe('athena');
    expect(json.bytesScanned).toBe(0); // moto reports 0 bytes; real Athena reports DataScannedInBytes
    expect(json.controls.map((c: any) => [c.key, c.matches])).toEqual(
      replayed.controls.filter((c: any) => c.key !== 'ROOT_ACCOUNT_USAGE').map((c: any) => [c.key, c.matches]));
    // What reached Athena (moto keeps the query): hunt's SQL, in the workgroup and database given.
    const athena = new AthenaClient({});
    const ids = (await athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'primary' }))).QueryExecutionIds ?? [];
    expect(ids).toHaveLength(1);
    const execution = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: ids[0] }))).QueryExecution!;
    expect(execution.Query).toBe(query.sql);
    expect(execution.WorkGroup).toBe('primary');
    expect(execution.QueryExecutionContext?.Database).toBe('ct');
  });

  test('an Athena error is reported on stderr with exit code 2', async () => {
    const result = await run(['hunt', '--athena', '--database', 'ct', '--table', 'logs', '--workgroup', 'no-such-workgroup']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hunt: Athena: /m);
    expect(result.stdout).toBe('');
  });
});
