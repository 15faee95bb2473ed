/**
 * The 20 search terms, by how many of the seeded users match (bench/lib/seed.ts: first names cycle every 60
 * users, last names every 60 × 81): common ones match a page among the newest rows, rare ones a handful to a few
 * hundred users spread over the table, absent ones nobody. The worst of them is the search's figure (issue 23).
 */
export const SEARCH_TERMS: ReadonlyArray<{ term: string; kind: 'common' | 'rare' | 'absent' }> = [
  { term: 'smith', kind: 'common' },
  { term: 'Garcia', kind: 'common' },
  { term: 'tanaka', kind: 'common' },
  { term: 'olivia', kind: 'common' },
  { term: 'park', kind: 'common' },
  { term: 'müller', kind: 'common' },
  { term: 'example.org', kind: 'common' },
  { term: 'son', kind: 'common' },
  { term: 'jonas.lee', kind: 'rare' },
  { term: 'priya.k', kind: 'rare' },
  { term: 'helga.sato', kind: 'rare' },
  { term: 'wei.rossi', kind: 'rare' },
  { term: 'ines.m', kind: 'rare' },
  { term: 'zainab.patel', kind: 'rare' },
  { term: '.4242@', kind: 'rare' },
  { term: 'yara.dubois.7', kind: 'rare' },
  { term: 'zzqx', kind: 'absent' },
  { term: 'nobody.here', kind: 'absent' },
  { term: 'xylophone', kind: 'absent' },
  { term: '@nowhere.invalid', kind: 'absent' },
];
