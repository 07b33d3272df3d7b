import { PassThrough } from 'stream';
import { CliIo } from '../../src/command';
import { main } from '../../src/main';

/** What one in-process run of the command line printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunCliOptions {
  /** What `-` reads. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Whether stderr is a terminal (progress lines are drawn only then). */
  readonly stderrIsTTY?: boolean;
}

/** Runs `cdk-cis-log-monitoring <argv>` in this process (main.ts's dispatch) and collects its output. */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', d => out.push(String(d)));
  stderr.on('data', d => err.push(String(d)));
  const io: CliIo = { stdout, stderr, stderrIsTTY: options.stderrIsTTY ?? false, stdin: options.stdin };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}
