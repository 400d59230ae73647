/**
 * The sign-in lives in sessionStorage: it ends with the tab, so a shared office computer does
 * not keep someone's access overnight.
 */
const TOKEN = 'sauti.token';
const STUDY = 'sauti.study';

const listeners = new Set<() => void>();

export const session = {
  token: (): string | undefined => sessionStorage.getItem(TOKEN) ?? undefined,
  signIn(token: string): void {
    sessionStorage.setItem(TOKEN, token);
    for (const l of listeners) l();
  },
  signOut(): void {
    sessionStorage.removeItem(TOKEN);
    for (const l of listeners) l();
  },
  study: (): string | undefined => sessionStorage.getItem(STUDY) ?? undefined,
  setStudy: (studyId: string) => sessionStorage.setItem(STUDY, studyId),
  onChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
