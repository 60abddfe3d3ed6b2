// Browser benchmark of the questionnaire runtime: re-evaluation time of a
// generated 300-question form with 200 expressions after one answer changes,
// in Chromium with 4x CPU throttling, against a 1-question form in the same
// run. Run from the repository root: `node bench/web/forms.mjs`.

import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { CPU_SLOWDOWN, REPO, launchBrowser, median, quantile, throttleCpu } from './shared.mjs';

const QUESTIONS = 300;
const CHANGES = 400;
const WARMUP_CHANGES = 30;
const BATCH_REPEATS = 2000;
// Origin the page is served under by request interception: no packet leaves the browser.
const PAGE_URL = 'http://127.0.0.1:9/bench/forms';

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same form. */
function randomSource(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Answerable question types in the order they repeat, with their name prefix and name list.
const ANSWERABLE_KINDS = [
  { type: 'integer', prefix: 'n', names: (lists) => lists.ints },
  { type: 'select_one', prefix: 's', names: (lists) => lists.selects },
  { type: 'text', prefix: 't', names: (lists) => lists.texts },
];

const WORDS = ['casa', 'azul', 'norte', 'pago', 'tienda', 'calle', 'puerta', 'reja', 'centro', 'vecino'];

/**
 * Builds the form: 230 answerable questions (integer, select_one, text) and
 * 70 calculate questions. Expressions: 70 calculations, 70 relevant and 60
 * constraint columns, 200 in all, mixing ${refs} to earlier questions (and a
 * few to later ones, which the runtime's second round settles).
 */
function bigForm() {
  const random = randomSource(42);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const questions = [];
  const lists = { ints: [], selects: [], texts: [] };
  const { ints, selects, texts } = lists;
  const calcs = [];
  let relevantLeft = 70;
  let constraintLeft = 60;

  for (let i = 0; i < QUESTIONS; i++) {
    const number = String(i + 1).padStart(3, '0');
    const isCalc = i % 30 >= 23 && ints.length > 0 && selects.length > 0 && texts.length > 0;
    if (isCalc) {
      const name = `c${number}`;
      const a = pick(ints);
      const b = pick(ints);
      const shapes = [
        `\${${a}} + \${${b}} * 2`,
        `if(selected(\${${pick(selects)}}, 'si'), \${${a}} div 2, 0)`,
        `concat(\${${pick(texts)}}, '-', \${${a}})`,
        `round(\${${a}} * 1.16, 2)`,
        calcs.length > 0 ? `coalesce(\${${pick(calcs)}}, 0) + \${${b}}` : `\${${a}} mod 7`,
        `string-length(\${${pick(texts)}}) + \${${b}}`,
      ];
      questions.push({ type: 'calculate', name, calculation: shapes[i % shapes.length] });
      calcs.push(name);
      continue;
    }

    const { type, prefix, names } = ANSWERABLE_KINDS[i % 3];
    const name = `${prefix}${number}`;
    const question = { type, name, label: { es: `Pregunta ${number}`, en: `Question ${number}` } };
    if (type === 'select_one') question.list_name = 'si_no';

    // Questions at positions 0-2 of every ten get a relevant column until 70 are placed.
    if (relevantLeft > 0 && ints.length > 2 && i % 10 < 3) {
      const forward = i < QUESTIONS - 10 && random() < 0.1 ? `n${String(i + 4 - ((i + 3) % 3)).padStart(3, '0')}` : null;
      const a = forward ?? pick(ints);
      const shapes = [
        `\${${a}} > 20`,
        `selected(\${${pick(selects)}}, 'si') and \${${a}} < 80`,
        calcs.length > 0 ? `\${${pick(texts)}} != '' or \${${pick(calcs)}} > 50` : `\${${a}} != ''`,
        `not(\${${pick(selects)}} = 'no') or \${${a}} >= 50`,
      ];
      question.relevant = shapes[i % shapes.length];
      relevantLeft--;
    }
    if (constraintLeft > 0 && i % 10 >= 5 && i % 10 < 8) {
      if (type === 'integer') question.constraint = '. >= 0 and . <= 100';
      else if (type === 'text') question.constraint = i % 2 === 0 ? 'string-length(.) <= 40' : "regex(., '^[a-z ]+$')";
      else question.constraint = `. != 'no' or \${${pick(ints)}} < 90`;
      question.constraint_message = { es: 'Valor fuera de rango', en: 'Value out of range' };
      constraintLeft--;
    }
    questions.push(question);
    names(lists).push(name);
  }

  const definition = {
    form_id: 'bench_300',
    version: '1',
    title: { es: 'Formulario de prueba de rendimiento' },
    default_language: 'es',
    languages: ['es', 'en'],
    questions,
    choices: {
      si_no: [
        { name: 'si', label: { es: 'Sí', en: 'Yes' } },
        { name: 'no', label: { es: 'No', en: 'No' } },
      ],
    },
  };
  const valueFor = (name) => {
    if (name.startsWith('n')) return Math.floor(random() * 101);
    if (name.startsWith('s')) return random() < 0.6 ? 'si' : 'no';
    return `${pick(WORDS)} ${pick(WORDS)}`;
  };
  const answerable = [...ints, ...selects, ...texts];
  const answers = Object.fromEntries(answerable.map((name) => [name, valueFor(name)]));
  const changes = Array.from({ length: CHANGES + WARMUP_CHANGES }, () => {
    const name = pick(answerable);
    return { name, value: valueFor(name) };
  });
  return { definition, answers, changes };
}

/** Builds the baseline form: one integer question with one constraint. */
function oneQuestionForm() {
  const random = randomSource(7);
  const definition = {
    form_id: 'bench_1',
    version: '1',
    title: { es: 'Una pregunta' },
    default_language: 'es',
    languages: ['es', 'en'],
    questions: [{ type: 'integer', name: 'n001', label: { es: 'Monto' }, constraint: '. >= 0 and . <= 100' }],
    choices: {},
  };
  const changes = Array.from({ length: CHANGES + WARMUP_CHANGES }, () => ({ name: 'n001', value: Math.floor(random() * 101) }));
  return { definition, answers: { n001: 50 }, changes };
}

/** Bundles bench/web/forms-entry.ts and the runtime it imports into one script, with web/'s Rolldown. */
async function bundle() {
  const requireFromWeb = createRequire(resolve(REPO, 'web', 'package.json'));
  const { rolldown } = requireFromWeb('rolldown');
  const build = await rolldown({ input: resolve(REPO, 'bench', 'web', 'forms-entry.ts'), logLevel: 'warn' });
  const { output } = await build.generate({ format: 'iife', name: 'formsBench', minify: true });
  await build.close();
  return output[0].code;
}

/** Times one form at one throttling rate; returns per-change stats and the batch mean, in ms. */
async function measure(page, form) {
  const result = await page.evaluate(
    ({ definition, answers, changes, warmup, repeats }) => {
      const bench = globalThis.formsBench;
      bench.timeChanges(definition, answers, changes.slice(0, warmup));
      const durations = bench.timeChanges(definition, answers, changes.slice(warmup));
      const batchMean = bench.timeBatch(definition, answers, changes, repeats);
      return {
        durations,
        batchMean,
        expressions: bench.countExpressions(definition),
        state: bench.relevantCount(definition, answers),
      };
    },
    { ...form, warmup: WARMUP_CHANGES, repeats: form.definition.questions.length > 1 ? 100 : BATCH_REPEATS },
  );
  return {
    median: median(result.durations),
    p95: quantile(result.durations, 0.95),
    max: Math.max(...result.durations),
    batchMean: result.batchMean,
    expressions: result.expressions,
    state: result.state,
  };
}

async function main() {
  const script = await bundle();
  const browser = await launchBrowser();
  const rows = [];
  try {
    for (const rate of [CPU_SLOWDOWN, 1]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
      await page.route(PAGE_URL, (route) =>
        route.fulfill({
          status: 200,
          headers: {
            'Content-Type': 'text/html; charset=utf-8',
            'Cross-Origin-Opener-Policy': 'same-origin',
            'Cross-Origin-Embedder-Policy': 'require-corp',
          },
          body: `<!doctype html><meta charset="utf-8"><title>forms bench</title><script>${script}</script>`,
        }),
      );
      await page.goto(PAGE_URL);
      if (!(await page.evaluate(() => globalThis.crossOriginIsolated))) {
        console.warn('page is not cross-origin isolated: timer resolution is 100 µs');
      }
      await throttleCpu(context, page, rate);
      for (const [label, form] of [
        ['300 questions, 200 expressions', bigForm()],
        ['baseline: 1 question, 1 expression', oneQuestionForm()],
      ]) {
        const stats = await measure(page, form);
        rows.push({ rate, label, ...stats });
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }

  const baselines = new Map(rows.filter((row) => row.label.startsWith('baseline')).map((row) => [row.rate, row.batchMean]));
  console.log(`${CHANGES} changes per form after ${WARMUP_CHANGES} warm-up changes; times in ms`);
  for (const row of rows) {
    const ratio = row.batchMean / baselines.get(row.rate);
    console.log(
      [
        `${row.rate}x CPU`,
        row.label,
        `median ${row.median.toFixed(3)}`,
        `p95 ${row.p95.toFixed(3)}`,
        `max ${row.max.toFixed(3)}`,
        `batch mean ${row.batchMean.toFixed(4)}`,
        `vs baseline ${ratio.toFixed(0)}x`,
        `expressions ${JSON.stringify(row.expressions)}`,
        `shown ${row.state.relevant}, problems ${row.state.problems}, blank calculations ${row.state.blankCalculations}`,
      ].join(' | '),
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
