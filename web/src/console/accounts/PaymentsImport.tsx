// Payments import: the lender's file of payments goes through a dry run that
// lists every row's problems, and is imported only when no row has one. The
// server evaluates the promises to pay against the stored payments, and the
// promises list below shows them across accounts.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { ImportProblem, Lender } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { PromisesList } from './PromisesList';
import { ProblemsTable } from './ReportTable';

export interface PaymentImportReport {
  dry_run: boolean;
  committed: boolean;
  rows_read: number;
  valid_rows: number;
  created: number;
  duplicates: number;
  promises_changed: number;
  rejected: number;
  problems: ImportProblem[];
  problems_truncated: boolean;
}

function paymentsForm(lenderId: string, file: File): FormData {
  const form = new FormData();
  form.append('lender_id', lenderId);
  form.append('file', file, file.name);
  return form;
}

export function PaymentsImport(props: { api: ApiClient; onClose: () => void }) {
  const { api } = props;
  const { t } = useI18n();
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [lenderId, setLenderId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<PaymentImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [imports, setImports] = useState(0);

  useEffect(() => {
    api.listLenders().then(
      (list) => {
        setLenders(list);
        if (list.length === 1 && list[0] !== undefined) setLenderId(String(list[0].id));
      },
      (failure: unknown) => setError(describeError(failure, t)),
    );
  }, [api]);

  const send = async (path: '/api/payments/preview' | '/api/payments') => {
    if (file === null || lenderId === '') {
      setError(t('payments.missingInput'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api.request<PaymentImportReport>('POST', path, paymentsForm(lenderId, file));
      setReport(result);
      if (result.committed) setImports((count) => count + 1);
    } catch (failure) {
      // The import stores nothing when a row has a problem that the dry run did not
      // show, for example an account deleted since. A new dry run lists those rows.
      if (path === '/api/payments' && failure instanceof ApiError && failure.status === 422) {
        setError(t('payments.fixFirst'));
        const again = api.request<PaymentImportReport>('POST', '/api/payments/preview', paymentsForm(lenderId, file));
        setReport(await again.catch(() => null));
      } else {
        setError(describeError(failure, t));
      }
    } finally {
      setBusy(false);
    }
  };

  const reset = () => setReport(null);
  const canCommit = report !== null && report.dry_run && report.problems.length === 0 && !busy;

  return (
    <>
      <section class="payments-import" aria-labelledby="payments-import-title">
        <h2 id="payments-import-title">{t('payments.title')}</h2>
        <p>{t('payments.intro')}</p>
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            void send('/api/payments/preview');
          }}
        >
          <label>
            {t('payments.lender')}
            <select
              value={lenderId}
              onChange={(event) => {
                setLenderId(event.currentTarget.value);
                reset();
              }}
            >
              <option value="">{t('payments.chooseLender')}</option>
              {lenders.map((lender) => (
                <option key={lender.id} value={String(lender.id)}>
                  {lender.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('payments.file')}
            <input
              type="file"
              accept=".csv,.txt,.xlsx"
              onChange={(event) => {
                setFile(event.currentTarget.files?.[0] ?? null);
                reset();
              }}
            />
          </label>
          <p class="muted">{t('payments.columns')}</p>
          <div class="form-actions">
            <button type="submit" class="button" disabled={busy}>
              {t('payments.check')}
            </button>
            <button type="button" class="button button--primary" disabled={!canCommit} onClick={() => void send('/api/payments')}>
              {t('payments.commit')}
            </button>
            <button type="button" class="button" onClick={props.onClose}>
              {t('payments.close')}
            </button>
          </div>
        </form>
        {error !== null && (
          <p role="alert" class="form-error">
            {error}
          </p>
        )}
        {report !== null && (
          <div role="status">
            <p>
              {report.committed
                ? t('payments.committed', {
                    created: String(report.created),
                    duplicates: String(report.duplicates),
                    promises: String(report.promises_changed),
                  })
                : t('payments.dryRun', {
                    rows: String(report.rows_read),
                    created: String(report.created),
                    duplicates: String(report.duplicates),
                    rejected: String(report.rejected),
                    promises: String(report.promises_changed),
                  })}
            </p>
            {report.dry_run && report.problems.length > 0 && <p>{t('payments.fixFirst')}</p>}
          </div>
        )}
        {report !== null && report.problems.length > 0 && <ProblemsTable report={{ ...report, updated: 0, unchanged: 0 }} />}
      </section>
      <PromisesList api={api} lenders={lenders} refreshKey={imports} />
    </>
  );
}
