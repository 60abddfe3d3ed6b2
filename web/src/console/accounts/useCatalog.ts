// Lenders and portfolios of the organization, loaded once for the whole
// accounts section: the list filter, the import wizard and the lenders panel
// all read the same copy.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Lender, Portfolio } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';

export type CatalogState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'loaded'; lenders: Lender[]; portfolios: Portfolio[] };

export interface Catalog {
  state: CatalogState;
  /** Loads both lists again, for a retry or after an import changed account counts. */
  reload: () => void;
  addLender: (lender: Lender) => void;
  addPortfolio: (portfolio: Portfolio) => void;
}

export function useCatalog(api: ApiClient): Catalog {
  const { t } = useI18n();
  const [state, setState] = useState<CatalogState>({ kind: 'loading' });
  // Only the newest load may set the state, so a slow earlier response cannot overwrite it.
  const latestLoad = useRef(0);

  const reload = () => {
    const load = ++latestLoad.current;
    setState((previous) => (previous.kind === 'loaded' ? previous : { kind: 'loading' }));
    Promise.all([api.listLenders(), api.listPortfolios()]).then(
      ([lenders, portfolios]) => {
        if (load === latestLoad.current) setState({ kind: 'loaded', lenders, portfolios });
      },
      (failure: unknown) => {
        if (load === latestLoad.current) setState({ kind: 'failed', message: describeError(failure, t) });
      },
    );
  };

  // `reload` reads `t` only for error text, so a language change needs no refetch.
  useEffect(reload, [api]);

  const addLender = (lender: Lender) =>
    setState((previous) =>
      previous.kind === 'loaded' ? { ...previous, lenders: [...previous.lenders, lender] } : previous,
    );

  const addPortfolio = (portfolio: Portfolio) =>
    setState((previous) =>
      previous.kind === 'loaded' ? { ...previous, portfolios: [...previous.portfolios, portfolio] } : previous,
    );

  return { state, reload, addLender, addPortfolio };
}

/** Returns the loaded portfolios, or an empty list while loading or after a failure. */
export function loadedPortfolios(state: CatalogState): Portfolio[] {
  return state.kind === 'loaded' ? state.portfolios : [];
}
