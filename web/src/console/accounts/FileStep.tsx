// Step 1 of the import: the target portfolio, the file and, for a workbook
// with several sheets, the sheet to read.

import type { ImportPreview, Portfolio } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { describeFormat } from './format';

/** File types that the picker suggests. Users can still choose any file, so the server's preview is the real check. */
const ACCEPTED_FILES =
  '.csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type FileStepField = 'portfolio' | 'file';

interface FileStepProps {
  portfolios: Portfolio[];
  portfolioId: string;
  onPortfolioChange: (portfolioId: string) => void;
  onFileChange: (file: File | null) => void;
  preview: ImportPreview | null;
  sheet: string | null;
  onSheetChange: (sheet: string) => void;
  busy: boolean;
  invalidField: FileStepField | null;
  /** Id of the element that shows the step's error, for `aria-describedby`. */
  errorId: string;
}

export function FileStep(props: FileStepProps) {
  const { preview } = props;
  const { t } = useI18n();

  if (props.portfolios.length === 0) {
    return <p class="notice">{t('import.noPortfolios')}</p>;
  }

  const describedBy = (field: FileStepField, hintId?: string) =>
    [props.invalidField === field ? props.errorId : null, hintId ?? null].filter((id) => id !== null).join(' ') ||
    undefined;

  const showSheets = preview !== null && preview.format.kind === 'xlsx' && preview.sheets.length > 1;

  return (
    <div class="file-step">
      <div class="form-field">
        <label for="import-portfolio">{t('import.portfolio')}</label>
        <select
          id="import-portfolio"
          name="portfolio"
          value={props.portfolioId}
          aria-invalid={props.invalidField === 'portfolio'}
          aria-describedby={describedBy('portfolio')}
          onChange={(event) => props.onPortfolioChange(event.currentTarget.value)}
        >
          <option value="">{t('import.choosePortfolio')}</option>
          {props.portfolios.map((portfolio) => (
            <option key={String(portfolio.id)} value={String(portfolio.id)}>
              {portfolio.lender_name} · {portfolio.name}
            </option>
          ))}
        </select>
      </div>

      <div class="form-field">
        <label for="import-file">{t('import.file')}</label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept={ACCEPTED_FILES}
          disabled={props.busy}
          aria-invalid={props.invalidField === 'file'}
          aria-describedby={describedBy('file', 'import-file-hint')}
          onChange={(event) => props.onFileChange(event.currentTarget.files?.[0] ?? null)}
        />
        <p id="import-file-hint" class="hint">
          {t('import.fileHint')}
        </p>
      </div>

      {showSheets ? (
        <div class="form-field">
          <label for="import-sheet">{t('import.sheet')}</label>
          <select
            id="import-sheet"
            name="sheet"
            value={props.sheet ?? preview.format.sheet ?? ''}
            disabled={props.busy}
            onChange={(event) => props.onSheetChange(event.currentTarget.value)}
          >
            {preview.sheets.map((sheet) => (
              <option key={sheet} value={sheet}>
                {sheet}
              </option>
            ))}
          </select>
        </div>
      ) : null}

      {preview !== null && !props.busy ? (
        <div class="file-step__summary">
          <p>
            {t('import.fileSummary', { file: preview.file_name, rows: preview.rows, headerRow: preview.header_row })}
          </p>
          <p class="hint">{describeFormat(preview.format, t)}</p>
        </div>
      ) : null}
    </div>
  );
}
