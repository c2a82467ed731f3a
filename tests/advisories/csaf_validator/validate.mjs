// Test-only: runs the CSAF 2.0 strict schema test and every mandatory test (section 6.1) of
// @secvisogram/csaf-validator-lib on the JSON documents named on the command line and prints
// one JSON result per document ({file, isValid, errors}). Exit status 0 even when a document
// fails: the Python test reads the results and names the failing test.
import { readFile } from 'node:fs/promises'
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js'
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js'
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js'

const tests = [csaf_2_0_strict, ...Object.values(mandatory)]
const results = []
for (const file of process.argv.slice(2)) {
  const document = JSON.parse(await readFile(file, 'utf8'))
  const result = await validateStrict(tests, document)
  const failed = result.tests.filter((t) => !t.isValid).map((t) => ({
    name: t.name,
    errors: t.errors,
  }))
  results.push({ file, isValid: result.isValid, failed })
}
process.stdout.write(JSON.stringify(results))
