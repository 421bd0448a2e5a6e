// Why a TLS connection to Temporal failed, in one line with what to do: the gRPC client only
// reports a missed deadline, so a plain TLS handshake with the same settings finds the reason.
import net from 'node:net';
import tls from 'node:tls';
import type { TemporalConnectOptions } from './temporal-connection.js';

/** OpenSSL's verdicts that mean "no CA you trust signed the server's certificate". */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

const pem = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes) : undefined);

/** The one line for what a handshake with `options` runs into; null when it succeeds (TLS is not the problem). */
export async function tlsProblem(options: TemporalConnectOptions, timeoutMs = 5000): Promise<string | null> {
  const { address } = options;
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '');
  const settings = typeof options.tls === 'object' ? options.tls : {};
  const servername = settings.serverNameOverride ?? (net.isIP(host) ? undefined : host);
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const socket = tls.connect({
      host,
      port: Number(address.slice(at + 1)),
      servername,
      ca: pem(settings.serverRootCACertificate),
      cert: pem(settings.clientCertPair?.crt),
      key: pem(settings.clientCertPair?.key),
      ALPNProtocols: ['h2'],
      timeout: timeoutMs,
    });
    socket.once('secureConnect', () => (socket.destroy(), resolve(null)));
    socket.once('error', (err) => (socket.destroy(), resolve(err)));
    socket.once('timeout', () => (socket.destroy(), resolve(Object.assign(new Error(`no TLS handshake within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' }))));
  });
  if (!error) return null;
  const ca = settings.serverRootCACertificate ? 'the CA you gave' : "the system's CAs";
  if (UNTRUSTED.has(error.code ?? ''))
    return `Temporal at ${address} has a TLS certificate that ${ca} did not sign (${error.message}): point TEMPORAL_TLS_SERVER_CA_CERT_PATH (tls.server_ca_cert_path in temporal.toml) at the CA that signed the server's certificate`;
  if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `Temporal at ${address} has a TLS certificate for another name (${error.message}): connect by a name it holds, or set TEMPORAL_TLS_SERVER_NAME (tls.server_name) to one`;
  if (error.code === 'CERT_HAS_EXPIRED' || error.code === 'CERT_NOT_YET_VALID')
    return `Temporal at ${address} has a TLS certificate outside its validity dates (${error.message}): renew the server's certificate, or check this machine's clock`;
  return `Temporal is not reachable over TLS at ${address} (${error.message}): check -temporal or the Temporal profile's address, and that the server speaks TLS there`;
}
