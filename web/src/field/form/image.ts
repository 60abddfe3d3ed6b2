// Photos are scaled down on the device before they are stored, so a 12 MP
// camera picture does not fill the phone or the upload.

export const DEFAULT_MAX_PIXELS = 1280;
const JPEG_QUALITY = 0.82;

export interface PreparedImage {
  data: ArrayBuffer;
  contentType: string;
  width: number;
  height: number;
}

/** Size that fits within `maxPixels` on the longest side, keeping the aspect ratio. */
export function fitWithin(width: number, height: number, maxPixels: number): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= maxPixels || longest === 0) return { width, height };
  const scale = maxPixels / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function canvasBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob === null ? reject(new Error('The browser could not encode the image')) : resolve(blob)), type, quality);
  });
}

export async function resizePhoto(file: Blob, maxPixels: number): Promise<PreparedImage> {
  // createImageBitmap applies the EXIF orientation, so portrait photos stay upright.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const size = fitWithin(bitmap.width, bitmap.height, maxPixels);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('Canvas 2D is not available');
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    const blob = await canvasBlob(canvas, 'image/jpeg', JPEG_QUALITY);
    return { data: await blob.arrayBuffer(), contentType: 'image/jpeg', width: size.width, height: size.height };
  } finally {
    bitmap.close();
  }
}

export async function canvasPng(canvas: HTMLCanvasElement): Promise<ArrayBuffer> {
  return (await canvasBlob(canvas, 'image/png')).arrayBuffer();
}
