// Starts the real `ronda` binary on a fresh SQLite database for one test file.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of the server binary: $RONDA_BIN, or the debug build next to the repository root. */
export const RONDA_BIN = resolve(E2E_DIR, process.env.RONDA_BIN ?? '../target/debug/ronda');

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const LISTENING_LINE = /Ronda listening on (http:\/\/127\.0\.0\.1:\d+)/;

export const ORG_NAME = 'Despacho Norte';

export const ADMIN = { email: 'ana@example.mx', name: 'Ana Salinas', role: 'admin', password: 'correcta-y-larga-1' };
export const AGENT = { email: 'beto@example.mx', name: 'Beto Ramírez', role: 'agent', password: 'gestor-en-campo-2' };

function runCli(args, stdin) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(RONDA_BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) {
        resolvePromise(output);
      } else {
        reject(new Error(`ronda ${args.join(' ')} exited with ${code ?? signal}:\n${output}`));
      }
    });
    child.stdin.end(stdin);
  });
}

/**
 * Creates a user with `ronda user add`. The first user creates the
 * organization, and later ones join it.
 */
async function addUser(databaseUrl, user, createOrg) {
  const args = ['--database', databaseUrl, 'user', 'add', '--org', ORG_NAME];
  if (createOrg) {
    args.push('--create-org');
  }
  args.push('--email', user.email, '--name', user.name, '--role', user.role, '--password-stdin');
  await runCli(args, `${user.password}\n`);
}

function waitForListening(child, logs) {
  return new Promise((resolvePromise, reject) => {
    let stdoutBuffer = '';
    const timer = setTimeout(() => {
      reject(new Error(`ronda serve did not print its listening line within ${STARTUP_TIMEOUT_MS} ms:\n${logs.join('')}`));
    }, STARTUP_TIMEOUT_MS);

    child.stdout.on('data', (chunk) => {
      stdoutBuffer += chunk;
      const match = LISTENING_LINE.exec(stdoutBuffer);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`ronda serve exited with ${code ?? signal} before listening:\n${logs.join('')}`));
    });
  });
}

/**
 * Creates a database with the admin (and any `extraUsers`) in one
 * organization and starts `ronda serve` on a free loopback port, with `env`
 * added to its environment. Returns the
 * base URL and a `stop` function that sends SIGTERM and removes the database.
 */
export async function startServer({ extraUsers = [], env = {} } = {}) {
  if (!existsSync(RONDA_BIN)) {
    throw new Error(`Server binary not found at ${RONDA_BIN}. Build it or set RONDA_BIN.`);
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'ronda-e2e-'));
  const databaseUrl = `sqlite://${dataDir}/ronda.sqlite`;
  await addUser(databaseUrl, ADMIN, true);
  for (const user of extraUsers) {
    await addUser(databaseUrl, user, false);
  }

  const logs = [];
  const child = spawn(RONDA_BIN, ['--database', databaseUrl, 'serve', '--listen', '127.0.0.1:0', '--tracking-listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  child.stdout.on('data', (chunk) => logs.push(String(chunk)));
  child.stderr.on('data', (chunk) => logs.push(String(chunk)));

  let baseUrl;
  try {
    baseUrl = await waitForListening(child, logs);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  return { baseUrl, stop, logs };
}
