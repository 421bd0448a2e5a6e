// Temporal as deployed: -temporal and -namespace given on the command line win over the Temporal
// profile (temporal.toml, TEMPORAL_* variables), which wins over the flags' defaults; TLS and the
// API key come from the profile.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseArgs } from '../../client/args.js';
import { applyTemporalProfile, isSecured, temporalConnectOptions } from '../../client/temporal-connection.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'overnight-temporal-profile-'));
const file = path.join(dir, 'temporal.toml');
writeFileSync(
  file,
  '[profile.default]\naddress = "file-host:7233"\nnamespace = "from-file"\n\n[profile.cloud]\naddress = "ns.acct.tmprl.cloud:7233"\nnamespace = "ns.acct"\napi_key = "k-123"\n',
);

function resolved(argv: string[], env: NodeJS.ProcessEnv) {
  const { flags, given } = parseArgs(argv, env);
  applyTemporalProfile(flags, given, env);
  return { address: flags.temporal, namespace: flags.namespace, options: temporalConnectOptions(flags, env) };
}

test('the profile gives address and namespace; no profile file leaves the defaults', () => {
  assert.deepEqual(resolved([], { TEMPORAL_CONFIG_FILE: file }), { address: 'file-host:7233', namespace: 'from-file', options: { address: 'file-host:7233' } });
  const none = resolved([], { TEMPORAL_CONFIG_FILE: path.join(dir, 'missing.toml') });
  assert.deepEqual([none.address, none.namespace], ['localhost:7233', 'default']);
});

test('an explicit flag wins over the profile; TEMPORAL_ADDRESS wins over the file', () => {
  const env = { TEMPORAL_CONFIG_FILE: file };
  assert.deepEqual(resolved(['-temporal', 'flag-host:7233', '-namespace', 'mine'], env).options, { address: 'flag-host:7233' });
  assert.equal(resolved(['-namespace', 'mine'], env).namespace, 'mine');
  assert.equal(resolved([], { ...env, TEMPORAL_ADDRESS: 'env-host:7233' }).address, 'env-host:7233');
});

test('a profile with an API key is secured: TLS on, the key sent, never a server the CLI starts', () => {
  const { address, namespace, options } = resolved([], { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud' });
  assert.deepEqual([address, namespace], ['ns.acct.tmprl.cloud:7233', 'ns.acct']);
  assert.deepEqual(options, { address, tls: true, apiKey: 'k-123' });
  assert.equal(isSecured(options), true);
  assert.equal(isSecured(resolved([], { TEMPORAL_CONFIG_FILE: file }).options), false);
});

test('a bad profile or address is one line naming the variables to check', () => {
  assert.throws(
    () => resolved([], { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' }),
    /^UsageError: the Temporal connection settings cannot be read \(Profile 'nope' not found in config data\): check TEMPORAL_PROFILE/,
  );
  writeFileSync(path.join(dir, 'bad.toml'), '[profile.default]\naddress = "no port here"\n');
  assert.throws(() => resolved([], { TEMPORAL_CONFIG_FILE: path.join(dir, 'bad.toml') }), /address takes host:port like localhost:7233, not "no port here"/);
});
