// The CLI takes the proof of concept's Go-style flags; every bad value is a UsageError
// (exit code 2) whose message names the flag, so the user knows what to fix.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, FLAGS, UsageError } from '../../client/flags.js';
import { parseArgs } from '../../client/args.js';
import { normalizeOllamaUrl, parsePhaseOptions } from '../../client/flag-values.js';
import { helpText } from '../../client/help.js';
import { llmForPhase } from '../../activities/llm/phase-options.js';
import { closeMirrors } from '../../lib/db.js';
import { runInputFrom } from '../../client/run-input.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** parseArgs with an empty environment, so the machine's OLLAMA_HOST cannot leak in. */
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseArgs(argv, env);

function assertUsage(argv: string[], needle: RegExp | string, env: NodeJS.ProcessEnv = {}): void {
  assert.throws(
    () => parseArgs(argv, env),
    (err: unknown) => {
      assert.ok(err instanceof UsageError, `expected UsageError for ${JSON.stringify(argv)}, got ${String(err)}`);
      assert.equal((err as Error).name, 'UsageError');
      if (typeof needle === 'string') assert.ok((err as Error).message.includes(needle), `${JSON.stringify((err as Error).message)} should name ${needle}`);
      else assert.match((err as Error).message, needle);
      return true;
    },
  );
}

describe('flag syntax', () => {
  for (const argv of [['-output', 'x'], ['--output', 'x'], ['-output=x'], ['--output=x']]) {
    test(`${argv.join(' ')} sets output to x`, () => {
      const parsed = parse(argv);
      assert.equal(parsed.flags.output, 'x');
      assert.ok(parsed.given.has('output'));
      assert.equal(parsed.command, 'start');
      assert.deepEqual(parsed.positional, []);
    });
  }

  test('a value may contain "=" and spaces', () => {
    assert.equal(parse(['-prompt=a=b c']).flags.prompt, 'a=b c');
    assert.equal(parse(['-prompt', 'REST API for books, with authors']).flags.prompt, 'REST API for books, with authors');
  });

  test('bool flags: present means true, =false and =true work, -- too', () => {
    assert.equal(parse(['-skip-validation']).flags['skip-validation'], true);
    assert.equal(parse(['--skip-validation']).flags['skip-validation'], true);
    assert.equal(parse(['-skip-validation=true']).flags['skip-validation'], true);
    assert.equal(parse(['-skip-validation=false']).flags['skip-validation'], false);
    assert.equal(parse(['--allow-existing=false']).flags['allow-existing'], false);
    assert.equal(parse(['-allow-existing=1']).flags['allow-existing'], true);
    assert.equal(parse(['-skip-validation=0']).flags['skip-validation'], false);
    assert.equal(parse([]).flags['skip-validation'], false);
  });

  test('a bool flag does not swallow the next argument', () => {
    const parsed = parse(['-skip-validation', 'status']);
    assert.equal(parsed.flags['skip-validation'], true);
    assert.equal(parsed.command, 'status');
  });

  test('a bool flag with a bad value names the flag', () => assertUsage(['-skip-validation=maybe'], '-skip-validation'));

  test('numbers parse', () => {
    const f = parse(['-coverage', '85.5', '-max-repair-rounds=5', '--temperature', '0']).flags;
    assert.equal(f.coverage, 85.5);
    assert.equal(f['max-repair-rounds'], 5);
    assert.equal(f.temperature, 0);
  });

  test('the last of a repeated flag wins', () => assert.equal(parse(['-output', 'a', '-output', 'b']).flags.output, 'b'));

  test('-h and -help ask for help', () => {
    assert.equal(parse(['-h']).flags.help, true);
    assert.equal(parse(['--help']).flags.help, true);
    assert.equal(parse(['-version']).flags.version, true);
  });

  test('flags may come before or after the command', () => {
    assert.equal(parse(['status', '-json']).flags.json, true);
    assert.equal(parse(['-json', 'list']).command, 'list');
  });
});

describe('defaults', () => {
  test('the seed defaults', () => {
    const { flags, given, command } = parse([]);
    assert.equal(command, 'start');
    assert.equal(flags.output, './generated');
    assert.equal(flags.model, 'codellama:7b');
    assert.equal(flags.ollama, 'http://localhost:11434');
    assert.equal(flags.prompt, 'REST API for todo list');
    assert.equal(flags.db, './poc.db');
    assert.equal(flags.temporal, 'localhost:7233');
    assert.equal(flags['skip-validation'], false);
    assert.equal(flags['allow-existing'], false);
    assert.equal(given.size, 0, 'defaults are not "given"');
  });
});

describe('environment', () => {
  test('OLLAMA_HOST is used when -ollama is absent', () => {
    assert.equal(parse([], { OLLAMA_HOST: 'http://gpu-box:11434' }).flags.ollama, 'http://gpu-box:11434');
  });

  test('OVERNIGHT_MODEL, the variable docker-compose.yml pulls, is -model when -model is absent', () => {
    assert.equal(parse([], { OVERNIGHT_MODEL: 'qwen2.5-coder:1.5b' }).flags.model, 'qwen2.5-coder:1.5b');
    assert.equal(parse(['-model', 'llama3'], { OVERNIGHT_MODEL: 'qwen2.5-coder:1.5b' }).flags.model, 'llama3');
  });

  test('the scheme-less OLLAMA_HOST form is normalised', () => {
    assert.equal(parse([], { OLLAMA_HOST: '127.0.0.1:11434' }).flags.ollama, 'http://127.0.0.1:11434');
    assert.equal(normalizeOllamaUrl('127.0.0.1:11434'), 'http://127.0.0.1:11434');
    assert.equal(normalizeOllamaUrl('http://localhost:11434/'), 'http://localhost:11434');
  });

  test('TEMPORAL_ADDRESS is used when -temporal is absent', () => {
    assert.equal(parse([], { TEMPORAL_ADDRESS: 'temporal.internal:7233' }).flags.temporal, 'temporal.internal:7233');
  });

  test('an empty env var falls back to the default', () => {
    const f = parse([], { OLLAMA_HOST: '', TEMPORAL_ADDRESS: '' }).flags;
    assert.equal(f.ollama, 'http://localhost:11434');
    assert.equal(f.temporal, 'localhost:7233');
  });

  test('the flag wins over the env', () => {
    const env = { OLLAMA_HOST: 'http://env-host:1', TEMPORAL_ADDRESS: 'env-host:2' };
    const f = parse(['-ollama', 'http://flag-host:11434', '--temporal=flag-host:7233'], env).flags;
    assert.equal(f.ollama, 'http://flag-host:11434');
    assert.equal(f.temporal, 'flag-host:7233');
  });

  test('OLLAMA_HOST takes every form Ollama itself accepts; without a scheme the port is 11434', () => {
    const cases: [string, string][] = [
      ['gpu-box', 'http://gpu-box:11434'],
      ['localhost', 'http://localhost:11434'],
      ['0.0.0.0', 'http://127.0.0.1:11434'],
      ['0.0.0.0:9999', 'http://127.0.0.1:9999'],
      [':11435', 'http://127.0.0.1:11435'],
      ['::1', 'http://[::1]:11434'],
      ['[::1]:8080', 'http://[::1]:8080'],
      [' gpu-box:80 ', 'http://gpu-box'],
      ['http://gpu-box', 'http://gpu-box'],
      ['https://models.example.com/ollama/', 'https://models.example.com/ollama'],
    ];
    for (const [raw, want] of cases) assert.equal(parse([], { OLLAMA_HOST: raw }).flags.ollama, want, raw);
    assert.equal(parse(['-ollama', '0.0.0.0']).flags.ollama, 'http://127.0.0.1:11434');
  });

  test('a bad env value is reported under the variable the user set', () => {
    assertUsage([], /^OLLAMA_HOST takes .* not "ftp:\/\/x"$/, { OLLAMA_HOST: 'ftp://x' });
    assertUsage([], /^TEMPORAL_ADDRESS takes host:port/, { TEMPORAL_ADDRESS: 'localhost' });
    assertUsage([], /^OVERNIGHT_MODEL "a b" is not an Ollama model name/, { OVERNIGHT_MODEL: 'a b' });
    assertUsage(['-ollama', 'ftp://x'], /^-ollama takes /, { OLLAMA_HOST: 'gpu-box' });
    assertUsage(['-ollama', 'http://user:secret@host'], /^-ollama takes /);
  });

  test('-ollama-wait is minutes, 0 to 1440', () => {
    assert.equal(parse([]).flags['ollama-wait'], 30);
    assert.equal(parse(['-ollama-wait', '0']).flags['ollama-wait'], 0);
    assertUsage(['-ollama-wait', '1441'], '-ollama-wait must be between 0 and 1440');
  });
});

describe('commands', () => {
  test('start is the default', () => assert.equal(parse(['-output', 'x']).command, 'start'));
  test('start explicitly', () => assert.equal(parse(['start']).command, 'start'));
  test('attach ID', () => {
    const p = parse(['attach', 'overnight-llm-abc123']);
    assert.equal(p.command, 'attach');
    assert.deepEqual(p.positional, ['overnight-llm-abc123']);
  });
  test('status with and without an id', () => {
    assert.equal(parse(['status']).command, 'status');
    assert.deepEqual(parse(['status', 'run-1']).positional, ['run-1']);
  });
  test('list', () => assert.equal(parse(['list']).command, 'list'));
  test('cancel ID', () => {
    const p = parse(['cancel', 'run-1']);
    assert.equal(p.command, 'cancel');
    assert.deepEqual(p.positional, ['run-1']);
  });
  test('worker', () => assert.equal(parse(['worker']).command, 'worker'));
  test('every command is known', () => {
    for (const c of ['start', 'attach', 'status', 'list', 'cancel', 'worker', 'help']) assert.ok(Object.hasOwn(COMMANDS, c), c);
    assert.equal(parse(['help']).command, 'help');
  });
  test('resume is no second name for attach', () => assertUsage(['resume', 'run-1'], /unknown command "resume"/));
});

describe('bad usage names the flag', () => {
  test('unknown flag', () => {
    assertUsage(['-outptu', 'x'], '-outptu');
    assertUsage(['--no-such-flag=1'], '--no-such-flag');
  });
  test('missing value', () => {
    assertUsage(['-output'], '-output');
    assertUsage(['start', '--model'], '-model');
  });
  test('non-numeric -coverage', () => {
    assertUsage(['-coverage', 'high'], '-coverage');
    assertUsage(['-coverage='], '-coverage');
    assertUsage(['-coverage', '80%'], '-coverage');
  });
  test('-max-repair-rounds out of range or not whole', () => {
    assertUsage(['-max-repair-rounds', '11'], '-max-repair-rounds');
    assertUsage(['-max-repair-rounds', '-1'], '-max-repair-rounds');
    assertUsage(['-max-repair-rounds', '2.5'], '-max-repair-rounds');
  });
  test('-coverage out of range', () => assertUsage(['-coverage', '101'], '-coverage'));
  test('empty -output', () => {
    assertUsage(['-output='], '-output');
    assertUsage(['-output', ''], '-output');
    assertUsage(['-output', '   '], '-output');
  });
  test('bad -ollama URL', () => {
    assertUsage(['-ollama', 'ftp://x'], '-ollama');
    assertUsage(['-ollama', 'not a url'], '-ollama');
    assertUsage(['-ollama='], '-ollama');
  });
  test('bad -model syntax', () => {
    assertUsage(['-model', 'bad model!'], '-model');
    assertUsage(['-model', '../x'], '-model');
    assertUsage(['-model', 'codellama:7b;rm -rf /'], '-model');
  });
  test('good model names pass', () => {
    for (const m of ['codellama:7b', 'llama3.2', 'qwen2.5-coder:1.5b', 'hf.co/bartowski/SmolLM2-135M-Instruct-GGUF:Q4_K_M', 'library/llama3:latest'])
      assert.equal(parse(['-model', m]).flags.model, m);
  });
  test('bad -temporal', () => {
    assertUsage(['-temporal', 'localhost'], '-temporal');
    assertUsage(['-temporal', 'http://localhost:7233'], '-temporal');
  });
  test('attach without an id', () => assertUsage(['attach'], 'attach'));
  test('cancel with two ids', () => assertUsage(['cancel', 'a', 'b'], 'cancel'));
  test('an unknown command', () => assertUsage(['deploy'], 'deploy'));
  test('list takes at most one filter', () => assertUsage(['list', 'a', 'b'], 'list'));
});

describe('helpText', () => {
  const text = helpText('0.1.0');
  const flags = helpText('0.1.0', 'flags');
  test('-help fits in 40 lines: every command, two examples, the run flags, where to find more, the exit codes', () => {
    const lines = text.split('\n');
    assert.ok(lines.length <= 40, `${lines.length} lines`);
    assert.ok(text.includes('0.1.0'));
    for (const c of Object.keys(COMMANDS).filter((c) => c !== 'help'))
      assert.match(text, new RegExp(`overnight-llm (\\[${c}\\]|${c})`), `help shows the ${c} command`);
    assert.deepEqual(
      lines.filter((l) => / flags:$/.test(l)),
      ['Run flags:'],
    );
    assert.equal(lines.filter((l) => /^  overnight-llm -prompt /.test(l)).length, 2);
    assert.match(text, /overnight-llm help flags .*overnight-llm help COMMAND/);
    for (const code of ['0 valid', '1 failed', '2 bad usage', '130 interrupted']) assert.ok(text.includes(code), code);
  });
  test('help flags lists every flag by what it touches, with the seed defaults', () => {
    for (const name of Object.keys(FLAGS)) assert.match(flags, new RegExp(`^  (-[a-z-]+, )*-${name}[ ,]`, 'm'), `-${name} missing from help flags`);
    for (const d of ['./generated', 'codellama:7b', 'http://localhost:11434', 'OLLAMA_HOST', 'localhost:7233', 'TEMPORAL_ADDRESS', './poc.db'])
      assert.ok(flags.includes(d), `help flags shows ${d}`);
    const headings = flags.split('\n').filter((l) => / flags:$/.test(l));
    assert.deepEqual(headings, ['Run flags:', 'Night and morning flags:', 'Model flags:', 'Temporal flags:', 'Records and output flags:']);
    const section = (title: string) => flags.split(`${title} flags:\n`)[1]!.split('\n\n')[0]!;
    assert.match(section('Model'), /-ollama /);
    assert.match(section('Temporal'), /-task-queue /);
  });
  test('help COMMAND (and COMMAND -help) shows that command and the flags it takes; an unknown topic is bad usage naming the topics', () => {
    const batch = helpText('0.1.0', 'batch');
    assert.match(batch.split('\n')[0]!, /^overnight-llm batch FILE: one run per line/);
    assert.match(batch, /-parallel/);
    assert.doesNotMatch(helpText('0.1.0', 'cancel'), /-prompt/);
    assert.throws(
      () => helpText('0.1.0', 'nope'),
      (e: Error) => e instanceof UsageError && /no topic "nope": the topics are flags, start, attach/.test(e.message),
    );
    assert.equal(parse(['batch', '-help']).command, 'batch', 'batch -help needs no file');
  });
});

describe('-phase-options', () => {
  test('sets options for some phases over the run-wide ones', () => {
    const { flags } = parseArgs(['-temperature', '0.4', '-phase-options', 'plan:temperature=0; tests:num_ctx=16384,temperature=0.1;repair:seed=7'], {});
    const phaseOptions = parsePhaseOptions(flags['phase-options']);
    assert.deepEqual(phaseOptions, { plan: { temperature: 0 }, tests: { num_ctx: 16384, temperature: 0.1 }, repair: { seed: 7 } });
    const llm = {
      serverUrl: 'http://x',
      model: 'm',
      options: { temperature: 0.4, num_ctx: 8192, seed: 42 },
      callTimeoutMs: 1,
      stallTimeoutMs: 1,
      maxOutputBytes: 1,
      phaseOptions,
    };
    assert.deepEqual(llmForPhase(llm, 'tests').options, { temperature: 0.1, num_ctx: 16384, seed: 42 });
    assert.deepEqual(llmForPhase(llm, 'plan').options, { temperature: 0, num_ctx: 8192, seed: 42 });
    assert.equal(llmForPhase(llm, 'models'), llm, 'a phase without its own options uses the run-wide ones');
  });

  test('is empty by default', () => assert.deepEqual(parsePhaseOptions(parseArgs([], {}).flags['phase-options']), {}));
  test('an unknown phase is named', () => assertUsage(['-phase-options', 'deploy:temperature=0'], /-phase-options .*unknown phase "deploy"/));
  test('an unknown option is named', () => assertUsage(['-phase-options', 'plan:top_k=3'], /unknown option "top_k"/));
  test('a value out of range is named', () => assertUsage(['-phase-options', 'plan:temperature=3'], /temperature takes a number from 0 to 2, not "3"/));
  test('a missing value is named', () => assertUsage(['-phase-options', 'plan:num_ctx='], /num_ctx takes a whole number/));
  test('a part without options is refused', () => assertUsage(['-phase-options', 'plan'], /write PHASE:option=value/));
});

/** The run input `argv` gives, with its output folder and mirror in a scratch folder. */
function runInputOf(argv: string[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overnight-flags-'));
  try {
    return runInputFrom(parse(['-output', path.join(dir, 'out'), '-db', path.join(dir, 'poc.db'), ...argv]).flags);
  } finally {
    closeMirrors();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('-strategy, -store', () => {
  // The strategy that delivers is the default for every way of starting a run; the others stay options.
  const writerOf = (argv: string[]) => {
    const { strategy, store } = runInputOf(argv);
    return store === undefined ? { strategy } : { strategy, store };
  };
  test('plan by default, its items in SQLite', () => assert.deepEqual(writerOf([]), { strategy: 'plan', store: 'sqlite' }));
  test('plan with -store memory; whole and guided on request, without a store', () => {
    assert.deepEqual(writerOf(['-store', 'memory']), { strategy: 'plan', store: 'memory' });
    assert.deepEqual(writerOf(['-strategy', 'whole']), { strategy: 'whole' });
    assert.deepEqual(writerOf(['-strategy', 'guided']), { strategy: 'guided' });
  });
  test('the help names the default', () => assert.match(helpText('0.1.0', 'flags'), /^ {2}-strategy, -store .*\(default "plan", "sqlite"\)$/m));
  test('an unknown strategy is bad usage naming the three', () => assertUsage(['-strategy', 'fast'], '-strategy must be guided, whole, plan, not "fast"'));
});

describe('-num-predict', () => {
  // Ollama shifts its context and keeps generating: the cap is what stops a looping model.
  const optionsFor = (argv: string[]) => runInputOf(argv).llm.options;
  test('caps every answer at 4096 tokens by default', () => assert.equal(optionsFor([]).num_predict, 4096));
  test('takes another cap, and 0 for none', () => {
    assert.equal(optionsFor(['-num-predict', '2048']).num_predict, 2048);
    assert.equal('num_predict' in optionsFor(['-num-predict', '0']), false);
  });
  test('a negative cap is bad usage naming the flag', () => assertUsage(['-num-predict', '-5'], /-num-predict must be between 0 and/));
});

describe('-git, -no-git', () => {
  const gitOf = (argv: string[]) => runInputOf(argv).git;
  test('history in a repository of the run own by default; -git also in yours; -no-git none', () => {
    assert.deepEqual([gitOf([]), gitOf(['-git']), gitOf(['-no-git'])], ['auto', 'on', 'off']);
  });
  test('both at once is bad usage', () => assertUsage(['-git', '-no-git'], '-git and -no-git contradict each other'));
});
