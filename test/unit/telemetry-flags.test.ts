// What operators set on a worker: -metrics (a Prometheus endpoint of this process's worker) and -log-level
// (env OVERNIGHT_LOG_LEVEL), checked before any server is asked; log entries as one JSON line each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../client/flags.js';
import { parseArgs } from '../../client/args.js';
import { jsonLogLine } from '../../client/runtime-setup.js';

const message = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    parseArgs(argv, env);
  } catch (err) {
    assert.ok(err instanceof UsageError);
    return err.message;
  }
  return assert.fail(`${argv.join(' ')} was accepted`);
};

test('-metrics takes host:port, for a command with a worker in this process', () => {
  assert.equal(parseArgs(['worker', '-metrics', '0.0.0.0:9464'], {}).flags.metrics, '0.0.0.0:9464');
  assert.equal(parseArgs(['worker'], {}).flags.metrics, '', 'no endpoint unless asked');
  assert.match(message(['worker', '-metrics', '9464']), /^-metrics takes host:port like 127\.0\.0\.1:9464/);
  // The CLI's own run, a batch and attach run their worker in this process: the endpoint is theirs.
  for (const argv of [
    ['-metrics', '127.0.0.1:9464'],
    ['attach', 'ID', '-metrics', '127.0.0.1:9464'],
    ['batch', 'f.txt', '-metrics', '127.0.0.1:9464'],
  ])
    assert.equal(parseArgs(argv, {}).flags.metrics, '127.0.0.1:9464', argv.join(' '));
  assert.match(message(['watch', 'ID', '-metrics', '127.0.0.1:9464']), /^-metrics is for worker or start or attach or batch, not watch/);
  for (const extra of [['-detach'], ['-at', '23:59', '-tz', 'UTC'], ['-every', '24h']])
    assert.match(
      message(['-metrics', '127.0.0.1:9464', ...extra]),
      /^-metrics serves this process's worker, and with -detach, -at or -every the run's worker is elsewhere/,
    );
});

test('-log-level: ERROR by default; the flag or OVERNIGHT_LOG_LEVEL, any case; anything else named with its source', () => {
  assert.equal(parseArgs([], {}).flags['log-level'], 'ERROR');
  assert.equal(parseArgs(['-log-level', 'info'], {}).flags['log-level'], 'INFO');
  assert.equal(parseArgs([], { OVERNIGHT_LOG_LEVEL: 'warn' }).flags['log-level'], 'WARN');
  assert.equal(parseArgs(['-log-level', 'DEBUG'], { OVERNIGHT_LOG_LEVEL: 'warn' }).flags['log-level'], 'DEBUG', 'the flag wins');
  assert.match(message(['-log-level', 'loud']), /^-log-level must be TRACE, DEBUG, INFO, WARN, ERROR, not "LOUD"$/);
  assert.match(message([], { OVERNIGHT_LOG_LEVEL: 'verbose' }), /^OVERNIGHT_LOG_LEVEL must be TRACE/);
});

test('a log entry is one JSON line: time, level, message, then the SDK fields, bigints and errors included', () => {
  const line = jsonLogLine({
    level: 'WARN',
    message: 'Activity failed',
    timestampNanos: 1_764_800_000_123_000_000n,
    meta: { workflowId: 'overnight-x', attempt: 2n, error: new Error('boom') },
  });
  assert.doesNotMatch(line, /\n/);
  const entry = JSON.parse(line) as Record<string, unknown>;
  assert.deepEqual(
    { time: entry.time, level: entry.level, message: entry.message, workflowId: entry.workflowId, attempt: entry.attempt },
    { time: '2025-12-03T22:13:20.123Z', level: 'WARN', message: 'Activity failed', workflowId: 'overnight-x', attempt: '2' },
  );
  assert.equal((entry.error as { message: string }).message, 'boom');
});
