// Helpers for the accounts components' tests: a fetch stub that responds by
// method and path, and mounting inside the i18n provider.

import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { vi } from 'vitest';
import { ApiClient } from '../../shared/api';
import { LanguageStore } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';

export interface RecordedRequest {
  method: string;
  url: string;
  body: BodyInit | null | undefined;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/**
 * Returns an API client whose requests go to `routes`, keyed by "METHOD /path"
 * without the query string. An unknown route fails the test's request.
 */
export function stubApi(routes: Record<string, Handler>) {
  const requests: RecordedRequest[] = [];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const request = { method, url, body: init?.body };
    requests.push(request);
    const handler = routes[`${method} ${url.split('?')[0]}`];
    if (handler === undefined) {
      throw new Error(`No stub for ${method} ${url}`);
    }
    return handler(request);
  });
  const api = new ApiClient({ fetch: fetchStub as unknown as typeof fetch });
  api.setCsrfToken('token-123');
  return { api, requests };
}

export function mount(children: ComponentChildren): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  render(<I18nProvider store={new LanguageStore('es')}>{children}</I18nProvider>, container);
  return container;
}

/** Lets pending promises settle and Preact re-render. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

export async function click(element: Element | null): Promise<void> {
  if (element === null) throw new Error('Element to click not found');
  await act(async () => {
    (element as HTMLElement).click();
  });
  await settle();
}

export async function selectOption(select: HTMLSelectElement | null, value: string): Promise<void> {
  if (select === null) throw new Error('Select not found');
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

export async function chooseFile(input: HTMLInputElement | null, file: File): Promise<void> {
  if (input === null) throw new Error('File input not found');
  await act(async () => {
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

export function buttonByText(container: HTMLElement, text: string): HTMLButtonElement | null {
  return [...container.querySelectorAll('button')].find((button) => button.textContent?.trim() === text) ?? null;
}
