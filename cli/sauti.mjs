#!/usr/bin/env node
// `sauti`: the CLI for Sauti's admin API. The commands are TypeScript (cli/sauti.ts), run
// through tsx's ESM loader, registered here in-process so `npx sauti` needs no build step.
// tsconfig: false, so a tsconfig.json in whatever folder `sauti` is run from is not applied.
import { register } from 'tsx/esm/api';

register({ tsconfig: false });
await import('./sauti.ts');
