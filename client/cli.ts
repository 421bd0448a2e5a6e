// overnight-llm: the command line. Parses flags first, so -help, -version and bad usage answer
// without loading Temporal's native runtime; then hands the command to client/run-command.ts.
import { RELEASE as VERSION } from '../lib/release.js';
import { UsageError } from './flags.js';
import { parseArgs } from './args.js';
import { helpText } from './help.js';

const out = (line: string) => process.stdout.write(line + '\n');
const err = (line: string) => process.stderr.write(line + '\n');

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`overnight-llm: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (parsed.flags.help || parsed.command === 'help') {
    // `help batch`, `batch -help`: that command's help; `help flags`: every flag.
    const topic = parsed.command === 'help' ? parsed.positional[0] : parsed.command === 'start' ? undefined : parsed.command;
    try {
      out(helpText(VERSION, topic));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      err(`overnight-llm: ${error.message}`);
      return 2;
    }
    return 0;
  }
  if (parsed.flags.version) {
    out(`overnight-llm ${VERSION} (node ${process.version})`);
    return 0;
  }
  const { runCommand } = await import('./run-command.js');
  return runCommand(parsed, { out, err });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    err(`overnight-llm: unexpected error: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
