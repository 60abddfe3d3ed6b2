// QR code drawn as SVG, with the encoded text as its accessible name.

import { useMemo } from 'preact/hooks';
import { qrModules, qrPath } from './qr';

/** Quiet zone around the code, in modules, as the QR standard requires. */
const MARGIN = 4;

export function QrCode(props: { text: string; label: string; size?: number }) {
  const modules = useMemo(() => qrModules(props.text), [props.text]);
  const side = modules.length + 2 * MARGIN;
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${side} ${side}`}
      width={props.size ?? 200}
      height={props.size ?? 200}
      shape-rendering="crispEdges"
    >
      <rect width={side} height={side} fill="#ffffff" />
      <path d={qrPath(modules, MARGIN)} fill="#000000" />
    </svg>
  );
}
