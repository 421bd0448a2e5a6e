// The tail of a tool's output the run keeps (activities/go/run-tool.ts): at most `max` bytes,
// starting at a whole line, never with a broken character.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutputTail } from '../../activities/go/run-tool.js';

test('a tail cut inside a line starts at the next whole line (the "1" of a cut "19751" is no line of its own)', () => {
  const lines = ['19750\n', '19751\n', '19752\n', 'done\n'];
  const tail = (max: number) => {
    const t = new OutputTail(max);
    for (const chunk of lines) t.push(Buffer.from(chunk));
    return t.toString();
  };
  assert.equal(tail(13), '19752\ndone\n', 'cut inside "19751\n": from the next line');
  assert.equal(tail(11), '19752\ndone\n', 'cut at a line start: that line is whole and stays');
  assert.equal(tail(10), 'done\n');
  const whole = new OutputTail(100);
  whole.push(Buffer.from('a\nb\n'));
  assert.equal(whole.toString(), 'a\nb\n', 'short output is kept whole');
});

test('one long line cut inside a UTF-8 character shows no replacement character', () => {
  const t = new OutputTail(7);
  t.push(Buffer.from('ééééééé'));
  const s = t.toString();
  assert.ok(!s.includes('\uFFFD'), s);
  assert.ok(Buffer.byteLength(s) <= 7);
  assert.match(s, /^é+$/);
});
