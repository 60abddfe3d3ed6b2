// Parsing of the area a supervisor assigns by: postal codes typed as a list,
// or zone vertices typed as "latitude, longitude" lines.

/** Splits a list of postal codes on commas, spaces or line breaks. */
export function parsePostalCodes(text: string): { codes: string[]; invalid: string[] } {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const codes: string[] = [];
  const invalid: string[] = [];
  for (const part of parts) {
    if (/^\d{5}$/.test(part)) {
      if (!codes.includes(part)) codes.push(part);
    } else {
      invalid.push(part);
    }
  }
  return { codes, invalid };
}

export type Vertex = [number, number];

/** Reads one "latitude, longitude" pair per line; returns the lines that are not one. */
export function parseVertices(text: string): { vertices: Vertex[]; invalid: string[] } {
  const vertices: Vertex[] = [];
  const invalid: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const match = /^(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)$/.exec(line);
    const latitude = match ? Number(match[1]) : NaN;
    const longitude = match ? Number(match[2]) : NaN;
    if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
      vertices.push([latitude, longitude]);
    } else {
      invalid.push(line);
    }
  }
  return { vertices, invalid };
}

/** Writes vertices back as the lines `parseVertices` reads. */
export function formatVertices(vertices: readonly Vertex[]): string {
  return vertices.map(([latitude, longitude]) => `${latitude.toFixed(6)}, ${longitude.toFixed(6)}`).join('\n');
}
