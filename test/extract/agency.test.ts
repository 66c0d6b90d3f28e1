import { describe, expect, it } from 'vitest';
import {
  bylineAgency,
  creditAgency,
  datelineAgency,
  isCreditLine,
  readDateline,
} from '../../src/extract/agency.js';
import { extractArticle } from '../../src/extract/extract-article.js';

describe('agency credit lines', () => {
  it.each([
    ['Avec AFP', 'AFP'],
    ['(AFP)', 'AFP'],
    ['Source : AFP', 'AFP'],
    ['source: Reuters', 'Reuters'],
    ['avec Reuters', 'Reuters'],
    ['(Reuters)', 'Reuters'],
    ['— with Reuters', 'Reuters'],
    ['With AP', 'AP'],
    ['AP', 'AP'],
    ['Ouest Littoral avec AFP', 'AFP'],
    ['Avec AFP et Reuters', 'AFP'],
    ['Copyright 2025 The Associated Press. All rights reserved. This material may not be published.', 'AP'],
    ['Copyright © 2025 The Associated Press. All rights reserved.', 'AP'],
  ])('%s -> %s', (line, agency) => {
    expect(creditAgency(line)).toBe(agency);
    expect(isCreditLine(line)).toBe(true);
  });

  it('sentences that mention an agency are not credits', () => {
    for (const line of [
      "Le ministre a confirmé l'information à l'AFP mardi soir.",
      'A spokesman told Reuters the talks would resume on Monday.',
      'The AP reported that three people were injured in the blast near the station.',
    ]) {
      expect(creditAgency(line), line).toBeNull();
      expect(isCreditLine(line), line).toBe(false);
    }
  });

  it('sign-offs and photo credits are credit lines but name no text agency', () => {
    for (const line of [
      '(Reporting by Kari Lunde; Editing by Mark Heller)',
      'Photo : Jean Martin / AFP',
      '© AFP',
      '(Reuters Photo)',
    ]) {
      expect(isCreditLine(line), line).toBe(true);
      expect(creditAgency(line), line).toBeNull();
    }
  });
});

describe('datelines', () => {
  it.each([
    ['PARIS, 13 sept 2024 (AFP) - Le gouvernement a annoncé…', 'AFP'],
    ['OSLO, March 5 (Reuters) - Shares in…', 'Reuters'],
    ['WASHINGTON (AP) — The Senate voted…', 'AP'],
    ['SAINT-ÉTIENNE, 2 mai 2025 (AFP) - Les supporters…', 'AFP'],
    ['(AFP) - Le gouvernement a annoncé…', 'AFP'],
  ])('%s', (p, agency) => {
    expect(datelineAgency(p)).toBe(agency);
  });

  it.each([
    ['PARIS, 13 sept 2024 (AFP) - Le gouvernement a annoncé…', 'PARIS, 13 sept 2024 (AFP)'],
    ['OSLO, March 5 (Reuters) - Shares in…', 'OSLO, March 5 (Reuters)'],
    ['WASHINGTON (AP) — The Senate voted…', 'WASHINGTON (AP)'],
    ['(AFP) - Le gouvernement a annoncé…', null],
    ['La rédaction a contacté le ministère (AFP).', null],
  ])('dateline of %s', (p, dateline) => {
    expect(readDateline(p)).toBe(dateline);
  });

  it('extraction reports the dateline and keeps it in the text', () => {
    const r = extractArticle(
      `<html><body><article><p>LYON, 2 mai 2025 (AFP) - Un incendie s'est déclaré mardi dans une usine, a-t-on appris de source préfectorale.</p><p>Les pompiers sont intervenus en nombre, les riverains ont été confinés pendant plusieurs heures.</p></article></body></html>`,
      { boilerplate: [] },
    );
    expect(r.dateline).toBe('LYON, 2 mai 2025 (AFP)');
    expect(r.agency).toBe('AFP');
    expect(r.text).toMatch(/^LYON, 2 mai 2025 \(AFP\) - Un incendie/);
  });

  it('an agency in parentheses later in the paragraph is not a dateline', () => {
    expect(
      datelineAgency(
        'Le texte, adopté mardi par les députés après des semaines de débats houleux dans l’hémicycle (AFP) - …',
      ),
    ).toBeNull();
    expect(datelineAgency('La rédaction a contacté le ministère.')).toBeNull();
  });
});

describe('bylines', () => {
  it('name the agency when the byline is a credit', () => {
    expect(bylineAgency('The Daily Ledger staff with Reuters')).toBe('Reuters');
    expect(bylineAgency('Par Rédaction avec AFP')).toBe('AFP');
    expect(bylineAgency('Reuters')).toBe('Reuters');
    expect(bylineAgency('Camille Roux')).toBeNull();
  });
});
