// How to reach Temporal as deployed: the settings the `temporal` CLI and the other SDKs read
// (@temporalio/envconfig: a profile of temporal.toml, overridden by TEMPORAL_* variables) give
// the address, namespace, TLS, API key and gRPC metadata; -temporal and -namespace given on the
// command line win over them. The CLI's client and every worker connect with the same settings.
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/client';
import type { FlagName, Flags } from './flags.js';
import { HOST_PORT_PATTERN } from './flag-values.js';
import { UsageError } from './usage-error.js';

/** What both connection kinds (the client's and the workers' native one) take. */
export interface TemporalConnectOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** Where the profile comes from, for messages: the variables that choose it. */
const PROFILE_VARIABLES = 'TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE and the TEMPORAL_* variables';

function loadProfile(env: NodeJS.ProcessEnv) {
  try {
    const profile = loadClientConfigProfile({ overrideEnvVars: env as Record<string, string> });
    return { profile, options: toClientOptions(profile) }; // reads the certificate files now: a missing one is a usage error
  } catch (err) {
    throw new UsageError(`the Temporal connection settings cannot be read (${(err as Error).message}): check ${PROFILE_VARIABLES}`);
  }
}

/**
 * -temporal and -namespace as this command uses them: the flag when given, else the profile's
 * value (TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE included), else the flag's default.
 */
export function applyTemporalProfile(flags: Flags, given: Set<FlagName>, env: NodeJS.ProcessEnv = process.env): void {
  const { profile } = loadProfile(env);
  if (!given.has('temporal') && profile.address) {
    if (!HOST_PORT_PATTERN.test(profile.address))
      throw new UsageError(
        `the Temporal profile's address takes host:port like localhost:7233, not ${JSON.stringify(profile.address)}: check ${PROFILE_VARIABLES}`,
      );
    flags.temporal = profile.address;
  }
  if (!given.has('namespace') && profile.namespace) flags.namespace = profile.namespace;
}

/** The connection options for `flags.temporal`: TLS, API key and metadata from the profile. */
export function temporalConnectOptions(flags: Pick<Flags, 'temporal'>, env: NodeJS.ProcessEnv = process.env): TemporalConnectOptions {
  const { profile, options } = loadProfile(env);
  const { tls, apiKey } = options.connectionOptions;
  return {
    address: flags.temporal,
    ...(tls !== undefined && tls !== null ? { tls } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(profile.grpcMeta !== undefined ? { metadata: profile.grpcMeta } : {}),
  };
}

/** A connection over TLS or with a key is a deployed server: never one this CLI starts itself. */
export const isSecured = (options: TemporalConnectOptions) => Boolean(options.tls) || options.apiKey !== undefined;
