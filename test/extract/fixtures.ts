import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const pagesDir = path.join(repoRoot, 'test', 'fixtures', 'pages');

export function pageBytes(name: string): Uint8Array {
  return fs.readFileSync(path.join(pagesDir, name));
}

/** The default phrase lists of the brief; the real ones come from config/default.yaml. */
export const BOILERPLATE = {
  fr: [
    'Retour en haut',
    'Avec AFP',
    'source',
    'Source : AFP',
    'Lire aussi',
    'À lire aussi',
    'Publicité',
    'Partager',
    'Partager sur Facebook',
    'Abonnez-vous',
    'Inscrivez-vous à notre newsletter',
    'Accepter les cookies',
  ],
  en: [
    'Back to top',
    'Read more',
    'Read also',
    'Advertisement',
    'Share',
    'Sign up for our newsletter',
    'Accept cookies',
  ],
};
export const ALL_PHRASES = [...BOILERPLATE.fr, ...BOILERPLATE.en];

/** Lines of text, for "this line is absent" assertions that do not depend on paragraph layout. */
export function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim().toLowerCase());
}
