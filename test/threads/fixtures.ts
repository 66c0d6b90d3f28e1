/**
 * Invented dispatches (every person, place and company is fictional) for the
 * thread policy: one developing story over three days with its English
 * translation, an unrelated story of the same day, a templated series, and a
 * morning digest quoting a paragraph of two stories.
 */
export const HOUR = 3_600_000;
export const T0 = Date.UTC(2026, 2, 3, 8, 0);

export const landslide = {
  day1: [
    "CARCASSONNE, 3 mars 2026 (AFP) - Un glissement de terrain a coupé mardi la route départementale 118 près de Vernasque, dans les Hautes-Corbières, et entraîné l'évacuation de 340 habitants du hameau de Peyrolles, a annoncé la préfecture de l'Aude.",
    "Quelque 12 000 mètres cubes de terre et de roche se sont détachés de la colline du Puech Agut vers 6h40, après trois semaines de pluies continues, selon le service de restauration des terrains en montagne. Aucune victime n'est à déplorer.",
    "« Nous avons entendu un grondement, puis la route a disparu », a raconté à l'AFP Hervé Castagnol, le maire de Vernasque, qui a ouvert la salle des fêtes aux familles évacuées.",
    "La préfète de l'Aude, Sylvie Monteil, a indiqué que les experts du BRGM se rendraient sur place mercredi pour évaluer la stabilité du versant.",
  ].join('\n\n'),
  day2: [
    'Les experts du BRGM ont jugé mercredi le versant du Puech Agut « toujours instable » et les 340 habitants de Peyrolles, évacués mardi après le glissement de terrain de Vernasque (Aude), ne pourront pas regagner leur domicile avant plusieurs semaines.',
    "Selon leurs premières mesures, la masse de 12 000 mètres cubes continue de progresser de quelques centimètres par heure. La route départementale 118 restera fermée au moins jusqu'à la fin du mois, a précisé la préfète Sylvie Monteil.",
    "Le maire Hervé Castagnol a demandé la reconnaissance de l'état de catastrophe naturelle et l'ouverture d'un fonds d'aide pour les 57 foyers concernés.",
  ].join('\n\n'),
  english: [
    'A landslide cut a regional road near Vernasque in southern France on Tuesday, forcing 340 residents of the hamlet of Peyrolles to leave their homes, local authorities in the Aude said.',
    'Some 12,000 cubic metres of earth and rock broke away from the Puech Agut hill at around 6:40 a.m. after three weeks of continuous rain. No one was hurt.',
    '"We heard a rumble, then the road was gone," Vernasque mayor Hervé Castagnol told AFP. Experts from the BRGM geological survey are due on site on Wednesday, prefect Sylvie Monteil said.',
  ].join('\n\n'),
};

/** Another story of the same region and day: shares the department, nothing of the event. */
export const factoryFire = [
  "Un incendie a détruit mardi soir un entrepôt de la société Corbalis à Lézignan, dans l'Aude, sans faire de victime, a indiqué le service départemental d'incendie et de secours.",
  'Les 85 pompiers mobilisés ont maîtrisé le feu vers 23h00. Le bâtiment de 4 500 mètres carrés abritait des palettes et des emballages, selon le directeur du site, Fabrice Orliac.',
  'Une enquête a été ouverte pour déterminer les causes du sinistre, a précisé le parquet de Narbonne.',
].join('\n\n');

/** One template, two days: the same names, other figures in the same frames. */
function marketClose(
  day: string,
  closed: string,
  move: string,
  volume: string,
  korvane: string,
  oil: string,
): string {
  return [
    `VELDEN, ${day} (Reuters) - Arvelian shares ended the session ${move}, with the Lumen 200 index closing at ${closed} points as investors weighed fresh comments from the Velden Central Bank.`,
    `Korvane Mining shares finished at ${korvane} crowns, while shipping group Ostra Lines was steady. Volume reached ${volume} billion crowns, against a 30-day average of 2.4 billion.`,
    `"The market is waiting for the central bank," said Ilse Brandt, head of equities at Meridian Capital in Velden. Brent crude traded at ${oil} dollars a barrel.`,
  ].join('\n\n');
}
export const closes = {
  monday: marketClose('March 2', '1,482.35', 'higher', '2.1', '41.20', '81.45'),
  tuesday: marketClose('March 3', '1,476.10', 'lower', '3.3', '39.85', '80.10'),
  wednesday: marketClose('March 4', '1,490.72', 'higher', '2.7', '42.05', '82.30'),
};

/** A digest quoting the lead of two unrelated stories. */
export const digest = [
  "Ce qu'il faut retenir ce mercredi matin.",
  landslide.day1.split('\n\n')[0]!,
  ...factoryFire.split('\n\n').slice(0, 2),
  'Bonne journée à tous nos lecteurs.',
].join('\n\n');
