// Shapes of the JSON bodies exchanged with the Ronda server under /api.

export type Role = 'admin' | 'supervisor' | 'agent' | 'viewer';

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent', 'viewer'];

/** Server-assigned identifier. The client only echoes it back in URLs, so either JSON type is accepted. */
export type EntityId = string | number;

export interface User {
  id: EntityId;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

export interface Organization {
  id: EntityId;
  name: string;
}

/** Body of `POST /api/auth/login` and `GET /api/session`. */
export interface Session {
  user: User;
  organization: Organization;
  csrf_token: string;
}

export interface UserList {
  users: User[];
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** Error body that the server sends with every non-2xx response. */
export interface ApiErrorBody {
  code: string;
  message: string;
  field: string | null;
}
