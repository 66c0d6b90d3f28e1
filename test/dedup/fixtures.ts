/**
 * Small fictional dispatches written for these tests. Places, people and
 * companies are invented.
 */

/** A ten-paragraph French dispatch. */
export const FORGES_CLOSURE = [
  "VERCHENY, 12 mars 2025 (AFP) - La direction des Forges de Vercheny a annoncé mercredi la fermeture d'ici à la fin de l'année de son usine historique de la vallée de la Drôme, une décision qui menace 412 emplois directs et plusieurs dizaines de postes chez les sous-traitants.",
  "L'entreprise, fondée en 1887 et spécialisée dans les pièces forgées pour l'aéronautique, invoque l'effondrement de ses commandes depuis deux ans et la hausse du prix de l'énergie, qui aurait triplé sa facture d'électricité entre 2021 et 2024.",
  "« Nous avons cherché toutes les solutions, mais le site n'est plus viable dans sa configuration actuelle », a déclaré la présidente du groupe, Marion Delcourt, lors d'une réunion extraordinaire du comité social et économique convoquée dans la matinée.",
  "Les syndicats ont aussitôt dénoncé un « choix financier » et appelé à un rassemblement jeudi devant les grilles de l'usine. Selon la CGT, le groupe a versé 18 millions d'euros de dividendes à ses actionnaires l'an dernier.",
  "Le maire de Vercheny, Paul Arnoux, s'est dit « sous le choc ». « C'est le cœur économique de la commune qui s'arrête. Une famille sur trois a au moins un proche qui travaille aux Forges », a-t-il confié à l'AFP.",
  "La préfecture de la Drôme a indiqué qu'une cellule de suivi serait réunie dès la semaine prochaine avec les élus, la direction et les représentants du personnel, afin d'étudier les pistes de reprise du site.",
  "Un repreneur potentiel, le groupe italien Fonderie Castelli, aurait visité l'usine à l'automne, selon plusieurs sources syndicales, mais aucune offre ferme n'a été déposée à ce jour.",
  "Les Forges de Vercheny avaient déjà supprimé 150 postes en 2019 lors d'un premier plan de restructuration, qui devait alors permettre de « sauver durablement l'activité », selon les termes employés à l'époque par la direction.",
  "Le ministre délégué à l'Industrie doit recevoir les syndicats la semaine prochaine à Paris. Son cabinet a fait savoir qu'il demanderait au groupe de « présenter un plan social exemplaire » et d'ouvrir le site à tout repreneur sérieux.",
  "L'usine, qui produit chaque année près de 30 000 tonnes de pièces, est le premier employeur privé du département derrière l'hôpital de Valence. Sa fermeture effective est prévue pour le 31 décembre.",
];

export const FORGES_CLOSURE_TEXT = FORGES_CLOSURE.join('\n\n');

/** The first two paragraphs, re-typed by another outlet (curly apostrophes, no dateline, an intro line). */
export const FORGES_SHORT_COPY = [
  'Ce que l’on sait à cette heure.',
  'La direction des Forges de Vercheny a annoncé mercredi la fermeture d’ici à la fin de l’année de son usine historique de la vallée de la Drôme, une décision qui menace 412 emplois directs et plusieurs dizaines de postes chez les sous-traitants.',
  'L’entreprise, fondée en 1887 et spécialisée dans les pièces forgées pour l’aéronautique, invoque l’effondrement de ses commandes depuis deux ans et la hausse du prix de l’énergie, qui aurait triplé sa facture d’électricité entre 2021 et 2024.',
].join('\n\n');

/** A 35-word flash sent before the full dispatch: its words reappear in the full text. */
export const FORGES_FLASH =
  "VERCHENY, 12 mars 2025 (AFP) - La direction des Forges de Vercheny a annoncé mercredi la fermeture d'ici à la fin de l'année de son usine historique de la vallée de la Drôme, 412 emplois.";

/** A different dispatch, one month later, about the same company, people and town. */
export const FORGES_TAKEOVER_TEXT = [
  'VERCHENY, 14 avril 2025 (AFP) - Le groupe italien Fonderie Castelli a déposé lundi une offre de reprise partielle des Forges de Vercheny, dans la Drôme, qui prévoit de conserver 230 des 412 salariés du site dont la fermeture avait été annoncée en mars.',
  "L'offre, transmise au tribunal de commerce de Romans-sur-Isère, porte sur les deux lignes de forge les plus récentes et sur le bureau d'études. L'atelier de traitement thermique, le plus gourmand en énergie, serait arrêté.",
  "« C'est une première bonne nouvelle, mais le compte n'y est pas », a réagi Paul Arnoux, le maire de Vercheny, qui réclame des garanties sur la durée des investissements promis par le repreneur.",
  "La présidente des Forges, Marion Delcourt, a salué dans un communiqué « une offre sérieuse » et assuré que la direction accompagnerait le projet pour « préserver le maximum d'emplois dans la vallée ».",
  "Les syndicats, qui occupent une partie de l'usine depuis trois semaines, ont décidé de poursuivre le mouvement jusqu'à l'examen du dossier, prévu le 5 mai. La CGT demande que l'offre soit améliorée pour reprendre au moins 300 salariés.",
  "Fonderie Castelli, qui emploie 2 100 personnes en Lombardie et au Piémont, cherche à s'implanter en France pour se rapprocher de ses clients de l'aéronautique, selon son directeur général, Stefano Ruggeri.",
].join('\n\n');
