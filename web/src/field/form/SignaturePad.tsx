// A signature drawn with a finger on a canvas. "Guardar" stores it as PNG.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';
import { canvasPng } from './image';

export function SignaturePad(props: { id: string; onSave: (png: ArrayBuffer) => Promise<void>; saved: boolean }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [empty, setEmpty] = useState(true);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const element = canvas.current;
    if (element === null) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = element.clientWidth * ratio;
    element.height = element.clientHeight * ratio;
    const context = element.getContext('2d');
    if (context === null) return;
    context.scale(ratio, ratio);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, element.width, element.height);
    context.lineWidth = 2.5;
    context.lineCap = 'round';
    context.strokeStyle = '#000000';
  }, []);

  const point = (event: PointerEvent) => {
    const rect = canvas.current!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  const down = (event: PointerEvent) => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    canvas.current!.setPointerCapture(event.pointerId);
    drawing.current = true;
    const { x, y } = point(event);
    context.beginPath();
    context.moveTo(x, y);
  };

  const move = (event: PointerEvent) => {
    if (!drawing.current) return;
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const { x, y } = point(event);
    context.lineTo(x, y);
    context.stroke();
    setEmpty(false);
  };

  const up = () => {
    drawing.current = false;
  };

  const clear = () => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, element.width, element.height);
    context.restore();
    setEmpty(true);
  };

  const save = async () => {
    if (canvas.current === null || empty) return;
    setSaving(true);
    try {
      await props.onSave(await canvasPng(canvas.current));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="signature">
      <canvas
        id={props.id}
        ref={canvas}
        class="signature__pad"
        aria-label={t('field.signatureArea')}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <div class="stop__actions">
        <button type="button" class="button" onClick={clear}>
          {t('field.signatureClear')}
        </button>
        <button type="button" class="button button--primary" onClick={() => void save()} disabled={empty || saving}>
          {props.saved && empty ? t('field.signatureSaved') : t('field.signatureSave')}
        </button>
      </div>
    </div>
  );
}
