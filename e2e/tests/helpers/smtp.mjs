// A minimal SMTP server on 127.0.0.1 for the browser tests. It accepts every
// message, with or without AUTH PLAIN, and keeps it in memory so that a test
// can read what Ronda sent. It offers no TLS, so Ronda must use security "none".

import { createServer } from 'node:net';

const HOSTNAME = 'ronda-e2e-smtp';
/** Size limit announced in EHLO, in bytes. Larger messages are still accepted. */
const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

/**
 * Starts the server on a free loopback port. Returns its `host` and `port`,
 * the received `messages`, `waitForMessage` and `close`.
 */
export async function startSmtpServer() {
  const messages = [];
  const waiters = [];
  const sockets = new Set();

  const deliver = (message) => {
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(message);
      }
    }
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    runSession(socket, deliver);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  /** Resolves with the first message, received or still to come, that `predicate` accepts. */
  const waitForMessage = (predicate, timeoutMs = 15_000) => {
    const found = messages.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve, timer: null };
      waiter.timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        const seen = messages.map((message) => `${message.recipients.join(', ')}: ${message.subject}`);
        reject(new Error(`no matching email within ${timeoutMs} ms; received: ${JSON.stringify(seen)}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };

  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };

  return { host: '127.0.0.1', port, messages, waitForMessage, close };
}

/** Runs one SMTP conversation: EHLO, optional AUTH PLAIN, then any number of transactions. */
function runSession(socket, deliver) {
  socket.setEncoding('utf8');
  const reply = (line) => socket.write(`${line}\r\n`);
  let pending = '';
  let mode = 'command';
  let auth = null;
  let transaction = { from: null, recipients: [] };
  let dataLines = [];

  const onCommand = (line) => {
    if (mode === 'auth-plain') {
      mode = 'command';
      auth = decodePlain(line);
      reply(auth === null ? '501 5.5.2 Invalid AUTH PLAIN response' : '235 2.7.0 Authentication successful');
      return;
    }
    const verb = line.split(' ', 1)[0].toUpperCase();
    const argument = line.slice(verb.length).trim();
    switch (verb) {
      case 'EHLO':
        reply(`250-${HOSTNAME}`);
        reply('250-8BITMIME');
        reply('250-AUTH PLAIN');
        reply(`250 SIZE ${MAX_MESSAGE_BYTES}`);
        return;
      case 'HELO':
        reply(`250 ${HOSTNAME}`);
        return;
      case 'AUTH': {
        const [mechanism, initial] = argument.split(/\s+/);
        if (mechanism?.toUpperCase() !== 'PLAIN') {
          reply('504 5.5.4 Only AUTH PLAIN is supported');
        } else if (initial === undefined) {
          mode = 'auth-plain';
          reply('334 ');
        } else {
          auth = decodePlain(initial);
          reply(auth === null ? '501 5.5.2 Invalid AUTH PLAIN response' : '235 2.7.0 Authentication successful');
        }
        return;
      }
      case 'MAIL':
        transaction = { from: angleAddress(argument), recipients: [] };
        reply('250 2.1.0 OK');
        return;
      case 'RCPT':
        if (transaction.from === null) {
          reply('503 5.5.1 MAIL FROM is required first');
          return;
        }
        transaction.recipients.push(angleAddress(argument));
        reply('250 2.1.5 OK');
        return;
      case 'DATA':
        if (transaction.recipients.length === 0) {
          reply('503 5.5.1 RCPT TO is required first');
          return;
        }
        mode = 'data';
        dataLines = [];
        reply('354 End data with <CR><LF>.<CR><LF>');
        return;
      case 'RSET':
        transaction = { from: null, recipients: [] };
        reply('250 2.0.0 OK');
        return;
      case 'NOOP':
        reply('250 2.0.0 OK');
        return;
      case 'QUIT':
        reply('221 2.0.0 Bye');
        socket.end();
        return;
      default:
        reply(`502 5.5.2 Command not implemented: ${verb}`);
    }
  };

  const onDataLine = (line) => {
    if (line !== '.') {
      // The client doubles a leading dot so that a lone "." cannot end the data early.
      dataLines.push(line.startsWith('..') ? line.slice(1) : line);
      return;
    }
    mode = 'command';
    deliver(readMessage(transaction, dataLines.join('\r\n'), auth));
    transaction = { from: null, recipients: [] };
    reply('250 2.0.0 Queued');
  };

  socket.on('data', (chunk) => {
    pending += chunk;
    let end = pending.indexOf('\r\n');
    while (end >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      if (mode === 'data') {
        onDataLine(line);
      } else {
        onCommand(line);
      }
      end = pending.indexOf('\r\n');
    }
  });
  socket.on('error', () => socket.destroy());
  reply(`220 ${HOSTNAME} ESMTP ready`);
}

/** Reads `\0username\0password` from a base64 AUTH PLAIN response, or returns null. */
function decodePlain(base64) {
  const parts = Buffer.from(base64.trim(), 'base64').toString('utf8').split('\0');
  return parts.length === 3 ? { username: parts[1], password: parts[2] } : null;
}

/** Returns the address inside `FROM:<a@b>` or `TO:<a@b> PARAM=x`. */
function angleAddress(argument) {
  const match = /<([^>]*)>/.exec(argument);
  return match ? match[1] : argument.replace(/^(FROM|TO):/i, '').trim();
}

function readMessage(transaction, raw, auth) {
  const { headers, body } = splitHeaders(raw);
  return {
    from: transaction.from,
    recipients: transaction.recipients,
    auth,
    raw,
    headers,
    subject: decodeEncodedWords(headers.get('subject') ?? ''),
    text: plainText(headers, body),
  };
}

/** Splits a MIME entity into lower-cased, unfolded headers and its body. */
function splitHeaders(entity) {
  const blank = entity.indexOf('\r\n\r\n');
  const head = blank < 0 ? entity : entity.slice(0, blank);
  const body = blank < 0 ? '' : entity.slice(blank + 4);
  const headers = new Map();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** Decodes RFC 2047 encoded words, such as `=?utf-8?b?...?=`, in a header value. */
export function decodeEncodedWords(value) {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, encoding, text) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : quotedPrintableBytes(text.replace(/_/g, ' '));
      return new TextDecoder(charset).decode(bytes);
    });
}

function quotedPrintableBytes(text) {
  const bytes = [];
  const unfolded = text.replace(/=\r\n/g, '');
  for (let index = 0; index < unfolded.length; index++) {
    const hex = unfolded.slice(index + 1, index + 3);
    if (unfolded[index] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(unfolded[index], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** Returns the decoded text of the first text/plain part, or null when there is none. */
function plainText(headers, body) {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (/^multipart\//i.test(contentType) && boundary !== undefined) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const entity = splitHeaders(part.replace(/^\r\n/, ''));
      const text = plainText(entity.headers, entity.body);
      if (text !== null) return text;
    }
    return null;
  }
  if (!/^text\/plain/i.test(contentType)) return null;
  const charset = /charset="?([^";]+)"?/i.exec(contentType)?.[1] ?? 'utf-8';
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return new TextDecoder(charset).decode(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
  if (encoding === 'quoted-printable') return new TextDecoder(charset).decode(quotedPrintableBytes(body));
  return body;
}
