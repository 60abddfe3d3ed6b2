// Requests of an agent's profile (/api/agents/{id}/profile): working hours per
// weekday, start location and named zones.

import type { ApiClient } from '../../shared/api';
import type { Weekday } from '../../shared/rules/contact';

export interface WorkingDay {
  day: Weekday;
  /** "HH:MM", local time. */
  start: string;
  end: string;
}

export interface StartLocation {
  latitude: number;
  longitude: number;
  label: string | null;
}

export interface NamedZone {
  name: string;
  /** [latitude, longitude] pairs. */
  vertices: [number, number][];
}

export interface AgentProfile {
  agent_id: string;
  working_hours: WorkingDay[];
  start_location: StartLocation | null;
  zones: NamedZone[];
  /** Unix milliseconds, null while never saved. */
  updated_at: number | null;
}

export type ProfileUpdate = Omit<AgentProfile, 'agent_id' | 'updated_at'>;

function profilePath(agentId: string): string {
  return `/api/agents/${encodeURIComponent(agentId)}/profile`;
}

export function getProfile(api: ApiClient, agentId: string): Promise<AgentProfile> {
  return api.request<AgentProfile>('GET', profilePath(agentId));
}

export function saveProfile(api: ApiClient, agentId: string, update: ProfileUpdate): Promise<AgentProfile> {
  return api.request<AgentProfile>('PUT', profilePath(agentId), update);
}

/** Reads "lat, lon" lines into vertices; returns null when a line is not two numbers. */
export function parseVertices(text: string): [number, number][] | null {
  const vertices: [number, number][] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parts = line.split(',').map((part) => Number(part.trim()));
    const [latitude, longitude] = parts;
    if (parts.length !== 2 || latitude === undefined || longitude === undefined || !Number.isFinite(latitude) || !Number.isFinite(longitude)) {
      return null;
    }
    vertices.push([latitude, longitude]);
  }
  return vertices;
}

export function formatVertices(vertices: [number, number][]): string {
  return vertices.map(([latitude, longitude]) => `${latitude}, ${longitude}`).join('\n');
}
