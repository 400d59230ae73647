import { LocalFileSink, localExportDir } from '../adapters/export/local-sink.js';
import { pseudonymSecret } from '../adapters/pseudonym-secret.js';
import type { ExportSink } from '../core/ports/exports.js';
import type { Clock } from '../core/ports/index.js';
import { studyKey } from '../core/export/pseudonym.js';
import { runExport } from '../core/export/run.js';
import type { ApiContext } from './context.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';
import { exportBody } from './schemas.js';
import { actor } from './auth.js';

/**
 * Research exports (researchers and admins): one dataset as CSV with its codebook. Rows carry
 * the study's pseudonymous id; phone numbers only when an admin asks for them (includePhone),
 * and every such export is logged with who, when and what (never the numbers).
 *
 * Where files go: with `EXPORTS_BUCKET` (AWS), the exports bucket, answered with presigned
 * links valid 15 minutes; otherwise a local folder (`SAUTI_EXPORT_DIR`, default
 * `.data/exports`), answered with the paths. The pseudonym secret: the Secrets Manager secret
 * `PSEUDONYM_SECRET_ARN` in AWS, `SAUTI_PSEUDONYM_KEY` locally.
 */
export function exportHandlers(ctx: ApiContext, env: NodeJS.ProcessEnv = process.env): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, 'exportData'> {
  const { exportSource: source, audit } = ctx.ports;
  let sink: Promise<ExportSink> | undefined;

  return {
    exportData: async (r) => {
      const body = validated(exportBody, r.body, 'export request');
      if (body.includePhone && !r.principal.roles.includes('admin')) {
        ctx.log.warn('export with phone numbers refused', { audit: 'export-phone-numbers', studyId: r.params.studyId, dataset: body.dataset, ...actor(r.principal), at: ctx.clock.now().toISOString() });
        throw new ApiError(403, 'Phone numbers in an export need the admin role; ask again without includePhone for the pseudonymous export.');
      }
      const study = await ctx.study(r);
      const secret = await requirePseudonymSecret(env);
      const now = ctx.clock.now();
      if (body.includePhone) {
        // Before the export runs, so an attempt that fails half-way is on record too: in the
        // study's audit trail (the console's audit page) and in the logs.
        await audit.append({ studyId: study.studyId, at: now.toISOString(), ...actor(r.principal), action: 'export-with-phones', detail: body.dataset });
        ctx.log.warn('export with phone numbers requested', { audit: 'export-phone-numbers', studyId: study.studyId, dataset: body.dataset, ...actor(r.principal), at: now.toISOString() });
      }
      const result = await runExport(
        { study, dataset: body.dataset, bom: body.bom, includePhone: body.includePhone, ...actor(r.principal), now },
        { source, sink: await (sink ??= sinkFromEnv(env, ctx.clock)), content: await ctx.content(), key: studyKey(secret, study.studyId), log: ctx.log },
      );
      const link = (f: { location: string; url?: string }) => f.url ?? f.location;
      return {
        dataset: result.dataset,
        rows: result.rows,
        ...(result.csv.url ? { url: result.csv.url, expiresAt: result.csv.expiresAt } : { file: result.csv.location }),
        codebook: { json: link(result.codebook.json), md: link(result.codebook.md) },
      };
    },
  };
}

/** The pseudonym secret, or 503: an export without it would have no pseudonymous ids. */
async function requirePseudonymSecret(env: NodeJS.ProcessEnv): Promise<string> {
  const secret = await pseudonymSecret(env);
  if (secret) return secret;
  throw new ApiError(503, 'Exports are not configured here: no pseudonym key (PSEUDONYM_SECRET_ARN in AWS, SAUTI_PSEUDONYM_KEY locally).');
}

/** S3 when a bucket is configured (loaded only then: the S3 client stays out of other cold starts' way), else a folder. */
async function sinkFromEnv(env: NodeJS.ProcessEnv, clock: Clock): Promise<ExportSink> {
  const bucket = env.EXPORTS_BUCKET;
  if (!bucket) return new LocalFileSink(localExportDir(env));
  const [{ S3Client }, { S3ExportSink }] = await Promise.all([import('@aws-sdk/client-s3'), import('../adapters/export/s3-sink.js')]);
  return new S3ExportSink(new S3Client({}), bucket, () => clock.now());
}
