import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { repoRoot } from './cli.js';

const schema = JSON.parse(
  readFileSync(join(repoRoot, 'schemas', 'ninjs', 'ninjs-schema_2.4.json'), 'utf8'),
) as object;

/**
 * A validator for the vendored IPTC ninjs 2.4 schema, formats (uri, date-time)
 * checked. The schema refers to GeoJSON for `places[].geojson`, which wiresift
 * never writes: an empty stand-in is registered under that id, nothing is fetched.
 */
export function ninjsValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addSchema(
    { $id: 'https://geojson.org/schema/GeoJSON.json' },
    'https://geojson.org/schema/GeoJSON.json',
  );
  const validate = ajv.compile(schema);
  return (doc: unknown): string[] =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
