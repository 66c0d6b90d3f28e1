/** One developing story (flash, dispatch, translation, follow-up), another story of its day, two days of a series. */
import { closes, factoryFire, HOUR, landslide, T0 } from '../threads/fixtures.js';
import type { SeedArticle } from './seed.js';

const iso = (ms: number) => new Date(ms).toISOString();
const flash = "URGENT - Un glissement de terrain à Vernasque, dans l'Aude, force 340 habitants à partir.";

export const THREAD_ARTICLES: SeedArticle[] = [
  {
    id: 'a0',
    outlet: 'Le Courant',
    title: 'URGENT - Glissement de terrain à Vernasque',
    body: flash,
    publishedAt: iso(T0 - HOUR),
  },
  {
    id: 'a1',
    outlet: 'La Gazette',
    title: 'Glissement de terrain à Vernasque : 340 évacués',
    body: landslide.day1,
    publishedAt: iso(T0),
  },
  {
    id: 'a2',
    outlet: 'Moorland Herald',
    title: 'Landslide forces 340 from French hamlet',
    body: landslide.english,
    publishedAt: iso(T0 + 2 * HOUR),
    lang: 'en',
  },
  {
    id: 'a3',
    outlet: 'Le Courant',
    title: 'Vernasque : le versant toujours instable',
    body: landslide.day2,
    publishedAt: iso(T0 + 26 * HOUR),
  },
  {
    id: 'a4',
    outlet: 'La Gazette',
    title: 'Incendie chez Corbalis à Lézignan',
    body: factoryFire,
    publishedAt: iso(T0 + 14 * HOUR),
  },
  {
    id: 'a5',
    outlet: 'Le Fil Éco',
    title: 'Arvelian shares higher',
    body: closes.monday,
    publishedAt: iso(T0 - 16 * HOUR),
    lang: 'en',
    agency: 'Reuters',
  },
  {
    id: 'a6',
    outlet: 'Le Fil Éco',
    title: 'Arvelian shares lower',
    body: closes.tuesday,
    publishedAt: iso(T0 + 8 * HOUR),
    lang: 'en',
    agency: 'Reuters',
  },
];
