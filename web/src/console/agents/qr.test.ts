import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrModules } from './qr';

/** Paints the modules into an RGBA image, `scale` pixels per module with a 4-module margin. */
function toImage(modules: boolean[][], scale: number) {
  const side = (modules.length + 8) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const offset = (((y + 4) * scale + dy) * side + (x + 4) * scale + dx) * 4;
          data[offset] = 0;
          data[offset + 1] = 0;
          data[offset + 2] = 0;
        }
      }
    });
  });
  return { data, side };
}

describe('qrModules', () => {
  it('encodes server URL that a reader decodes', () => {
    const url = 'http://192.168.1.20:8080/tracking/osmand/Zk3n9q-LkR2xY_0aB7cD1eF4gH6iJ8kL';
    const { data, side } = toImage(qrModules(url), 4);

    const decoded = jsQR(data, side, side);

    expect(decoded?.data).toBe(url);
  });

  it('grows with longer text', () => {
    expect(qrModules('http://a').length).toBe(21);
    expect(qrModules(`http://example.mx/${'x'.repeat(120)}`).length).toBeGreaterThan(21);
  });
});
