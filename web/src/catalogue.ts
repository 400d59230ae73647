/**
 * The education modules, as built into the bundle by web/build.ts from content/: ids and
 * titles only (a few hundred bytes), for the campaign form's choices.
 */
export interface ModuleChoice {
  id: string;
  title: Record<string, string>;
  lessons: number;
}

declare const SAUTI_MODULES: ModuleChoice[];

export const MODULES: ModuleChoice[] = SAUTI_MODULES;
