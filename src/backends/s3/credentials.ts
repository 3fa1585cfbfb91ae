// Where S3 credentials come from, in order:
//   1. an explicit profile (workload file / --profile): that profile only, from ~/.aws/credentials and
//      ~/.aws/config (or AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE);
//   2. otherwise the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
//   3. otherwise the profile named by AWS_PROFILE, or "default".
// An explicit profile beats the environment because it is the more specific choice; between the ambient
// sources, the environment wins (the AWS SDK prefers AWS_PROFILE there and warns that this may change).
// The SDK's full node chain is not used: its instance-metadata step waits on timeouts off EC2.

import { IofleetError } from '../../errors.js';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export async function resolveS3Credentials(options: { profile?: string }): Promise<S3Credentials> {
  // Loaded on demand: the SDK packages cost ~100 ms of start-up that file-only runs need not pay.
  const { fromEnv, fromIni } = await import('@aws-sdk/credential-providers');
  const tried: string[] = [];

  if (options.profile === undefined) {
    tried.push('environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
    try {
      return toS3Credentials(await fromEnv()());
    } catch {
      // Not set: go on to the shared files.
    }
  }

  const profile = options.profile ?? process.env['AWS_PROFILE'] ?? 'default';
  const credentialsFile = process.env['AWS_SHARED_CREDENTIALS_FILE'] ?? '~/.aws/credentials';
  const configFile = process.env['AWS_CONFIG_FILE'] ?? '~/.aws/config';
  tried.push(`profile "${profile}" in ${credentialsFile} and ${configFile}`);
  let reason = '';
  try {
    return toS3Credentials(await fromIni({ profile, ignoreCache: true })());
  } catch (error) {
    // SDK messages name files and profiles, never secret values.
    reason = error instanceof Error ? ` (${error.message.split('\n')[0]})` : '';
  }

  throw new IofleetError(
    'CREDENTIALS',
    `no S3 credentials found; tried: ${tried.join('; ')}${reason}`,
    'export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), ' +
      'or add a profile to ~/.aws/credentials and select it in the workload file or with AWS_PROFILE',
  );
}

function toS3Credentials(identity: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): S3Credentials {
  const credentials: S3Credentials = { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey };
  if (identity.sessionToken !== undefined && identity.sessionToken !== '') credentials.sessionToken = identity.sessionToken;
  return credentials;
}
