// The server's report on an uploaded form: its problems by sheet, row and
// column, or the status of the checked or published version.

import { useI18n } from '../../shared/ui/i18n-context';
import type { FormUploadReport } from './api';

export function UploadReport(props: { report: FormUploadReport }) {
  const { t } = useI18n();
  const { report } = props;
  if (report.status !== 'problems') {
    return (
      <p role="status">
        {t(`forms.status.${report.status}`)} {report.form_id} {report.version} ({report.question_count})
      </p>
    );
  }
  return (
    <table>
      <caption>{t('forms.problemsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('forms.sheet')}</th>
          <th scope="col">{t('forms.row')}</th>
          <th scope="col">{t('forms.column')}</th>
          <th scope="col">{t('forms.problem')}</th>
        </tr>
      </thead>
      <tbody>
        {report.problems.map((problem, index) => (
          <tr key={index}>
            <td>{problem.sheet}</td>
            <td>{problem.row ?? ''}</td>
            <td>{problem.column ?? ''}</td>
            <td>{problem.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
