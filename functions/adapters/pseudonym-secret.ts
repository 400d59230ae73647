import { pseudonym, studyKey } from '../core/export/pseudonym.js';
import { secretString } from './secrets.js';

/**
 * The deployment's pseudonym secret: Secrets Manager (`PSEUDONYM_SECRET_ARN`) in AWS,
 * `SAUTI_PSEUDONYM_KEY` locally; undefined when neither is configured.
 */
export async function pseudonymSecret(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.PSEUDONYM_SECRET_ARN) return secretString(env.PSEUDONYM_SECRET_ARN, { env });
  return env.SAUTI_PSEUDONYM_KEY || undefined;
}

/** A participant's export id, computed while the number is still known (forgetting keeps it). */
export async function exportIdOf(studyId: string, phone: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const secret = await pseudonymSecret(env);
  return secret ? pseudonym(phone, studyKey(secret, studyId)) : undefined;
}
