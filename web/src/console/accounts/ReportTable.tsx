// Result of an import run: the counts, and the problems that kept rows out,
// each with the row and column to fix in the file.

import type { ImportReport } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';

/** Counts of a dry run (what would happen) or of a real import (what happened). */
export function ImportCounts(props: { report: ImportReport }) {
  const { t } = useI18n();
  const { report } = props;
  const items = [
    { label: t('import.rowsRead'), value: report.rows_read },
    { label: report.dry_run ? t('import.wouldCreate') : t('import.created'), value: report.created },
    { label: report.dry_run ? t('import.wouldUpdate') : t('import.updated'), value: report.updated },
    { label: t('import.unchanged'), value: report.unchanged },
    { label: t('import.rejected'), value: report.rejected },
  ];

  return (
    <dl class="import-counts" aria-label={t('import.countsTitle')}>
      {items.map((item) => (
        <div key={item.label} class="import-counts__item">
          <dt>{item.label}</dt>
          <dd>{item.value.toLocaleString('es-MX')}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ProblemsTable(props: { report: ImportReport }) {
  const { t } = useI18n();
  const { problems, problems_truncated: truncated } = props.report;

  if (problems.length === 0) {
    return <p>{t('import.noProblems')}</p>;
  }

  return (
    <section aria-labelledby="import-problems-title" class="import-problems">
      <h3 id="import-problems-title">{t('import.problemsTitle')}</h3>
      {truncated ? <p class="notice">{t('import.truncated', { count: problems.length })}</p> : null}
      <div class="table-scroll">
        <table class="data-table problems-table">
          <thead>
            <tr>
              <th scope="col" class="numeric">
                {t('import.colRow')}
              </th>
              <th scope="col">{t('import.colColumn')}</th>
              <th scope="col">{t('import.colValue')}</th>
              <th scope="col">{t('import.colProblem')}</th>
              <th scope="col">{t('import.colFix')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((problem, index) => (
              <tr key={`${problem.row}-${problem.column}-${index}`}>
                <th scope="row" class="numeric">
                  {problem.row}
                </th>
                <td>{problem.column}</td>
                <td class="problems-table__value">
                  {problem.value === '' ? <span class="muted">{t('import.emptyCell')}</span> : problem.value}
                </td>
                <td>{problem.message}</td>
                <td>{problem.fix}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
