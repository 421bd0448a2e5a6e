// Temporal as deployed: the CLI and its worker reach a server over TLS set up only through the
// Temporal profile (temporal.toml chosen by TEMPORAL_CONFIG_FILE and TEMPORAL_PROFILE, no
// -temporal flag). The dev server cannot serve TLS, so a TLS-terminating proxy written here, with
// certificates made here by openssl, stands in front of it. A wrong CA fails in one line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { cliSetup, freePort, runCli, type CliSetup } from '../support/cli.js';
import { FIXTURE_DIR, tmpDir } from '../support/run-fixtures.js';

const dir = tmpDir('e2e-tls');
let setup: CliSetup;
let proxy: tls.Server;
let proxyAddress: string;
let handshakes = 0;

/** A CA, a server certificate for localhost signed by it, and a second CA that signed nothing here. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name: string) =>
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    );
  ca('test-ca');
  ca('other-ca');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'test-ca.pem',
    '-CAkey',
    'test-ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  );
}

/** temporal.toml with one profile that reaches the proxy, trusting `caFile`; the environment that chooses it. */
function profileEnv(name: string, caFile: string): NodeJS.ProcessEnv {
  const file = path.join(dir, `${name}.toml`);
  writeFileSync(file, `[profile.${name}]\naddress = "${proxyAddress}"\nnamespace = "default"\n\n[profile.${name}.tls]\nserver_ca_cert_path = "${caFile}"\n`);
  // TEMPORAL_ADDRESS of the calling shell would win over the profile: this test sets up Temporal only through the file.
  return { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: name, TEMPORAL_ADDRESS: undefined, TEMPORAL_NAMESPACE: undefined };
}

before(async () => {
  setup = await cliSetup({ fixtureDir: FIXTURE_DIR });
  assert.equal((await runCli(['list', ...setup.common])).code, 0); // starts the plain dev server the proxy fronts
  makeCertificates();
  const [host, port] = [setup.temporal.split(':')[0]!, Number(setup.temporal.split(':')[1])];
  proxy = tls.createServer(
    { key: readFileSync(path.join(dir, 'server.key')), cert: readFileSync(path.join(dir, 'server.pem')), ALPNProtocols: ['h2'] },
    (socket) => {
      handshakes++;
      const upstream = net.connect(port, host);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    },
  );
  proxy.on('tlsClientError', () => {}); // the wrong-CA client hangs up mid-handshake, on purpose
  const proxyPort = await freePort();
  await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
  proxyAddress = `localhost:${proxyPort}`;
});

after(async () => {
  proxy?.close();
  await setup?.stop();
});

describe('Temporal over TLS, set up only through the Temporal profile', () => {
  const ollamaAndUi = () => ['-ollama', setup.ollama.url, '-ui', 'http://localhost:1'];

  // -skip-validation: the connection is under test, not the Go checks (generate.test.ts has those); the run still plans and writes every file.
  test('a run through the TLS endpoint: the CLI and its worker connect with the profile, and the run completes', async () => {
    const output = path.join(dir, 'todo-api');
    const args = ['-output', output, '-db', path.join(dir, 'poc.db'), '-skip-validation', ...ollamaAndUi()];
    const result = await runCli(args, profileEnv('tls-proxy', path.join(dir, 'test-ca.pem')));
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /started the Temporal dev server/, 'a TLS profile is never a server the CLI starts');
    assert.ok(handshakes >= 2, `the client and the worker both came through the proxy (${handshakes} TLS connections)`);
    const status = JSON.parse(readFileSync(path.join(output, 'status.json'), 'utf8')) as { run: { status: string } };
    assert.equal(status.run.status, 'completed', JSON.stringify(status.run));
    assert.ok(setup.ollama.calls.length > 0, 'the model worker, connected over TLS, called the model');
  });

  test('a CA that did not sign the server certificate: exit 1, one line saying what to do', async () => {
    const result = await runCli(['list', ...ollamaAndUi()], profileEnv('wrong-ca', path.join(dir, 'other-ca.pem')), 60_000);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0]!,
      /^overnight-llm: Temporal at localhost:\d+ has a TLS certificate that the CA you gave did not sign \(.+\): point TEMPORAL_TLS_SERVER_CA_CERT_PATH/,
    );
  });

  test('a profile that is not in the file: exit 2, one line naming it', async () => {
    const env = { ...profileEnv('tls-proxy', path.join(dir, 'test-ca.pem')), TEMPORAL_PROFILE: 'nowhere' };
    const result = await runCli(['list'], env, 60_000);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr.trim(),
      /^overnight-llm: the Temporal connection settings cannot be read \(Profile 'nowhere' not found in config data\): check TEMPORAL_PROFILE/,
    );
  });
});
