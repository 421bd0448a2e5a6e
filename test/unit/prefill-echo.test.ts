// A server that continues a prefilled answer but repeats it first (llama.cpp's llama-server as
// llama-cpp-python 0.3.36 serves it: "1, 2, 3, 4, 5, 6," came back "1, 2, 3, 4, 5, 6, " then "7"):
// where the repeat ends, white space aside, and when the stream is too short to tell.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterEcho } from '../../activities/llm/server-profile.js';

test('the repeat of a prefill ends after its last character, a space moved across its end or not', () => {
  const prefix = '1, 2, 3, 4, 5, 6,';
  assert.equal(afterEcho('1, 2, 3, 4, 5, 6, 7, 8', prefix), prefix.length);
  assert.equal('1, 2, 3, 4, 5, 6, 7, 8'.slice(afterEcho('1, 2, 3, 4, 5, 6, 7, 8', prefix)!), ' 7, 8');
  const code = 'func (s *Store) Finish(id int) error {\n';
  assert.equal(
    'func (s *Store) Finish(id int) error {  \n\treturn nil\n}'.slice(afterEcho('func (s *Store) Finish(id int) error {  \n\treturn nil\n}', code)!),
    '  \n\treturn nil\n}',
  );
});

test('no repeat: -1 at the first character that differs; too short to tell: null', () => {
  assert.equal(afterEcho(' 7, 8, 9', '1, 2, 3, 4, 5, 6,'), -1);
  assert.equal(afterEcho('\treturn nil\n}', 'func Finish() error {\n'), -1);
  assert.equal(afterEcho('1, 2, 3', '1, 2, 3, 4, 5, 6,'), null);
});
