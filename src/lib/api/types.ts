// Shapes of the API's JSON responses (see /api/openapi.json).
export type Role = 'admin' | 'member';

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Organization {
  id: string;
  name: string;
  role: Role;
}

export interface Me {
  user: User;
  organizations: Organization[];
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

export interface Invite {
  id: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'expired' | 'revoked';
  acceptedBy: { id: string; name: string } | null;
}

export interface InvitePreview {
  organization: { id: string; name: string };
  role: Role;
  expiresAt: string;
  invitedBy: { name: string } | null;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
