// The night's inputs before any server is asked: durations and clock times, the schedule a -at or
// -every makes, batch files and their folders, the flags that only some commands take, and the
// morning report's table.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { renderReport, type ReportRow } from '../../lib/morning-report.js';
import { itemFolders, readBatchFile } from '../../client/batch-file.js';
import { UsageError } from '../../client/flags.js';
import { parseArgs } from '../../client/args.js';
import { scheduleSpecFor, timeOfDayCalendar } from '../../client/schedules.js';
import { formatDuration, parseDuration, parseStartTime } from '../../client/time-flags.js';
import { folderForStart } from '../../core/layout.js';

const usage = (argv: string[]) => assert.throws(() => parseArgs(argv, {}), UsageError);
const message = (argv: string[]) => {
  try {
    parseArgs(argv, {});
  } catch (err) {
    return (err as Error).message;
  }
  return assert.fail(`${argv.join(' ')} was accepted`);
};

describe('durations and clock times', () => {
  test('Go-style durations with days; anything else is null', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('7d'), 7 * 86_400_000);
    for (const bad of ['', '1', 'h', '1.5h', '30 m', '-1h', '1m1h']) assert.equal(parseDuration(bad), null, bad);
    assert.equal(formatDuration(5_400_000), '1 h 30 min');
    assert.equal(formatDuration(1500), '2 s');
  });

  test('-at HH:MM is the next such local time; a date-time must be well formed', () => {
    const now = new Date(2026, 11, 2, 22, 0, 0);
    assert.deepEqual(parseStartTime('23:15', now), new Date(2026, 11, 2, 23, 15, 0));
    assert.deepEqual(parseStartTime('01:30', now), new Date(2026, 11, 3, 1, 30, 0), 'past today: tomorrow');
    assert.deepEqual(parseStartTime('22:00', now), new Date(2026, 11, 3, 22, 0, 0), 'now itself is past');
    assert.deepEqual(parseStartTime('2026-12-03T01:30Z', now), new Date(Date.UTC(2026, 11, 3, 1, 30)));
    for (const bad of ['24:00', '1:60', 'tonight', '2026-12-03', '2026-13-03T01:30']) assert.equal(parseStartTime(bad, now), null, bad);
  });

  test('-at in -tz: a clock time and a date-time without offset are read on a clock there', () => {
    const now = new Date(Date.UTC(2026, 11, 2, 22, 0)); // 23:00 in Berlin, 17:00 in New York
    assert.deepEqual(parseStartTime('01:30', now, 'Europe/Berlin'), new Date(Date.UTC(2026, 11, 3, 0, 30)), 'tomorrow 01:30 in Berlin');
    assert.deepEqual(parseStartTime('18:00', now, 'America/New_York'), new Date(Date.UTC(2026, 11, 2, 23, 0)), 'today 18:00 in New York');
    assert.deepEqual(parseStartTime('2027-07-01T09:00', now, 'America/New_York'), new Date(Date.UTC(2027, 6, 1, 13, 0)), 'summer time there: UTC-4');
    assert.deepEqual(parseStartTime('2027-07-01T09:00Z', now, 'America/New_York'), new Date(Date.UTC(2027, 6, 1, 9, 0)), 'an offset of its own wins');
    // The night of a change: 01:30 in Berlin on 2027-03-28 is still winter time (the clock jumps at 02:00).
    assert.deepEqual(parseStartTime('2027-03-28T01:30', now, 'Europe/Berlin'), new Date(Date.UTC(2027, 2, 28, 0, 30)));
    assert.deepEqual(parseStartTime('2027-03-29T01:30', now, 'Europe/Berlin'), new Date(Date.UTC(2027, 2, 28, 23, 30)));
  });

  test("-tz: a time zone name, default this machine's, with -at or -every only", () => {
    assert.equal(parseArgs(['-at', '01:30'], {}).flags.tz, Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.equal(parseArgs(['-every', '24h', '-tz', 'Asia/Tokyo'], {}).flags.tz, 'Asia/Tokyo');
    assert.match(message(['-every', '24h', '-tz', 'Mars/Olympus']), /^-tz takes a time zone name like Europe\/Berlin/);
    assert.match(message(['-tz', 'Asia/Tokyo']), /^-tz is the time zone of -at and -every: pass one of them too/);
    assert.match(message(['list', '-tz', 'Asia/Tokyo']), /^-tz is for start or batch, not list/);
  });
});

describe('the schedule of -at and -every', () => {
  const at = new Date(Date.UTC(2026, 11, 3, 1, 30, 5));
  test('-at alone: one calendar moment, in UTC', () => {
    assert.deepEqual(scheduleSpecFor(at, null, new Date(), 'Europe/Berlin').calendars, [
      { year: 2026, month: 'DECEMBER', dayOfMonth: 3, hour: 1, minute: 30, second: 5 },
    ]);
  });
  test('-every 90m with -at: an interval whose starts fall exactly on -at, and every interval after it', () => {
    const every = 90 * 60_000;
    const spec = scheduleSpecFor(at, every, new Date(), 'Europe/Berlin');
    const interval = spec.intervals![0]! as { every: number; offset: number };
    assert.equal((at.getTime() - interval.offset) % every, 0, 'a start at -at');
    assert.ok((spec.startAt as Date).getTime() < at.getTime() && (spec.startAt as Date).getTime() > at.getTime() - every, 'none before it');
  });
  test('-every a day, a week or hours that divide a day: a calendar at the time of day on a clock in -tz, from -at on', () => {
    // 01:30:05 UTC on a Thursday is 02:30:05 in Berlin (winter) and 20:30:05 the day before in New York.
    const daily = scheduleSpecFor(at, 86_400_000, new Date(), 'Europe/Berlin');
    assert.deepEqual(daily.calendars, [{ hour: 2, minute: 30, second: 5 }]);
    assert.equal(daily.timezone, 'Europe/Berlin');
    assert.equal(daily.intervals, undefined);
    assert.equal((daily.startAt as Date).getTime(), at.getTime() - 1000, 'none before -at');
    assert.deepEqual(scheduleSpecFor(at, 86_400_000, new Date(), 'America/New_York').calendars, [{ hour: 20, minute: 30, second: 5 }]);
    assert.deepEqual(timeOfDayCalendar(at, 7 * 86_400_000, 'Europe/Berlin'), { hour: 2, minute: 30, second: 5, dayOfWeek: 'THURSDAY' });
    assert.deepEqual(timeOfDayCalendar(at, 12 * 3_600_000, 'Europe/Berlin'), { hour: { start: 2, end: 23, step: 12 }, minute: 30, second: 5 });
    for (const other of [2 * 86_400_000, 5 * 3_600_000, 30 * 60_000]) assert.equal(timeOfDayCalendar(at, other, 'Europe/Berlin'), null, String(other));
  });
  test('-every: each start writes into a folder of its own, named after the start', () => {
    assert.equal(folderForStart('/night/todo-api/', at), '/night/todo-api/2026-12-03-013005');
  });
});

describe('flags of the night', () => {
  test('values are checked, with the flag named', () => {
    assert.match(message(['-review-plan', '-review-timeout', 'soon']), /^-review-timeout takes a duration like 90s/);
    assert.match(message(['-review-plan', '-on-review-timeout', 'maybe']), /^-on-review-timeout must be approve or stop/);
    assert.match(message(['-at', '25:00']), /^-at takes a time like 01:30/);
    assert.match(message(['-at', '2020-01-01T01:30']), /^-at takes a time like 01:30 .*in the future/);
    assert.match(message(['-every', '30s']), /^-every must be at least 1m/);
    assert.match(message(['batch', 'f.txt', '-parallel', '0']), /^-parallel must be between 1 and 16/);
  });
  test('a flag for another command, or flags that contradict, are refused', () => {
    assert.match(message(['-edit', 'plan.json']), /^-edit is for approve, not start/);
    assert.match(message(['-parallel', '2']), /^-parallel is for batch, not start/);
    assert.match(message(['list', '-since', '2h']), /^-since is for report, not list/);
    assert.match(message(['-review-plan', '-plan-only']), /contradict/);
    assert.match(message(['-at', '01:30', '-detach']), /drop -detach/);
    assert.match(message(['batch']), /^batch takes one file: overnight-llm batch FILE/);
    usage(['approve']);
  });
  test('good ones parse', () => {
    const { flags, command } = parseArgs(['approve', 'overnight-x', '-edit', 'p.json'], {});
    assert.equal(command, 'approve');
    assert.equal(flags.edit, 'p.json');
    assert.equal(parseArgs(['report', '-since', '12h'], {}).flags.since, '12h');
  });
});

describe('batch files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overnight-batch-file-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  test('one prompt a line, comments and blank lines skipped; or a YAML/JSON list with output and model', () => {
    assert.deepEqual(readBatchFile(file('a.txt', '# tonight\nREST API for todo list\n\n  REST API for notes  \n')), [
      { prompt: 'REST API for todo list' },
      { prompt: 'REST API for notes' },
    ]);
    assert.deepEqual(readBatchFile(file('b.yaml', '- REST API for todo list\n- prompt: REST API for notes\n  output: notes\n  model: qwen2.5-coder:1.5b\n')), [
      { prompt: 'REST API for todo list' },
      { prompt: 'REST API for notes', output: 'notes', model: 'qwen2.5-coder:1.5b' },
    ]);
    assert.deepEqual(readBatchFile(file('c.json', '["REST API for books"]')), [{ prompt: 'REST API for books' }]);
  });

  test('each problem names the file and the item', () => {
    assert.throws(() => readBatchFile(file('empty.txt', '# nothing\n')), /empty\.txt has no prompts/);
    assert.throws(() => readBatchFile(file('d.yaml', '- prompt: x\n  folder: y\n')), /d\.yaml, item 1: unknown key "folder"/);
    assert.throws(() => readBatchFile(file('e.yaml', '- prompt: ""\n')), /e\.yaml, item 1: "prompt" must be a sentence/);
    assert.throws(() => readBatchFile(file('f.yaml', '- prompt: x\n  model: "bad model!"\n')), /item 1: "model" must be an Ollama model name/);
    assert.throws(() => readBatchFile(file('g.yaml', 'prompt: x\n')), /must hold a list/);
    assert.throws(() => readBatchFile(path.join(dir, 'missing.txt')), /cannot be read \(ENOENT\)/);
  });

  test('folders: named after the prompt, no two alike; two items may not name the same output', () => {
    const folders = itemFolders([{ prompt: 'REST API for todo list' }, { prompt: 'REST API for todo list!' }, { prompt: '???' }], '/night');
    assert.deepEqual(folders, ['/night/rest-api-for-todo-list', '/night/rest-api-for-todo-list-2', '/night/item-3']);
    assert.throws(
      () =>
        itemFolders(
          [
            { prompt: 'a', output: 'x' },
            { prompt: 'b', output: 'x' },
          ],
          '/night',
        ),
      /two items write to \/night\/x/,
    );
  });
});

describe('the morning report', () => {
  const row = (over: Partial<ReportRow>): ReportRow => ({
    workflowId: 'overnight-x-1',
    prompt: 'REST API for todo list',
    outcome: 'valid',
    coveragePercent: 76.44,
    startedAt: '2026-12-02T01:30:00.000Z',
    wallMs: 150_000,
    workingMs: 140_000,
    tokensIn: 1200,
    tokensOut: 3400,
    repairRounds: 1,
    webUi: 'http://localhost:8233/namespaces/default/workflows/overnight-x-1',
    folder: '/night/todo',
    error: null,
    fidelity: ['✓ todo → /todos: GET, POST, GET, PUT, DELETE', '✗ login: not built — authentication: the generated API has no users or login'],
    ...over,
  });

  test('a table row per run, then each run in detail; a pipe or a newline in a prompt cannot break the table', () => {
    const text = renderReport(
      [row({}), row({ prompt: 'API | with\npipes', outcome: 'failed', coveragePercent: null, error: 'the model gave no valid plan' })],
      'a batch of 2',
      new Date(0),
    );
    const rows = text.split('\n').filter((l) => /^\| \d /.test(l));
    assert.deepEqual(rows, [
      '| 1 | REST API for todo list | valid | 76.4 % | 2.5 min (2.3 min) | 1200 / 3400 | 1 | /night/todo |',
      '| 2 | API \\| with pipes | failed | – | 2.5 min (2.3 min) | 1200 / 3400 | 1 | /night/todo |',
    ]);
    assert.match(text, /^1970-01-01T00:00:00\.000Z · 2 runs: 1 valid, 1 failed$/m);
    assert.match(text, /^- outcome: failed — the model gave no valid plan$/m);
    assert.match(text, /^- Web UI: http:\/\/localhost:8233\/namespaces\/default\/workflows\/overnight-x-1$/m);
    // What was asked and where it is, what is not built, under each run.
    assert.match(text, /^- what was asked for, and where it is:\n  - ✓ todo → \/todos: GET, POST, GET, PUT, DELETE\n  - ✗ login: not built — authentication/m);
  });
});
