import { keyedHash, type PhoneHasher } from './dynamo/keys.js';
import { secretString } from './secrets.js';

/**
 * The development key of the phone hashes in DynamoDB keys (README, "Configuration"). Public on
 * purpose: it only keys local tables. In AWS the stack always sets `PHONE_KEY_SECRET_ARN`, and
 * a Lambda without it refuses to start rather than fall back to this.
 */
export const LOCAL_PHONE_KEY = 'sauti-local-phone-key-not-a-secret';

/** The phone-key secret: Secrets Manager (`PHONE_KEY_SECRET_ARN`) in AWS, `SAUTI_PHONE_KEY` or the local default elsewhere. */
export async function phoneKeySecret(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.PHONE_KEY_SECRET_ARN) return secretString(env.PHONE_KEY_SECRET_ARN, { env });
  if (env.AWS_LAMBDA_FUNCTION_NAME) throw new Error('PHONE_KEY_SECRET_ARN is not set: a deployed Lambda never keys numbers with the development key');
  return env.SAUTI_PHONE_KEY || LOCAL_PHONE_KEY;
}

/**
 * The keyed hash of numbers for the DynamoDB adapters. The secret is read once per call
 * through the extension's cache (secrets.ts), so a hop pays one HMAC and no round trip.
 */
export class PhoneKeys {
  constructor(private readonly secret: () => Promise<string>) {}

  async hasher(): Promise<PhoneHasher> {
    const secret = await this.secret();
    return (value) => keyedHash(secret, value);
  }
}

/** The process's phone keys, from its environment (what every adapter uses unless given others). */
export const envPhoneKeys = new PhoneKeys(() => phoneKeySecret(process.env));
