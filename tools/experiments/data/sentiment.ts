/**
 * Sentence-level sentiment data shipped by the `sentiment` npm package (5.0.2) as test
 * fixtures: `test/fixtures/{imdb,amazon,yelp}.json`, arrays of `{ text, class }` with
 * class 0 (negative) or 1 (positive), 500 of each per domain, plus an empty last record
 * `{ text: "", class: null }` that is dropped here.
 *
 * Licence: the package is MIT (© 2016 Andrew Sliwinski). The sentences are the UCI
 * "Sentiment Labelled Sentences" data set (Kotzias, Denil, de Freitas & Smyth, KDD 2015),
 * which the UCI Machine Learning Repository distributes under CC BY 4.0 (attribution; UCI
 * licenses its data sets so — not verifiable offline here, check before publishing).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetFormatError } from '../errors';

export const SENTIMENT_DOMAINS = ['imdb', 'amazon', 'yelp'] as const;
export type SentimentDomain = (typeof SENTIMENT_DOMAINS)[number];

export interface Sentence {
  readonly text: string;
  readonly label: 0 | 1;
}

/** Path of a domain's fixture file in the installed package. */
export function sentimentFixture(domain: SentimentDomain): string {
  return join(dirname(createRequire(import.meta.url).resolve('sentiment/package.json')), 'test', 'fixtures', `${domain}.json`);
}

/**
 * Parses and validates one fixture file's text. Only a final record with empty text and
 * null class is dropped; any other malformed record is an error naming its index.
 */
export function parseSentimentFixture(json: string, file: string): Sentence[] {
  let records: unknown;
  try {
    records = JSON.parse(json);
  } catch (error) {
    throw new DatasetFormatError(file, `not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(records)) throw new DatasetFormatError(file, 'expected an array of { text, class } records');
  const last = records[records.length - 1] as { text?: unknown; class?: unknown } | undefined;
  const body = last !== undefined && last.text === '' && last.class === null ? records.slice(0, -1) : records;
  return body.map((r: unknown, i) => {
    const rec = r as { text?: unknown; class?: unknown } | null;
    if (rec === null || typeof rec !== 'object' || typeof rec.text !== 'string' || rec.text.trim() === '') {
      throw new DatasetFormatError(file, `record ${i} has no non-empty string 'text'`);
    }
    if (rec.class !== 0 && rec.class !== 1) throw new DatasetFormatError(file, `record ${i} has class ${JSON.stringify(rec.class)}, expected 0 or 1`);
    return { text: rec.text, label: rec.class };
  });
}

/** The labelled sentences of one domain. */
export function loadSentimentDomain(domain: SentimentDomain): Sentence[] {
  const file = sentimentFixture(domain);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DatasetFormatError(file, `cannot read (${(error as Error).message})`);
  }
  return parseSentimentFixture(text, file);
}
