// QR code of a settings URL, for scanning into the phone's tracking client.

import qrcode from 'qrcode-generator';

/** Dark modules of the QR code of `text`, row by row, with error correction level M. */
export function qrModules(text: string): boolean[][] {
  // Type number 0 picks the smallest version that fits the text.
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const size = code.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => code.isDark(row, col)));
}

/** SVG path data with one unit square per dark module, offset by `margin` modules. */
export function qrPath(modules: boolean[][], margin: number): string {
  const parts: string[] = [];
  modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x + margin} ${y + margin}h1v1h-1z`);
    });
  });
  return parts.join('');
}
