/**
 * Typings for the parts of the `africastalking` SDK (0.8.3, CommonJS, no bundled types) that
 * Sauti uses. Written from the SDK source (lib/index.js, lib/sms.js, lib/common.js), not from
 * `@types/africastalking`, which is outdated. This file must stay a script (no top-level
 * import/export) so that the `declare module` blocks are ambient declarations.
 */

declare module 'africastalking' {
  /** `username: 'sandbox'` switches every client in the process to sandbox URLs, for good. */
  function AfricasTalking(options: AfricasTalking.Options): AfricasTalking.Client;

  namespace AfricasTalking {
    interface Options {
      /** Joi allows exactly these keys: any other key throws. */
      username: string;
      apiKey: string;
      format?: 'json' | 'xml';
    }

    /** One recipient of a bulk send, as AT reports it inside the HTTP 201 body. */
    interface SmsRecipient {
      /** 100 Processed, 101 Sent, 102 Queued; 401-409 permanent; 500-502 retryable. */
      statusCode: number;
      /** E.164 with '+'. */
      number: string;
      /** e.g. 'Success', 'UserInBlacklist', 'InvalidPhoneNumber'. */
      status: string;
      /** e.g. 'KES 0.8000'; '0' when not sent. */
      cost: string;
      /** 'None' when not sent. */
      messageId: string;
    }

    interface SendResult {
      SMSMessageData: {
        /** e.g. 'Sent to 1/2 Total Cost: KES 0.8000'. */
        Message: string;
        Recipients: SmsRecipient[];
      };
    }

    interface SendOptions {
      /** E.164 with '+'; a comma-joined string of several numbers is rejected. */
      to: string | string[];
      message: string;
      from?: string;
      enqueue?: boolean;
    }

    interface Sms {
      /**
       * Always bulk mode (bulkSMSMode=1). Resolves only on HTTP 201; another 2xx rejects with
       * the raw response body, non-2xx and network failures reject with an AxiosError, invalid
       * options reject with an Error listing the Joi messages.
       */
      send(options: SendOptions): Promise<SendResult>;
    }

    /** One number of `voice.call`'s answer (lib/voice.js posts to `${VOICE_URL}/call`). */
    interface CallEntry {
      phoneNumber: string;
      /** 'Queued' when AT will ring; else e.g. 'InvalidPhoneNumber', 'DestinationNotSupported', 'InsufficientCredit'. */
      status: string;
      /** AT's session id of the call ('None' when not queued): every callback of the call carries it. */
      sessionId: string;
    }

    interface CallResult {
      entries?: CallEntry[];
      /** 'None' on success. */
      errorMessage?: string;
    }

    interface Voice {
      /**
       * Resolves with the body on HTTP 200/201; rejects with a string of Joi messages on a bad
       * number, the body on another 2xx, an AxiosError on non-2xx or a network failure.
       */
      call(options: { callFrom: string; callTo: string[]; clientRequestId?: string }): Promise<CallResult>;
    }

    interface Client {
      /** Upper case: the SDK has no `sms` property. */
      SMS: Sms;
      VOICE: Voice;
    }
  }

  export = AfricasTalking;
}

declare module 'africastalking/lib/common.js' {
  /**
   * The SDK's URLs: mutable properties of this CommonJS module, read on every call.
   * `initUrls` (run at load, and again by a `sandbox` client) overwrites them all.
   */
  const common: {
    BASE_URL: string;
    /** Bulk SMS: `${BASE_URL}/messaging`. */
    SMS_URL: string;
    /** Voice: `${VOICE_URL}/call` places calls. */
    VOICE_URL: string;
    /** Premium SMS and subscriptions. */
    CONTENT_URL: string;
    /** The validator the SDK's Joi schema applies to every `to` number (throws on no '+'). */
    phoneUtil: { isValidNumber(value: string): boolean };
  };
  export = common;
}

declare module 'axios/dist/node/axios.cjs' {
  /**
   * The CommonJS build of axios: the very instance the SDK gets from `require('axios')`.
   * `import axios from 'axios'` in ESM loads a different build (index.js) with its own
   * default instance and interceptors.
   */
  import type { AxiosStatic } from 'axios';
  const axios: AxiosStatic;
  export = axios;
}
