/**
 * Typings for the SDK's airtime client (africastalking 0.8.3, lib/airtime.js and
 * lib/customAxios/): an augmentation of africastalking.d.ts, whose `export =` namespace it
 * patches (so this file is a module: an augmentation, not a second ambient declaration).
 */
export {};

declare module 'africastalking' {
  interface AirtimeRecipient {
    /** E.164 with '+'; the SDK's validator refuses anything else and rejects the whole call. */
    phoneNumber: string;
    currencyCode: string;
    amount: number;
  }

  interface AirtimeSendOptions {
    recipients: AirtimeRecipient[];
    /** Sent as the `Idempotency-Key` header: AT answers a repeated key with its first answer. */
    idempotencyKey?: string;
    /** AT retries a failed recipient every 60 s for this many hours. */
    maxNumRetry?: number;
  }

  /** One recipient in AT's answer. */
  interface AirtimeResponse {
    phoneNumber: string;
    /** e.g. 'KES 20.0000'. */
    amount: string;
    /** 'Sent' (handed to the operator) or 'Failed'. */
    status: string;
    /** 'None' when not sent. */
    requestId: string;
    discount: string;
    /** 'None' when there is none. */
    errorMessage: string;
  }

  interface AirtimeSendResult {
    errorMessage: string;
    numSent: number;
    totalAmount: string;
    totalDiscount: string;
    responses: AirtimeResponse[];
  }

  interface Airtime {
    /**
     * Form-posts `username`, `recipients` (JSON text of `{ phoneNumber, amount: 'KES 20' }`)
     * and `maxNumRetry`? to `/version1/airtime/send` on an axios instance it creates for the
     * call (base URL fixed by the username). Resolves on HTTP 201 with the body, whatever it
     * is; rejects another 2xx with its body, a non-2xx or network failure with an AxiosError,
     * invalid options with an Error listing the Joi messages.
     */
    send(options: AirtimeSendOptions): Promise<AirtimeSendResult>;
  }

  interface Client {
    AIRTIME: Airtime;
  }
}
