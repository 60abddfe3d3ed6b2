// Error box shown when a panel's list could not be read, with a retry button.

import { useI18n } from '../../shared/ui/i18n-context';

export function LoadFailed(props: { message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div role="alert" class="form-error">
      <p>
        {t('notify.loadFailed')} {props.message}
      </p>
      <button type="button" class="button button--small" onClick={props.onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}
