import type { Command } from 'commander';
import { SautiClient } from './client.js';
import type { Format } from './format.js';

/** What every command needs: the API client and the output format, from the global options. */
export interface Context {
  client: SautiClient;
  format: Format;
}

interface GlobalOptions {
  url: string;
  token?: string;
  format: Format;
}

export function contextOf(cmd: Command): Context {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  return { client: new SautiClient({ url: opts.url, token: opts.token }), format: opts.format };
}

/** The path segment of a study or campaign id, encoded. */
export const seg = (s: string): string => encodeURIComponent(s);
