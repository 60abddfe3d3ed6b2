// "Importar cartera": choose the file, map its columns, review a dry run, then
// import. Every step after the first uploads the file again, because the
// server keeps nothing between requests.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { MessageKey } from '../../shared/i18n';
import type { EntityId, ImportMapping, ImportPreview, ImportReport, Portfolio } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { FileStep, type FileStepField } from './FileStep';
import { MappingStep, findMappingIssues, hasMappingIssues } from './MappingStep';
import { ImportCounts, ProblemsTable } from './ReportTable';
import { TemplatePicker } from './TemplatePicker';

type Step = 'file' | 'mapping' | 'review' | 'done';

const STEPS: ReadonlyArray<{ id: Step; labelKey: MessageKey }> = [
  { id: 'file', labelKey: 'import.step.file' },
  { id: 'mapping', labelKey: 'import.step.mapping' },
  { id: 'review', labelKey: 'import.step.review' },
  { id: 'done', labelKey: 'import.step.done' },
];

/** How often a running dry run or import is polled for its progress. */
const JOB_POLL_MS = 400;

/** Request in flight, which decides the text next to the progress bar. */
type Busy = 'reading' | 'checking' | 'importing' | null;

const BUSY_KEYS: Record<Exclude<Busy, null>, MessageKey> = {
  reading: 'import.reading',
  checking: 'import.checking',
  importing: 'import.importing',
};

interface ImportWizardProps {
  api: ApiClient;
  portfolios: Portfolio[];
  /** Leaves the wizard. After an import it receives the portfolio so the list can show its accounts. */
  onClose: (importedPortfolio: EntityId | null) => void;
  /** Milliseconds between progress polls of a running job. */
  pollMs?: number;
}

export function ImportWizard(props: ImportWizardProps) {
  const { api } = props;
  const { t, language } = useI18n();
  const locale = language === 'es' ? 'es-MX' : 'en-US';
  const [step, setStep] = useState<Step>('file');
  const [portfolioId, setPortfolioId] = useState(() =>
    props.portfolios.length === 1 ? String(props.portfolios[0]!.id) : '',
  );
  const [file, setFile] = useState<File | null>(null);
  const [sheet, setSheet] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>([]);
  const [templateName, setTemplateName] = useState('');
  const [dryRun, setDryRun] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  /** Rows the server has read so far in the running dry run or import. */
  const [rowsDone, setRowsDone] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [invalidField, setInvalidField] = useState<FileStepField | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // A newer upload makes the response to an older one irrelevant.
  const latestRequest = useRef(0);

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  const portfolio = props.portfolios.find((candidate) => String(candidate.id) === portfolioId) ?? null;
  const stepIndex = STEPS.findIndex((candidate) => candidate.id === step);

  const clearError = () => {
    setError(null);
    setInvalidField(null);
  };

  const readFile = async (chosen: File, chosenSheet: string | null) => {
    const request = ++latestRequest.current;
    setBusy('reading');
    clearError();
    setPreview(null);
    try {
      const answer = await api.previewImport({ file: chosen, sheet: chosenSheet });
      if (request !== latestRequest.current) return;
      setPreview(answer);
      setMapping(answer.mapping);
      setSheet(answer.format.kind === 'xlsx' ? answer.format.sheet : null);
    } catch (failure) {
      if (request !== latestRequest.current) return;
      setError(describeError(failure, t));
      setInvalidField('file');
    } finally {
      if (request === latestRequest.current) setBusy(null);
    }
  };

  const onFileChange = (chosen: File | null) => {
    setFile(chosen);
    setSheet(null);
    setPreview(null);
    setDryRun(null);
    if (chosen === null) {
      latestRequest.current++;
      setBusy(null);
      return;
    }
    void readFile(chosen, null);
  };

  const onSheetChange = (chosenSheet: string) => {
    setSheet(chosenSheet);
    setDryRun(null);
    if (file !== null) void readFile(file, chosenSheet);
  };

  const goToMapping = () => {
    clearError();
    if (portfolio === null) {
      setError(t('import.portfolioRequired'));
      setInvalidField('portfolio');
      document.getElementById('import-portfolio')?.focus();
      return;
    }
    if (file === null || preview === null) {
      setError(t('import.fileRequired'));
      setInvalidField('file');
      document.getElementById('import-file')?.focus();
      return;
    }
    setStep('mapping');
  };

  const send = async (isDryRun: boolean): Promise<ImportReport | null> => {
    if (file === null || portfolio === null) return null;
    const request = ++latestRequest.current;
    setBusy(isDryRun ? 'checking' : 'importing');
    clearError();
    setRowsDone(0);
    try {
      let job = await api.startImportJob({
        file,
        sheet,
        portfolioId: portfolio.id,
        mapping,
        dryRun: isDryRun,
        // The template is saved with the real import only, since a dry run writes nothing.
        templateName: isDryRun ? null : templateName,
      });
      while (job.state === 'running') {
        if (request !== latestRequest.current) return null;
        setRowsDone(job.rows_read);
        await new Promise((resolve) => setTimeout(resolve, props.pollMs ?? JOB_POLL_MS));
        job = await api.importJob(job.id);
      }
      if (job.state === 'failed' || job.report === null) {
        throw new ApiError(422, job.error ?? { code: 'internal', message: t('import.jobFailed'), field: null });
      }
      return request === latestRequest.current ? job.report : null;
    } catch (failure) {
      if (request === latestRequest.current) {
        const message = describeError(failure, t);
        setError(isDryRun ? message : `${message} ${t('import.commitFailed')}`);
        if (failure instanceof ApiError && failure.field === 'mapping' && !isDryRun) setStep('mapping');
      }
      return null;
    } finally {
      if (request === latestRequest.current) {
        setBusy(null);
        setRowsDone(null);
      }
    }
  };

  const runDryRun = async () => {
    const report = await send(true);
    if (report !== null) {
      setDryRun(report);
      setStep('review');
    }
  };

  const commit = async () => {
    const report = await send(false);
    if (report !== null) {
      setResult(report);
      setStep('done');
    }
  };

  const startOver = () => {
    latestRequest.current++;
    setFile(null);
    setSheet(null);
    setPreview(null);
    setMapping([]);
    setTemplateName('');
    setDryRun(null);
    setResult(null);
    clearError();
    setStep('file');
  };

  const onMappingChange = (next: ImportMapping) => {
    setMapping(next);
    setDryRun(null);
  };

  const issues = preview === null ? null : findMappingIssues(preview, mapping);
  const importable = dryRun === null ? 0 : dryRun.rows_read - dryRun.rejected;

  return (
    <section aria-labelledby="import-title" class="import-wizard">
      <div class="import-wizard__top">
        <h2 id="import-title">{t('import.title')}</h2>
        {step !== 'done' ? (
          <button type="button" class="button button--small" disabled={busy !== null} onClick={() => props.onClose(null)}>
            {t('import.cancel')}
          </button>
        ) : null}
      </div>

      <ol class="wizard-steps" aria-label={t('import.steps')}>
        {STEPS.map((candidate, index) => (
          <li
            key={candidate.id}
            aria-current={candidate.id === step ? 'step' : undefined}
            class={index < stepIndex ? 'wizard-steps__done' : undefined}
          >
            <span class="wizard-steps__number" aria-hidden="true">
              {index + 1}
            </span>
            {t(candidate.labelKey)}
          </li>
        ))}
      </ol>

      <h3 ref={headingRef} tabIndex={-1} class="import-wizard__step-title">
        {t('import.stepOf', { step: stepIndex + 1, count: STEPS.length, name: t(STEPS[stepIndex]!.labelKey) })}
      </h3>

      <div role="status" class="import-wizard__progress">
        {busy !== null ? (
          <>
            <label for="import-progress">
              {t(BUSY_KEYS[busy])}
              {rowsDone !== null && preview !== null
                ? ` ${t('import.rowsProgress', { done: rowsDone.toLocaleString(locale), total: preview.rows.toLocaleString(locale) })}`
                : null}
            </label>
            {rowsDone !== null && preview !== null ? (
              <progress id="import-progress" value={Math.min(rowsDone, preview.rows)} max={preview.rows} />
            ) : (
              <progress id="import-progress" />
            )}
          </>
        ) : null}
      </div>

      <div role="alert" id="import-error" class={error ? 'form-error' : 'form-error form-error--empty'}>
        {error}
      </div>

      {step === 'file' ? (
        <>
          <FileStep
            portfolios={props.portfolios}
            portfolioId={portfolioId}
            onPortfolioChange={(value) => {
              setPortfolioId(value);
              if (invalidField === 'portfolio') clearError();
            }}
            onFileChange={onFileChange}
            preview={preview}
            sheet={sheet}
            onSheetChange={onSheetChange}
            busy={busy !== null}
            invalidField={invalidField}
            errorId="import-error"
          />
          {props.portfolios.length > 0 ? (
            <div class="wizard-actions">
              <button type="button" class="button button--primary" disabled={busy !== null} onClick={goToMapping}>
                {t('import.next')}
              </button>
            </div>
          ) : null}
        </>
      ) : null}

      {step === 'mapping' && preview !== null && issues !== null ? (
        <>
          {portfolio !== null ? (
            <TemplatePicker
              api={api}
              lenderId={portfolio.lender_id}
              preview={preview}
              onMappingChange={onMappingChange}
            />
          ) : null}
          <MappingStep
            preview={preview}
            mapping={mapping}
            onMappingChange={onMappingChange}
            templateName={templateName}
            onTemplateNameChange={setTemplateName}
            lenderName={portfolio?.lender_name ?? ''}
          />
          <div class="wizard-actions">
            <button type="button" class="button" disabled={busy !== null} onClick={() => setStep('file')}>
              {t('import.back')}
            </button>
            <button
              type="button"
              class="button button--primary"
              disabled={busy !== null || hasMappingIssues(issues)}
              aria-describedby="mapping-warnings"
              onClick={runDryRun}
            >
              {t('import.dryRun')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'review' && dryRun !== null ? (
        <>
          <p>{t('import.reviewIntro')}</p>
          <ImportCounts report={dryRun} />
          <ProblemsTable report={dryRun} />
          {dryRun.rejected > 0 && importable > 0 ? <p class="notice">{t('import.rejectedNote')}</p> : null}
          {importable === 0 ? <p class="notice">{t('import.nothingToImport')}</p> : null}
          <div class="wizard-actions">
            <button type="button" class="button" disabled={busy !== null} onClick={() => setStep('mapping')}>
              {t('import.back')}
            </button>
            <button
              type="button"
              class="button button--primary"
              disabled={busy !== null || importable === 0}
              onClick={commit}
            >
              {t('import.commit')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'done' && result !== null ? (
        <>
          <p class="status-message">
            {t('import.doneBody', { file: preview?.file_name ?? file?.name ?? '', portfolio: portfolio?.name ?? '' })}
          </p>
          <ImportCounts report={result} />
          <ProblemsTable report={result} />
          <div class="wizard-actions">
            <button type="button" class="button" onClick={startOver}>
              {t('import.another')}
            </button>
            <button type="button" class="button button--primary" onClick={() => props.onClose(portfolio?.id ?? null)}>
              {t('import.viewAccounts')}
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
