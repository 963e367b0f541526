/**
 * Test helper: asserts that VoiceXML documents validate against the W3C VoiceXML 2.1 schema
 * (`../shared/vxml-schema/vxml.xsd`, or `PARLEY_VXML_SCHEMA_DIR`). Several documents are checked in one
 * xmllint run; the failure message names each invalid document with xmllint's errors and the document.
 */
import { expect } from 'vitest';
import { validateVxmlDocuments } from '../../src/channels/voicexml/validate.ts';

export async function expectValidVxml(...documents: string[]): Promise<void> {
  const results = await validateVxmlDocuments(documents);
  const failures = results
    .map((r, i) => (r.valid ? undefined : `document ${i}:\n${r.errors.map((e) => `  line ${e.line ?? '?'}: ${e.message}`).join('\n')}\n${documents[i] ?? ''}`))
    .filter((f): f is string => f !== undefined);
  expect(failures.join('\n\n'), 'documents must validate against vxml.xsd').toBe('');
}
