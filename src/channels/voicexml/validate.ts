/**
 * Validation of VoiceXML documents against the W3C VoiceXML 2.1 schema (with its SRGS and SSML parts), and of
 * SRGS grammars against the SRGS 1.0 schema beside it,
 * through xmllint compiled to WebAssembly: no native build, no network, no catalog.
 *
 * The schema folder defaults to `../shared/vxml-schema` beside the repository; `PARLEY_VXML_SCHEMA_DIR`
 * points elsewhere.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';
import { ParleyError } from '../../errors.ts';

export interface VxmlValidationError {
  message: string;
  /** 1-based line in the document, when xmllint gave one. */
  line?: number;
}

export interface VxmlValidationResult {
  valid: boolean;
  errors: VxmlValidationError[];
}

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export function vxmlSchemaDir(): string {
  return process.env.PARLEY_VXML_SCHEMA_DIR ?? resolve(repoRoot, '../shared/vxml-schema');
}

/** The schema folder's files, by name. */
type LoadedSchema = Map<string, XMLFileInfo>;

const loaded = new Map<string, Promise<LoadedSchema>>();

async function loadSchema(dir: string): Promise<LoadedSchema> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.xsd'));
  } catch (cause) {
    throw new ParleyError('PARLEY_ERR_CONFIG', `the VoiceXML schema folder ${dir} cannot be read; set PARLEY_VXML_SCHEMA_DIR`, { cause });
  }
  if (!names.includes('vxml.xsd')) {
    throw new ParleyError('PARLEY_ERR_CONFIG', `no vxml.xsd in ${dir}; set PARLEY_VXML_SCHEMA_DIR to the W3C VoiceXML 2.1 schema folder`);
  }
  const files = await Promise.all(names.map(async (fileName) => ({ fileName, contents: await readFile(join(dir, fileName), 'utf8') })));
  return new Map(files.map((f) => [f.fileName, f]));
}

function schemaFor(dir: string): Promise<LoadedSchema> {
  let schema = loaded.get(dir);
  if (!schema) {
    schema = loadSchema(dir);
    loaded.set(dir, schema);
    schema.catch(() => loaded.delete(dir));
  }
  return schema;
}

/** Validates one VoiceXML document (a string) against `vxml.xsd`. */
export async function validateVxml(document: string, options: { schemaDir?: string } = {}): Promise<VxmlValidationResult> {
  const [result] = await validateVxmlDocuments([document], options);
  return result ?? { valid: false, errors: [{ message: 'no result from xmllint' }] };
}

/** Validates several documents in one xmllint run (cheaper than one run each); results in the same order. */
export function validateVxmlDocuments(documents: readonly string[], options: { schemaDir?: string } = {}): Promise<VxmlValidationResult[]> {
  return validateAgainst('vxml.xsd', documents, options);
}

/** Validates SRGS XML grammars against the W3C SRGS 1.0 schema (`grammar.xsd`, beside `vxml.xsd`). */
export function validateSrgsDocuments(documents: readonly string[], options: { schemaDir?: string } = {}): Promise<VxmlValidationResult[]> {
  return validateAgainst('grammar.xsd', documents, options);
}

async function validateAgainst(main: string, documents: readonly string[], options: { schemaDir?: string }): Promise<VxmlValidationResult[]> {
  if (documents.length === 0) return [];
  const dir = options.schemaDir ?? vxmlSchemaDir();
  const files = await schemaFor(dir);
  const schema = files.get(main);
  if (!schema) throw new ParleyError('PARLEY_ERR_CONFIG', `no ${main} in ${dir}; set PARLEY_VXML_SCHEMA_DIR to the W3C VoiceXML 2.1 schema folder`);
  const xml = documents.map((contents, i) => ({ fileName: `doc${i}.vxml`, contents }));
  const outcome = await validateXML({ xml, schema: [schema], preload: [...files.values()].filter((f) => f !== schema) });
  const results: VxmlValidationResult[] = documents.map(() => ({ valid: true, errors: [] }));
  for (const error of outcome.errors) {
    const index = error.loc ? Number(/^doc(\d+)\.vxml$/.exec(error.loc.fileName)?.[1] ?? -1) : -1;
    const targets = index >= 0 ? [results[index]] : results;
    for (const target of targets) {
      if (!target) continue;
      target.valid = false;
      target.errors.push(error.loc ? { message: error.message, line: error.loc.lineNumber } : { message: error.message });
    }
  }
  if (!outcome.valid && results.every((r) => r.valid)) {
    for (const r of results) {
      r.valid = false;
      r.errors.push({ message: outcome.rawOutput.trim() || 'xmllint rejected the documents' });
    }
  }
  return results;
}
