import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers, FormDefinition } from './model.ts';
import { validateSubmission } from './validate.ts';

const SPEC_DIR = resolve(import.meta.dirname, '../../../../spec/forms');

interface Case {
  name: string;
  form: string;
  now: string;
  external?: Record<string, string>;
  answers: Answers;
  expect: unknown;
}

export function runFile(file: string, loadForm: (name: string) => FormDefinition | undefined): void {
  const doc = JSON.parse(readFileSync(resolve(SPEC_DIR, file), 'utf8')) as {
    forms?: Record<string, FormDefinition>;
    cases: Case[];
  };
  describe(file, () => {
    for (const c of doc.cases) {
      it(c.name, () => {
        const form = doc.forms?.[c.form] ?? loadForm(c.form);
        if (form === undefined) throw new Error(`unknown form ${c.form}`);
        const result = validateSubmission(form, c.answers, c.external === undefined ? { now: c.now } : { now: c.now, external: c.external });
        const key = (p: { path: string; code: string }): string => `${p.path}\u0000${p.code}`;
        const sortProblems = (list: { path: string; code: string }[]) =>
          [...new Map(list.map((p) => [key(p), { path: p.path, code: p.code }])).values()].sort((a, b) =>
            key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
          );
        const got = result.ok ? result.value : { problems: sortProblems(result.problems) };
        const expected = c.expect as { problems?: { path: string; code: string }[] };
        const want = expected.problems === undefined ? expected : { problems: sortProblems(expected.problems) };
        expect(got).toEqual(want);
      });
    }
  });
}

runFile('validation.json', () => undefined);

const TEMPLATES_DIR = resolve(import.meta.dirname, '../../../../crates/ronda-forms/templates');
runFile('templates.json', (name) => JSON.parse(readFileSync(resolve(TEMPLATES_DIR, `${name}.json`), 'utf8')) as FormDefinition);
