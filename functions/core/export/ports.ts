/** The export ports live with the others (core/ports/exports.ts); this path stays for the export modules' imports. */
export type * from '../ports/exports.js';
export { EXPORT_WEEK_FIELDS } from '../ports/exports.js';
