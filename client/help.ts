// -help and its topics, from the flag and command tables of flags.ts (each flag's default, range
// and help live there once): one screen, every flag by what it touches, one command.
import { COMMANDS, FLAGS, GROUPS, UsageError, type Command, type CommandSpec, type FlagName, type FlagSpec } from './flags.js';

/** Flags that share one line of the help. */
const SHARED_LINES: { flags: FlagName[]; help: string }[] = [
  { flags: ['temperature', 'num-ctx', 'seed'], help: 'model temperature, context size in tokens, seed' },
  { flags: ['llm-api', 'ollama'], help: "the model server's API, ollama (native) or openai (/v1/chat/completions); its URL" },
  { flags: ['version', 'help'], help: 'show the version, or this help' },
  { flags: ['strategy', 'store'], help: 'plan (the model plans, code writes the project), whole (one prompt a file: 7B+) or guided; plan: sqlite or memory' },
  { flags: ['git', 'no-git'], help: 'commit each phase even inside your own repository; no git history at all' },
  { flags: ['coverage', 'budget'], help: 'test coverage goal in percent; minutes of working time, asleep not counted (0: none)' },
  { flags: ['review-plan', 'plan-only'], help: 'wait after the plan for `approve ID` before any code; or write plan.json and stop' },
  { flags: ['db', 'json'], help: 'SQLite mirror of every run; machine-readable status, list, plan and report' },
  { flags: ['review-timeout', 'on-review-timeout'], help: 'how long the plan waits for approval; then approve or stop' },
  { flags: ['at', 'every', 'tz'], help: "start at a time (01:30, 2026-12-03T01:30), and again every interval (24h), in a time zone (default this machine's)" },
  { flags: ['parallel', 'since'], help: 'batch items at once; report: runs started in this last while' },
  { flags: ['serve', 'task-queue'], help: 'worker: what it serves; task queue (model calls: QUEUE-model)' },
];

/** The flags of a group, one line each (flags that share a line are shown together). */
function flagLines(group: FlagSpec['group']): string[] {
  return (Object.keys(FLAGS) as FlagName[])
    .filter((name) => (FLAGS[name] as FlagSpec).group === group)
    .flatMap((name) => {
      const line = SHARED_LINES.find((l) => l.flags.includes(name));
      if (line && line.flags[0] !== name) return [];
      const names = line?.flags ?? [name];
      const specs = names.map((n) => FLAGS[n] as FlagSpec);
      const defaults = specs.filter((sp) => sp.kind !== 'bool' && sp.default !== '').map((sp) => JSON.stringify(sp.default));
      const env = specs.flatMap((sp) => (sp.env ? [`env ${sp.env}`] : []));
      const extra = [...(defaults.length ? [`default ${defaults.join(', ')}`] : []), ...env];
      const help = line?.help ?? specs[0].help;
      return [
        `  ${names
          .map((n) => `-${n}`)
          .join(', ')
          .padEnd(19)} ${help}${extra.length ? ` (${extra.join('; ')})` : ''}`,
      ];
    });
}

const groupSection = (group: FlagSpec['group']) => ['', `${GROUPS[group]} flags:`, ...flagLines(group)];
const EXIT_CODES = 'Exit codes: 0 valid (or validation skipped), 1 failed or invalid, 2 bad usage, 130 interrupted (the run goes on)';

/** The help topics beside the commands: every flag, by what it touches. */
export const HELP_TOPICS = ['flags'] as const;

/**
 * -help (one screen, at most 40 lines: the commands, two examples, the run flags), or a topic's:
 * `help flags` lists every flag by what it touches, `help batch` (or `batch -help`) one command
 * with the flags it takes. An unknown topic is bad usage naming the topics.
 */
export function helpText(version: string, topic?: string): string {
  if (topic === 'flags')
    return [`overnight-llm ${version}: every flag, by what it touches.`, ...Object.keys(GROUPS).flatMap((g) => groupSection(g as FlagSpec['group']))].join(
      '\n',
    );
  if (topic !== undefined) {
    const command = COMMANDS[topic as Command] as CommandSpec | undefined;
    if (!command) throw new UsageError(`help: no topic ${JSON.stringify(topic)}: the topics are ${[...HELP_TOPICS, ...Object.keys(COMMANDS)].join(', ')}`);
    return [`overnight-llm ${command.usage}: ${command.help}`, ...command.groups.flatMap(groupSection), '', EXIT_CODES].join('\n');
  }
  return [
    `overnight-llm ${version}: one sentence in, a tested Go REST API out, written overnight by a local LLM.`,
    '',
    'Usage:',
    ...Object.values(COMMANDS)
      .filter((c) => c.usage !== 'help [TOPIC]') // this help, named at its end
      .map((c) => `  overnight-llm ${c.usage.padEnd(16)} ${c.help}`),
    '',
    'Examples:',
    '  overnight-llm -prompt "REST API for todo list" -output ./todo-api -model qwen2.5-coder:7b',
    '  overnight-llm -prompt "REST API for notes" -output ./notes -model qwen2.5-coder:7b -strategy whole',
    ...groupSection('run'),
    '',
    'More: overnight-llm help flags (every flag), overnight-llm help COMMAND (one command and its flags).',
    EXIT_CODES,
  ].join('\n');
}
