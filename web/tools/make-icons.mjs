// Draws the field app's icons and writes them as PNG files to
// public/app/icons/. Run with `npm run icons` after changing the design;
// the PNGs are committed, so the build does not run this script.
//
// The design is a white ring with a dot in the middle on the brand colour.
// The "any" icons have rounded corners with transparent pixels outside them.
// The maskable icons fill the whole square and keep the ring inside the
// central circle of 80% diameter, the safe zone that launchers do not crop.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const BRAND = [0x0b, 0x4f, 0x4d];
const WHITE = [0xff, 0xff, 0xff];
/** Samples per pixel side for anti-aliasing (4 x 4 = 16 samples). */
const SUPERSAMPLE = 4;

const outputDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'app', 'icons');

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes 8-bit RGBA pixels (row-major, 4 bytes per pixel) as a PNG file. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace

  const rowLength = size * 4;
  const raw = Buffer.alloc((rowLength + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (rowLength + 1)] = 0; // filter type None for every row
    rgba.copy(raw, y * (rowLength + 1) + 1, y * rowLength, (y + 1) * rowLength);
  }

  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Reports whether a point in unit coordinates (0..1) lies in a rounded square. */
function insideRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** Returns the colour at a point in unit coordinates, or null for transparent. */
function shade(x, y, maskable) {
  if (!maskable && !insideRoundedSquare(x, y, 0.18)) {
    return null;
  }
  const distance = Math.hypot(x - 0.5, y - 0.5);
  const onRing = distance >= 0.26 && distance <= 0.34;
  const onDot = distance <= 0.09;
  return onRing || onDot ? WHITE : BRAND;
}

function drawIcon(size, maskable) {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = SUPERSAMPLE * SUPERSAMPLE;

  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let red = 0;
      let green = 0;
      let blue = 0;
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          const colour = shade(x, y, maskable);
          if (colour !== null) {
            red += colour[0];
            green += colour[1];
            blue += colour[2];
            covered += 1;
          }
        }
      }
      const offset = (py * size + px) * 4;
      if (covered > 0) {
        pixels[offset] = Math.round(red / covered);
        pixels[offset + 1] = Math.round(green / covered);
        pixels[offset + 2] = Math.round(blue / covered);
        pixels[offset + 3] = Math.round((covered / samples) * 255);
      }
    }
  }
  return encodePng(size, pixels);
}

const icons = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-192.png', size: 192, maskable: true },
  { file: 'maskable-512.png', size: 512, maskable: true },
];

mkdirSync(outputDir, { recursive: true });
for (const icon of icons) {
  const path = join(outputDir, icon.file);
  writeFileSync(path, drawIcon(icon.size, icon.maskable));
  console.log(`wrote ${path}`);
}
