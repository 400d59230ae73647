import type * as z from 'zod/mini';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A refusal with the field at fault, answered as JSON with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export function json(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

export function errorResponse(err: ApiError): APIGatewayProxyStructuredResultV2 {
  return json(err.status, { error: err.message, ...(err.problems.length > 0 ? { problems: err.problems } : {}) });
}

/** zod issues as `{ field, message }` with a dotted path ("hour", "modules.1"). */
export function zodProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[]): { field: string; message: string }[] {
  return issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** The body as the schema reads it, or a 400 naming each field at fault. */
export function validated<T>(schema: z.ZodMiniType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(400, `The ${what} is not valid.`, zodProblems(parsed.error.issues));
  return parsed.data;
}
